import { tensor, zeros } from '@nn/tensor';
import { describe, expect, it } from 'vitest';
import { Adam, AdamW, NAdam, SGD, clipGradValue } from './index.js';
import { oneStep, param, values } from './testing/one-step.js';

// The course's forms of the update rules and of clipping, pinned to the course's formulas computed by hand.

describe("epsInsideSqrt: the course's m̂ / √(v̂ + eps)", () => {
  it('Adam: two steps of w −= lr · m̂/√(v̂ + eps), m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ)', () => {
    const p = param([0]);
    const opt = new Adam([p], { lr: 1, betas: [0.5, 0.5], eps: 1, epsInsideSqrt: true });
    // t = 1, g = 2: m = 1, v = 2; m̂ = 2, v̂ = 4
    const w1 = -2 / Math.sqrt(4 + 1);
    expect(oneStep(opt, p, [2])[0]).toBeCloseTo(w1, 6);
    // t = 2, g = 0: m = 0.5, v = 1; m̂ = 0.5/0.75, v̂ = 1/0.75
    expect(oneStep(opt, p, [0])[0]).toBeCloseTo(w1 - (0.5 / 0.75) / Math.sqrt(1 / 0.75 + 1), 6);
    // PyTorch's form (the default) on the same first step: m̂/(√v̂ + eps)
    const q = param([0]);
    expect(oneStep(new Adam([q], { lr: 1, betas: [0.5, 0.5], eps: 1 }), q, [2])[0]).toBeCloseTo(-2 / (2 + 1), 6);
  });

  it('Adam with AMSGrad: the running maximum of v goes under the root with eps', () => {
    const p = param([0]);
    const opt = new Adam([p], { lr: 1, betas: [0.5, 0.5], eps: 1, amsgrad: true, epsInsideSqrt: true });
    oneStep(opt, p, [2]); // v = max v = 2
    // t = 2, g = 0: v = 1 but max v = 2, so v̂ = 2/0.75
    expect(oneStep(opt, p, [0])[0]).toBeCloseTo(-2 / Math.sqrt(5) - (0.5 / 0.75) / Math.sqrt(2 / 0.75 + 1), 6);
  });

  it('AdamW: w ·= 1 − lr·wd, then the course form of the step', () => {
    const p = param([1]);
    const opt = new AdamW([p], { lr: 0.5, weightDecay: 0.2, betas: [0.5, 0.5], eps: 1, epsInsideSqrt: true });
    expect(oneStep(opt, p, [2])[0]).toBeCloseTo(1 * (1 - 0.5 * 0.2) - (0.5 * 2) / Math.sqrt(5), 6);
  });

  it('NAdam: d = √(v/(1−β2ᵗ) + eps) in both terms', () => {
    // momentumDecay 0 makes μ_t = β1·(1 − ½) = 0.25 at every step; Π_1 = 0.25
    const opts = { lr: 1, betas: [0.5, 0.5] as [number, number], eps: 1, momentumDecay: 0 };
    const p = param([0]);
    // g = 2: m = 1, v = 2, v̂ = 4;  w −= (1−μ)/(1−Π)·g/d + μ/(1−Π·μ)·m/d
    const numerator = (0.75 / 0.75) * 2 + (0.25 / (1 - 0.25 * 0.25)) * 1;
    expect(oneStep(new NAdam([p], { ...opts, epsInsideSqrt: true }), p, [2])[0]).toBeCloseTo(-numerator / Math.sqrt(4 + 1), 6);
    const q = param([0]);
    expect(oneStep(new NAdam([q], opts), q, [2])[0]).toBeCloseTo(-numerator / (2 + 1), 6);
  });

  it('is off by default, checked as a boolean, and kept in configs and state dicts', () => {
    expect(new Adam().defaults.epsInsideSqrt).toBe(false);
    expect(new NAdam().defaults.epsInsideSqrt).toBe(false);
    expect(() => new Adam({ epsInsideSqrt: 1 as never })).toThrow(/Adam.*epsInsideSqrt/);
    const opt = new AdamW([param([1])], { epsInsideSqrt: true });
    expect(AdamW.fromConfig(opt.getConfig() as never).defaults.epsInsideSqrt).toBe(true);
    expect(opt.stateDict().paramGroups[0].epsInsideSqrt).toBe(true);
  });
});

describe("clipping by value to [a, b]: the course's max(min(g, b), a)", () => {
  const withGrads = (...grads: number[][]) =>
    grads.map((g) => {
      const p = zeros([g.length]);
      p.grad = tensor(g);
      return p;
    });
  const course = (g: number[], a: number, b: number) => g.map((v) => Math.fround(Math.max(Math.min(v, b), a)));

  it('clipGradValue takes a pair of bounds', () => {
    const g = [-3, 0.25, 2, -0.05];
    const ps = withGrads(g);
    clipGradValue(ps, [-0.1, 0.5]);
    expect(values(ps[0].grad!)).toEqual(course(g, -0.1, 0.5));
    expect(values(ps[0].grad!)).toEqual([-0.1, 0.25, 0.5, -0.05].map(Math.fround));
    const pos = withGrads([0, 2, 0.75]);
    clipGradValue(pos, [0.5, 1]); // a lower bound above zero is allowed: the formula does not care
    expect(values(pos[0].grad!)).toEqual([0.5, 1, 0.75]);
    const sym = withGrads([-3, 3]);
    clipGradValue(sym, 2); // a number is still [-c, c]
    expect(values(sym[0].grad!)).toEqual([-2, 2]);
  });

  it('refuses bounds that are not a pair of finite numbers with min <= max', () => {
    for (const bad of [[1, -1], [Number.NaN, 1], [0, Infinity], [1], [1, 2, 3], 'x', -1]) {
      expect(() => clipGradValue(withGrads([1]), bad as never)).toThrow(/clipGradValue: clipValue must be a non-negative number or a pair \[min, max\]/);
    }
    expect(() => new SGD({ clipValue: [1, 0] })).toThrow(/SGD: clipValue must be a non-negative number or a pair/);
  });

  it('as the optimizer option: each update sees the clamped gradient, .grad is left alone', () => {
    const [p] = withGrads([3, -3, 0.2]);
    new SGD([p], { lr: 1, clipValue: [-0.1, 0.5] }).step();
    expect(values(p)).toEqual([-0.5, 0.1, -0.2].map(Math.fround));
    expect(values(p.grad!)).toEqual([3, -3, 0.2].map(Math.fround));
    // maximize ascends along the clamped gradient: the bounds apply to g, not to −g
    const [q] = withGrads([3, -3]);
    new SGD([q], { lr: 1, clipValue: [-0.1, 0.5], maximize: true }).step();
    expect(values(q)).toEqual([0.5, -0.1].map(Math.fround));
  });

  it('the option equals clipGradValue then step, and survives getConfig', () => {
    const a = withGrads([3, -0.1], [-12]);
    const opt = new Adam(a, { lr: 0.1, clipValue: [-0.05, 0.2] });
    opt.step();
    const b = withGrads([3, -0.1], [-12]);
    clipGradValue(b, [-0.05, 0.2]);
    new Adam(b, { lr: 0.1 }).step();
    expect(a.map(values)).toEqual(b.map(values));
    expect(opt.getConfig().clipValue).toEqual([-0.05, 0.2]);
    expect(Adam.fromConfig(JSON.parse(JSON.stringify(opt.getConfig()))).clipValue).toEqual([-0.05, 0.2]);
  });
});
