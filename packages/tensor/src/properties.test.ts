import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as nn from './index.js';
import { stridesOf } from './shape.js';

// Ops against plain float64 references on random shapes, empty and size-1 dimensions included.

const dim = fc.integer({ min: 0, max: 4 });
const shapeArb = fc.array(dim, { minLength: 0, maxLength: 4 });
const values = (n: number) => fc.array(fc.float({ min: -10, max: 10, noNaN: true, noDefaultInfinity: true }), { minLength: n, maxLength: n });
const tensorArb = shapeArb.chain((shape) => values(shape.reduce((a, b) => a * b, 1)).map((v) => ({ shape, v: Float32Array.from(v) })));

/** A shape and another one broadcast-compatible with it (dims dropped or set to 1 at random). */
const broadcastPair = shapeArb.chain((shape) =>
  fc.tuple(fc.constant(shape), fc.array(fc.integer({ min: 0, max: 2 }), { minLength: shape.length, maxLength: shape.length }), fc.integer({ min: 0, max: shape.length })).map(([s, modes, drop]) => {
    const other = s.map((d, i) => (modes[i] === 0 ? 1 : d)).slice(drop);
    return [s, other] as const;
  }),
);

const indexOf = (idx: number[], shape: readonly number[]) => {
  const strides = stridesOf(shape);
  return idx.reduce((acc, v, i) => acc + (shape[i] === 1 ? 0 : v) * strides[i], 0);
};
const forEachIndex = (shape: readonly number[], fn: (idx: number[], flat: number) => void) => {
  const n = shape.reduce((a, b) => a * b, 1);
  for (let flat = 0; flat < n; flat++) {
    let rest = flat;
    const idx = shape.map((_, i) => {
      const s = shape.slice(i + 1).reduce((a, b) => a * b, 1);
      const v = Math.floor(rest / s);
      rest -= v * s;
      return v;
    });
    fn(idx, flat);
  }
};

const close = (a: number, b: number, tol = 1e-5) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)) || (Number.isNaN(a) && Number.isNaN(b));

