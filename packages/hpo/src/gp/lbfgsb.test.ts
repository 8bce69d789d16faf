import { describe, expect, it } from 'vitest';
import { minimizeLbfgsb, multiStartLbfgsb } from './lbfgsb.js';

const rosenbrock = (x: Float64Array, g: Float64Array) => {
  const [a, b] = [x[0], x[1]];
  g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
  g[1] = 200 * (b - a * a);
  return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
};

describe('L-BFGS-B (projected)', () => {
  it('finds the Rosenbrock minimum at (1, 1) from (-1.2, 1)', () => {
    const r = minimizeLbfgsb(rosenbrock, [-1.2, 1], { maxIter: 500, pgtol: 1e-9 });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 5);
    expect(r.x[1]).toBeCloseTo(1, 5);
    expect(r.f).toBeLessThan(1e-10);
  });

  it('stops on the bound when the unconstrained minimum lies outside the box', () => {
    // Rosenbrock with x ≤ 0.5: the constrained minimum is on the bound x0 = 0.5, x1 = 0.25.
    const r = minimizeLbfgsb(rosenbrock, [-1.2, 1], { upper: [0.5, 10], lower: -10, maxIter: 500, pgtol: 1e-9 });
    expect(r.x[0]).toBe(0.5);
    expect(r.x[1]).toBeCloseTo(0.25, 6);
  });

  it('solves a bound-active quadratic exactly', () => {
    // f = Σ c_i (x_i - t_i)² with targets outside [0, 1] on two coordinates: the answer clips the target.
    const t = [1.7, -0.4, 0.3, 0.6];
    const c = [1, 10, 100, 0.5];
    const fg = (x: Float64Array, g: Float64Array) => {
      let f = 0;
      for (let i = 0; i < 4; i++) {
        f += c[i] * (x[i] - t[i]) ** 2;
        g[i] = 2 * c[i] * (x[i] - t[i]);
      }
      return f;
    };
    const r = minimizeLbfgsb(fg, [0.5, 0.5, 0.5, 0.5], { lower: 0, upper: 1 });
    expect(r.converged).toBe(true);
    expect(Array.from(r.x).map((v) => +v.toFixed(8))).toEqual([1, 0, 0.3, 0.6]);
    expect(r.f).toBeCloseTo(0.49 + 10 * 0.16, 10);
  });

  it('keeps the best of several starts on a multimodal function', () => {
    // f(x) = sin(3x) + 0.1x² on [-3, 3]: the global minimum is near x = -0.5122 (3cos3x = -0.2x), a local one near x = 1.5.
    const fg = (x: Float64Array, g: Float64Array) => {
      g[0] = 3 * Math.cos(3 * x[0]) + 0.2 * x[0];
      return Math.sin(3 * x[0]) + 0.1 * x[0] ** 2;
    };
    const single = minimizeLbfgsb(fg, [1.6], { lower: -3, upper: 3 });
    const multi = multiStartLbfgsb(fg, [[1.6], [-0.2], [2.9]], { lower: -3, upper: 3 });
    expect(multi.f).toBeLessThan(single.f);
    expect(multi.x[0]).toBeCloseTo(-0.51221, 4);
  });
});
