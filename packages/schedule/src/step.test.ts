import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constant, multiStep, piecewiseConstant, stepDecay, type Schedule } from './index.js';

describe('constant', () => {
  it('is the lr at every step', () => {
    const s = constant({ lr: 0.3 });
    expect([0, 1, 1000, 2.5].map((t) => s.lrAt(t))).toEqual([0.3, 0.3, 0.3, 0.3]);
    expect((s as Schedule).momentumAt).toBeUndefined();
  });
});

describe('stepDecay', () => {
  it('multiplies by gamma every stepSize steps', () => {
    const s = stepDecay({ lr: 1, stepSize: 3, gamma: 0.5 });
    expect(Array.from({ length: 8 }, (_, t) => s.lrAt(t))).toEqual([1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25]);
  });

  it('defaults gamma to 0.1, as PyTorch', () => {
    expect(stepDecay({ lr: 1, stepSize: 2 }).lrAt(4)).toBeCloseTo(0.01, 15);
  });
});

describe('multiStep', () => {
  it('multiplies by gamma at each milestone, the milestone being the first step of the new lr', () => {
    const s = multiStep({ lr: 1, milestones: [2, 5], gamma: 0.1 });
    const lrs = Array.from({ length: 7 }, (_, t) => s.lrAt(t));
    expect(lrs.map((v) => Number(v.toPrecision(12)))).toEqual([1, 1, 0.1, 0.1, 0.1, 0.01, 0.01]);
  });

  it('with no milestones is constant', () => {
    expect(multiStep({ lr: 0.2, milestones: [] }).lrAt(99)).toBe(0.2);
  });
});

describe('piecewiseConstant', () => {
  it("is the course's form: after T_i steps the lr is b_i times the initial one", () => {
    const lr = 0.1;
    const s = piecewiseConstant({ boundaries: [10, 20], values: [lr, 0.5 * lr, 0.1 * lr] });
    expect([0, 9, 10, 19, 20, 1e6].map((t) => s.lrAt(t))).toEqual([0.1, 0.1, 0.05, 0.05, 0.010000000000000002, 0.010000000000000002]);
  });

  it('agrees with multiStep when the values are powers of gamma', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), (t) => {
        const gamma = 0.3;
        const m = multiStep({ lr: 0.1, milestones: [10, 26, 40], gamma });
        const p = piecewiseConstant({ boundaries: [10, 26, 40], values: [0.1, 0.1 * gamma, 0.1 * gamma ** 2, 0.1 * gamma ** 3] });
        expect(Math.abs(m.lrAt(t) - p.lrAt(t))).toBeLessThan(1e-15);
      }),
    );
  });
});
