import { setBackend, tensor, zeros, type Tensor } from '@nn/tensor';
import { describe, expect, it } from 'vitest';
import { Adam, SGD, clipGradNorm, clipGradValue } from './index.js';

function withGrads(...grads: (number[] | null)[]): Tensor[] {
  return grads.map((g) => {
    const p = zeros([g?.length ?? 1]);
    p.grad = g ? tensor(g) : null;
    return p;
  });
}
const grads = (ps: Tensor[]) => ps.map((p) => (p.grad ? Array.from(p.grad.dataSync()) : null));
const f32 = Math.fround;

describe('clipGradNorm (PyTorch clip_grad_norm_)', () => {
  it('returns the global 2-norm and scales by maxNorm / (norm + 1e-6)', () => {
    const ps = withGrads([3, 4], [12], null);
    const norm = clipGradNorm(ps, 6.5);
    expect(norm).toBe(13); // sqrt(9 + 16 + 144)
    const coef = f32(6.5 / f32(13 + 1e-6));
    expect(grads(ps)).toEqual([[f32(3 * coef), f32(4 * coef)], [f32(12 * coef)], null]);
  });

  it('leaves gradients alone when the norm is under the cap (still returns it)', () => {
    const ps = withGrads([0.3, 0.4]);
    expect(clipGradNorm(ps, 1)).toBeCloseTo(0.5, 7);
    expect(grads(ps)).toEqual([[f32(0.3), f32(0.4)]]);
  });

  it('infinity norm: the largest |g|, over all parameters', () => {
    const ps = withGrads([1, -5], [2]);
    expect(clipGradNorm(ps, 2.5, Infinity)).toBe(5);
    const coef = f32(2.5 / f32(5 + 1e-6));
    expect(grads(ps)).toEqual([[f32(coef), f32(-5 * coef)], [f32(2 * coef)]]);
    expect(clipGradNorm(withGrads([1, -5], [2]), 10, 'inf')).toBe(5);
  });

  it('1-norm and a general p-norm (the norm of the per-tensor norms)', () => {
    expect(clipGradNorm(withGrads([1, -2], [3]), 100, 1)).toBe(6);
    // p = 3: per-tensor norms (1 + 8)^(1/3) and 3, then their 3-norm: (9 + 27)^(1/3)
    expect(clipGradNorm(withGrads([1, -2], [3]), 100, 3)).toBeCloseTo(36 ** (1 / 3), 5);
  });

  it('a single tensor, no gradients at all, and a shared gradient scaled once', () => {
    const [p] = withGrads([6, 8]);
    expect(clipGradNorm(p, 5)).toBe(10);
    expect(clipGradNorm(withGrads(null, null), 1)).toBe(0);
    const a = zeros([2]);
    const b = zeros([2]);
    a.grad = b.grad = tensor([3, 4]);
    // counted twice in the norm, as PyTorch counts each parameter's gradient, but scaled once
    expect(clipGradNorm([a, b], 1)).toBeCloseTo(Math.sqrt(50), 5);
    const coef = f32(1 / f32(f32(Math.sqrt(50)) + 1e-6));
    expect(Array.from(a.grad.dataSync())).toEqual([f32(3 * coef), f32(4 * coef)]);
  });

  it('a non-finite norm: scales by it (NaN), or throws with errorIfNonfinite', () => {
    const ps = withGrads([1, Infinity]);
    expect(() => clipGradNorm(ps, 1, 2, { errorIfNonfinite: true })).toThrow(/total norm of order 2 of the gradients is non-finite/);
    expect(grads(ps)).toEqual([[1, Infinity]]);
    expect(clipGradNorm(ps, 1)).toBe(Infinity);
    expect(grads(ps)[0]!.every((v) => v === 0 || Number.isNaN(v))).toBe(true);
  });

  it('validates its arguments', () => {
    expect(() => clipGradNorm(withGrads([1]), -1)).toThrow(/maxNorm must be a non-negative number/);
    expect(() => clipGradNorm(withGrads([1]), 1, 0)).toThrow(/normType must be a positive number or Infinity/);
    expect(() => clipGradNorm([1] as never, 1)).toThrow(/params\[0\] is not a tensor/);
  });
});

