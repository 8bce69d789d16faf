import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constant, cosineDecay, cyclic, linearWarmup, sequentialLR, withWarmup } from './index.js';

describe('linearWarmup', () => {
  it('ramps lr * factor linearly from startFactor to endFactor over totalSteps, then holds', () => {
    const s = linearWarmup({ lr: 0.1, startFactor: 0.5, endFactor: 1, totalSteps: 4 });
    const want = [0.05, 0.0625, 0.075, 0.0875, 0.1, 0.1];
    want.forEach((v, t) => expect(s.lrAt(t)).toBeCloseTo(v, 15));
  });

  it("with startFactor 0 is the course's t/T' * lr", () => {
    const s = linearWarmup({ lr: 0.2, startFactor: 0, totalSteps: 10 });
    for (let t = 0; t <= 10; t++) expect(s.lrAt(t)).toBeCloseTo((t / 10) * 0.2, 15);
  });

  it("defaults to PyTorch's LinearLR: startFactor 1/3 over 5 steps", () => {
    const s = linearWarmup({ lr: 0.3 });
    expect(s.lrAt(0)).toBeCloseTo(0.1, 15);
    expect(s.lrAt(5)).toBeCloseTo(0.3, 15);
  });
});

describe('withWarmup', () => {
  it('ramps from 0 to the schedule start, then runs the schedule from its step 0 (hand values)', () => {
    const s = withWarmup(cosineDecay({ lr: 0.1, tMax: 4 }), { steps: 4 });
    const want = [0, 0.025, 0.05, 0.075, 0.1, 0.1 * (1 + Math.cos(Math.PI / 4)) / 2, 0.05, 0.1 * (1 + Math.cos((3 * Math.PI) / 4)) / 2, 0];
    want.forEach((v, t) => expect(s.lrAt(t)).toBeCloseTo(v, 15));
  });

  it('with startFactor starts at that fraction', () => {
    const s = withWarmup(constant({ lr: 1 }), { steps: 5, startFactor: 0.5 });
    expect([0, 1, 4, 5, 9].map((t) => s.lrAt(t))).toEqual([0.5, 0.6, 0.9, 1, 1]);
  });

  it('equals sequentialLR([linearWarmup, schedule], [steps])', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(200), (steps, startFactor, t) => {
        const inner = cosineDecay({ lr: 0.1, tMax: 50, etaMin: 0.001 });
        const a = withWarmup(inner, { steps, startFactor });
        const b = sequentialLR([linearWarmup({ lr: 0.1, startFactor, endFactor: 1, totalSteps: steps }), inner], [steps]);
        expect(Math.abs(a.lrAt(t) - b.lrAt(t))).toBeLessThanOrEqual(1e-15);
      }),
    );
  });

  it("passes the inner schedule's momentum through (its step-0 momentum during the warm-up)", () => {
    const inner = cyclic({ baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2 });
    const s = withWarmup(inner, { steps: 3 });
    expect(s.momentumAt(0)).toBe(inner.momentumAt(0));
    expect(s.momentumAt(4)).toBe(inner.momentumAt(1));
    expect(withWarmup(constant({ lr: 1 }), { steps: 2 }).momentumAt(5)).toBeUndefined();
  });
});
