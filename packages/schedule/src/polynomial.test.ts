import { describe, expect, it } from 'vitest';
import { polynomialDecay } from './index.js';

describe('polynomialDecay', () => {
  it('is linear with power 1 and holds endLr after totalSteps', () => {
    const s = polynomialDecay({ lr: 1, totalSteps: 4 });
    expect([0, 1, 2, 3, 4, 5, 100].map((t) => s.lrAt(t))).toEqual([1, 0.75, 0.5, 0.25, 0, 0, 0]);
  });

  it('with power 2 and endLr: (lr - endLr)(1 - t/T)^2 + endLr', () => {
    const s = polynomialDecay({ lr: 0.1, totalSteps: 10, power: 2, endLr: 0.01 });
    expect(s.lrAt(0)).toBeCloseTo(0.1, 15);
    expect(s.lrAt(5)).toBeCloseTo(0.09 * 0.25 + 0.01, 15);
    expect(s.lrAt(10)).toBeCloseTo(0.01, 15);
    expect(s.lrAt(20)).toBeCloseTo(0.01, 15);
  });

  it("matches PyTorch's PolynomialLR(total_iters=4, power=1.0) on lr 0.1", () => {
    // PyTorch: base_lr * (1 - min(total_iters, t) / total_iters) ** power
    const s = polynomialDecay({ lr: 0.1, totalSteps: 4, power: 1 });
    const expected = [0.1, 0.075, 0.05, 0.025, 0];
    expected.forEach((v, t) => expect(Math.abs(s.lrAt(t) - v)).toBeLessThan(1e-15));
  });
});
