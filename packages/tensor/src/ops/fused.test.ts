import { describe, expect, it } from 'vitest';
import '../wasm/index.js';
import * as nn from '../index.js';
import type { FusedActivation, Tensor } from '../index.js';

const ACTIVATIONS: FusedActivation[] = ['linear', 'relu', 'sigmoid', 'tanh'];
const composite = (x: Tensor, w: Tensor, b: Tensor, act: FusedActivation, o: nn.MatmulOptions = {}) => {
  const z = nn.add(nn.matmul(x, w, o), b);
  return act === 'linear' ? z : nn[act](z);
};

/** Forward and all three gradients of sum(out·weights) for `f` on `backend`. */
function run(backend: string, f: (x: Tensor, w: Tensor, b: Tensor) => Tensor, shapes: number[][]): Float32Array[] {
  nn.setBackend(backend);
  try {
    const g = new nn.Generator(3);
    const [x, w, b] = shapes.map((s) => {
      const t = nn.randn(s, { generator: g });
      t.requiresGrad = true;
      return t;
    });
    const y = f(x, w, b);
    const values = y.dataSync();
    nn.sum(nn.mul(y, nn.rand(y.shape, { generator: g, low: 0.5, high: 1.5 }))).backward();
    return [values, x.grad!.dataSync(), w.grad!.dataSync(), b.grad!.dataSync()];
  } finally {
    nn.setBackend('cpu');
  }
}

function expectClose(got: Float32Array[], want: Float32Array[], tol: number) {
  got.forEach((g, k) => {
    expect(g.length).toBe(want[k].length);
    for (let i = 0; i < g.length; i++) {
      if (!(Math.abs(g[i] - want[k][i]) <= tol * (1 + Math.abs(want[k][i])))) expect.fail(`output ${k}[${i}]: ${g[i]} vs ${want[k][i]}`);
    }
  });
}

describe('fusedMatmul: activation(matmul(a, b) + bias)', () => {
  for (const act of ACTIVATIONS) {
    it(`${act}: equals matmul + add + ${act} exactly on cpu (the fallback), values and gradients`, () => {
      const shapes = [[5, 7], [7, 3], [3]];
      expectClose(run('cpu', (x, w, b) => nn.fusedMatmul(x, w, { bias: b, activation: act }), shapes), run('cpu', (x, w, b) => composite(x, w, b, act), shapes), 0);
    });
    it(`${act}: the wasm kernel (bias and activation in the GEMM epilogue) agrees with cpu, incl. transposes and batches`, () => {
      for (const [shapes, o] of [
        [[[33, 70], [70, 17], [17]], {}],
        [[[70, 33], [17, 70], [17]], { transposeA: true, transposeB: true }],
        [[[2, 9, 6], [6, 5], [5]], {}],
      ] as [number[][], nn.MatmulOptions][]) {
        const f = (x: Tensor, w: Tensor, b: Tensor) => nn.fusedMatmul(x, w, { bias: b, activation: act, ...o });
        expectClose(run('wasm', f, shapes), run('cpu', (x, w, b) => composite(x, w, b, act, o), shapes), 1e-5);
      }
    });
  }

  it('passes the gradient check on wasm', () => {
    nn.setBackend('wasm');
    try {
      const g = new nn.Generator(4);
      const inputs = [nn.randn([4, 6], { generator: g }), nn.randn([6, 3], { generator: g }), nn.randn([3], { generator: g })];
      const r = nn.checkGradients((x, w, b) => nn.sum(nn.fusedMatmul(x, w, { bias: b, activation: 'tanh' })), inputs);
      expect(r.ok, JSON.stringify(r.worst)).toBe(true);
    } finally {
      nn.setBackend('cpu');
    }
  });

  it('refuses a bias that is not [n] and an unknown activation, naming them', () => {
    const x = nn.zeros([2, 3]);
    const w = nn.zeros([3, 4]);
    expect(() => nn.fusedMatmul(x, w, { bias: nn.zeros([3]) })).toThrow('fusedMatmul: bias must have shape [4], got [3]');
    expect(() => nn.fusedMatmul(x, w, { activation: 'gelu' as FusedActivation })).toThrow('fusedMatmul: activation must be one of linear, relu, sigmoid, tanh, got gelu');
    expect(() => nn.fusedMatmul(x, x)).toThrow('matmul: inner dimensions differ');
  });
});
