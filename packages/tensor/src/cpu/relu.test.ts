import { describe, expect, it } from 'vitest';
import { relu, sum, tensor } from '../index.js';

describe('cpu relu (branch-free on the bits)', () => {
  it('keeps positives, zeroes negatives, −0 and −Infinity, passes NaN as PyTorch', () => {
    const x = tensor([3.5, -2, 0, -0, Infinity, -Infinity, NaN, 1e-45, -1e-45, 3.4e38, -3.4e38]);
    const y = Array.from(relu(x).dataSync());
    expect(y.slice(0, 6)).toEqual([3.5, 0, 0, 0, Infinity, 0]);
    expect(Object.is(y[3], 0)).toBe(true); // relu(−0) is +0
    expect(y[6]).toBeNaN();
    expect(y.slice(7)).toEqual([Math.fround(1e-45), 0, Math.fround(3.4e38), 0]);
  });

  it('its gradient is the mask x > 0 (0 at 0, −0 and NaN)', () => {
    const big = new Float32Array([9, -1, 2, -3, 4]);
    const x = tensor(big.subarray(1));
    x.requiresGrad = true;
    expect(Array.from(relu(x).dataSync())).toEqual([0, 2, 0, 4]);
    sum(relu(x)).backward();
    expect(Array.from(x.grad!.dataSync())).toEqual([0, 1, 0, 1]);
    const z = tensor([0, -0, NaN, 5]);
    z.requiresGrad = true;
    sum(relu(z)).backward();
    expect(Array.from(z.grad!.dataSync())).toEqual([0, 0, 0, 1]);
  });
});
