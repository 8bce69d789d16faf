import { describe, expect, it } from 'vitest';
import '../wasm/index.js';
import * as nn from '../index.js';
import { cpuBackend } from '../index.js';

/** Σx² of float32 values in float64, in index order, rounded once: what the cpu kernel must return. */
const exact = (xs: ArrayLike<number>) => Math.fround(Array.from(xs).reduce((acc, v) => acc + v * v, 0));

describe('sumSquares (Σx², one pass where the backend has the kernel)', () => {
  it('equals the float64 sum of the squares, rounded once, at every tail length of the 4-way unrolled loop', () => {
    const g = new nn.Generator(5);
    for (const n of [0, 1, 2, 3, 4, 5, 7, 8, 9, 1001]) {
      const x = nn.randn([n], { generator: g });
      expect(nn.sumSquares(x).item(), `n = ${n}`).toBe(exact(x.dataSync()));
    }
    expect(nn.sumSquares(nn.tensor([[3, 4], [12, 0]])).item()).toBe(169);
    expect(nn.sumSquares(nn.tensor([1, Infinity])).item()).toBe(Infinity);
    expect(nn.sumSquares(nn.tensor([1, NaN])).item()).toBeNaN();
  });

  it('is a 0-d tensor whose gradient is 2x', () => {
    const x = nn.tensor([[1, -2], [0.5, 3]]);
    x.requiresGrad = true;
    const y = nn.sumSquares(x);
    expect(y.shape).toEqual([]);
    nn.mul(y, 3).backward();
    expect(Array.from(x.grad!.dataSync())).toEqual([6, -12, 3, 18]);
  });

  it('falls back to sum(square(x)) on a backend without the kernel (wasm), within float32 accumulation', () => {
    const values = nn.randn([4099], { generator: new nn.Generator(9) }).dataSync();
    const want = exact(values);
    nn.setBackend('wasm');
    try {
      expect(nn.getBackend().sumSquares).toBeUndefined();
      const x = nn.tensor(values);
      x.requiresGrad = true;
      const y = nn.sumSquares(x);
      expect(Math.abs(y.item() - want)).toBeLessThanOrEqual(1e-6 * want);
      y.backward();
      expect(x.grad!.dataSync()).toEqual(values.map((v) => 2 * v));
    } finally {
      nn.setBackend('cpu');
    }
  });

  it('the cpu kernel reads only the first `size` values', () => {
    expect(Array.from(cpuBackend.sumSquares!(Float32Array.from([1, 2, 3, 100]), 3))).toEqual([14]);
  });
});