describe('ops against a float64 reference (property-based)', () => {
  it('broadcast add/mul/sub/div/maximum match the reference', () => {
    fc.assert(
      fc.property(broadcastPair, fc.integer(), ([sa, sb], seed) => {
        const g = new nn.Generator(seed);
        const a = nn.rand(sa, { low: -3, high: 3, generator: g });
        const b = nn.rand(sb, { low: 0.5, high: 3, generator: g });
        const out = nn.broadcastShapes('test', sa, sb);
        const av = a.dataSync();
        const bv = b.dataSync();
        const ops: [(x: nn.Tensor, y: nn.Tensor) => nn.Tensor, (x: number, y: number) => number][] = [
          [nn.add, (x, y) => x + y], [nn.mul, (x, y) => x * y], [nn.sub, (x, y) => x - y], [nn.div, (x, y) => x / y], [nn.maximum, Math.max],
        ];
        for (const [op, ref] of ops) {
          const r = op(a, b);
          expect(r.shape).toEqual(out);
          const rv = r.dataSync();
          forEachIndex(out, (idx, flat) => {
            const ia = indexOf(idx.slice(out.length - sa.length), sa);
            const ib = indexOf(idx.slice(out.length - sb.length), sb);
            expect(close(rv[flat], Math.fround(ref(av[ia], bv[ib])))).toBe(true);
          });
        }
      }),
      { numRuns: 150 },
    );
  });

  it('sum/mean/max over any axes (keepDims or not) match the reference', () => {
    fc.assert(
      fc.property(tensorArb, fc.integer({ min: 0, max: 15 }), fc.boolean(), ({ shape, v }, mask, keepDims) => {
        const axes = shape.map((_, i) => i).filter((i) => mask & (1 << i));
        const t = nn.tensor(v, shape);
        const reduced = shape.map((d, i) => (axes.includes(i) ? 1 : d));
        const refSum = new Float64Array(reduced.reduce((a, b) => a * b, 1));
        const refMax = new Float64Array(refSum.length).fill(-Infinity);
        forEachIndex(shape, (idx, flat) => {
          const o = indexOf(idx.map((x, i) => (axes.includes(i) ? 0 : x)), reduced);
          refSum[o] += v[flat];
          refMax[o] = Math.max(refMax[o], v[flat]);
        });
        const expectedShape = keepDims ? reduced : shape.filter((_, i) => !axes.includes(i));
        const s = nn.sum(t, axes, keepDims);
        expect(s.shape).toEqual(expectedShape);
        s.dataSync().forEach((x, i) => expect(close(x, refSum[i])).toBe(true));
        const n = axes.reduce((p, a) => p * shape[a], 1);
        nn.mean(t, axes, keepDims).dataSync().forEach((x, i) => expect(close(x, refSum[i] / n)).toBe(true));
        if (axes.every((a) => shape[a] > 0)) nn.max(t, axes, keepDims).dataSync().forEach((x, i) => expect(x).toBe(refMax[i]));
      }),
      { numRuns: 200 },
    );
  });

  it('matmul (any transposes, batched) matches the reference', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 3 }), fc.boolean(), fc.boolean(), fc.integer(), (m, k, n, batch, ta, tb, seed) => {
        const g = new nn.Generator(seed);
        const a = nn.randn([batch, ...(ta ? [k, m] : [m, k])], { generator: g });
        const b = nn.randn(tb ? [n, k] : [k, n], { generator: g });
        const c = nn.matmul(a, b, { transposeA: ta, transposeB: tb });
        expect(c.shape).toEqual([batch, m, n]);
        const av = a.dataSync();
        const bv = b.dataSync();
        const cv = c.dataSync();
        for (let t = 0; t < batch; t++)
          for (let i = 0; i < m; i++)
            for (let j = 0; j < n; j++) {
              let s = 0;
              for (let p = 0; p < k; p++) s += av[t * m * k + (ta ? p * m + i : i * k + p)] * bv[tb ? j * k + p : p * n + j];
              expect(close(cv[(t * m + i) * n + j], s, 1e-5)).toBe(true);
            }
      }),
      { numRuns: 150 },
    );
  });

  it('large matmul (blocking edges) matches the reference', () => {
    const g = new nn.Generator(3);
    const [m, k, n] = [131, 300, 1030];
    const a = nn.randn([m, k], { generator: g });
    const b = nn.randn([k, n], { generator: g });
    const cv = nn.matmul(a, b).dataSync();
    const av = a.dataSync();
    const bv = b.dataSync();
    for (const [i, j] of [[0, 0], [130, 1029], [64, 1024], [3, 513], [127, 4]]) {
      let s = 0;
      for (let p = 0; p < k; p++) s += av[i * k + p] * bv[p * n + j];
      expect(close(cv[i * n + j], s, 1e-5)).toBe(true);
    }
  });

  it('transpose then inverse transpose is the identity; slice/concat reassemble', () => {
    fc.assert(
      fc.property(tensorArb.filter(({ shape }) => shape.length > 0), fc.integer(), ({ shape, v }, seed) => {
        const t = nn.tensor(v, shape);
        const perm = [...new nn.Generator(seed).permutation(shape.length)];
        const inv = perm.map((_, i) => perm.indexOf(i));
        expect(nn.transpose(nn.transpose(t, perm), inv).dataSync()).toEqual(t.dataSync());
        const cut = Math.floor(shape[0] / 2);
        const a = nn.slice(t, [0], [cut]);
        const b = nn.slice(t, [cut]);
        expect(nn.concat([a, b], 0).dataSync()).toEqual(t.dataSync());
      }),
      { numRuns: 200 },
    );
  });

  it('softmax rows sum to 1 and logSoftmax = log(softmax), for any magnitudes', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ min: -1e4, max: 1e4, noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 8 }), (row) => {
        const x = nn.tensor([row]);
        const p = nn.softmax(x).dataSync();
        expect(close(p.reduce((a, b) => a + b, 0), 1, 1e-5)).toBe(true);
        const m = Math.max(...row);
        const lse = m + Math.log(row.reduce((s, r) => s + Math.exp(r - m), 0));
        nn.logSoftmax(x).dataSync().forEach((l, i) => expect(close(l, row[i] - lse, 1e-5)).toBe(true));
      }),
      { numRuns: 200 },
    );
  });
});