describe('clipGradValue (PyTorch clip_grad_value_)', () => {
  it('clamps each coordinate to [-c, c] in place', () => {
    const ps = withGrads([-3, 0.25, 2], null, [0.5]);
    clipGradValue(ps, 0.5);
    expect(grads(ps)).toEqual([[-0.5, 0.25, 0.5], null, [0.5]]);
    expect(() => clipGradValue(ps, -1)).toThrow(/clipValue must be a non-negative number/);
  });
});

describe('clipping as optimizer options', () => {
  it('clipNorm equals clipGradNorm then step, and leaves .grad as it was', () => {
    const make = () => withGrads([3, 4], [12]);
    const a = make();
    const opt = new SGD(a, { lr: 0.1, clipNorm: 1 });
    opt.step();
    expect(opt.lastGradNorm).toBe(13);
    expect(grads(a)).toEqual([[3, 4], [12]]);
    const b = make();
    clipGradNorm(b, 1);
    new SGD(b, { lr: 0.1 }).step();
    expect(a.map((p) => Array.from(p.dataSync()))).toEqual(b.map((p) => Array.from(p.dataSync())));
  });

  it('clipValue equals clipGradValue then step', () => {
    const a = withGrads([3, -0.1], [-12]);
    new Adam(a, { lr: 0.1, clipValue: 0.2 }).step();
    const b = withGrads([3, -0.1], [-12]);
    clipGradValue(b, 0.2);
    new Adam(b, { lr: 0.1 }).step();
    expect(a.map((p) => Array.from(p.dataSync()))).toEqual(b.map((p) => Array.from(p.dataSync())));
  });

  it('step({ gradsOwned }): gradients scaled in place, each buffer once, and the same update as the copying step', () => {
    for (const backend of ['cpu', 'wasm']) {
      setBackend(backend);
      try {
        const make = () => {
          const ps = withGrads([3, -4, 0.5], [12]);
          const shared = zeros([3]);
          shared.grad = ps[0].grad;
          return [...ps, shared];
        };
        for (const options of [{ clipNorm: 1 }, { clipNorm: 2, clipValue: 0.3 }, { clipNorm: 100 }]) {
          const a = make();
          const b = make();
          new Adam(a, { lr: 0.1, ...options }).step();
          const opt = new Adam(b, { lr: 0.1, ...options });
          opt.step(undefined, { gradsOwned: true });
          expect(b.map((p) => Array.from(p.dataSync())), `${backend} ${JSON.stringify(options)}`).toEqual(a.map((p) => Array.from(p.dataSync())));
          // the norm counts the shared gradient twice, as PyTorch does; its buffer is scaled once
          const norm = Math.sqrt(2 * (9 + 16 + 0.25) + 144);
          expect(opt.lastGradNorm).toBeCloseTo(norm, 4);
          const c = make();
          clipGradNorm(c, options.clipNorm);
          expect(grads(b)).toEqual(grads(c));
          expect(grads(a)).toEqual([[3, -4, 0.5], [12], [3, -4, 0.5]]);
        }
      } finally {
        setBackend('cpu');
      }
    }
  });

  it('clipNorm spans every parameter group (a global norm)', () => {
    const [p, q] = withGrads([3, 4], [12]);
    const opt = new SGD([p], { lr: 1, clipNorm: 1 });
    opt.addParamGroup({ params: [q], lr: 1 });
    opt.step();
    expect(opt.lastGradNorm).toBe(13);
    expect(Array.from(q.dataSync())[0]).toBeCloseTo(-12 / 13, 6);
  });
});
