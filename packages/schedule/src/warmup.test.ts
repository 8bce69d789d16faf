import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constant, cosineDecay, cyclic, linearWarmup, sequentialLR, withWarmup } from './index.js';

describe('linearWarmup', () => {
  it('ramps lr * factor linearly from startFactor to endFactor over totalSteps, then holds', () => {
    const s = linearWarmup({ lr: 0.1, startFactor: 0.5, endFactor: 1, totalSteps: 4 });
    const want = [0.05, 0.0625, 0.075, 0.0875, 0.1, 0.1];
    want.forEach((v, t) => expect(s.lrAt(t)).toBeCloseTo(v, 15));
  });

  it("with startFactor 1/T' over T' − 1 steps is the course's t/T' · lr, t = 1 … T' from the first update", () => {
    const s = linearWarmup({ lr: 0.2, startFactor: 1 / 10, totalSteps: 9 });
    for (let step = 0; step < 10; step++) expect(s.lrAt(step)).toBeCloseTo(((step + 1) / 10) * 0.2, 15);
    expect(s.lrAt(20)).toBeCloseTo(0.2, 15);
  });

  it("defaults to PyTorch's LinearLR: startFactor 1/3 over 5 steps", () => {
    const s = linearWarmup({ lr: 0.3 });
    expect(s.lrAt(0)).toBeCloseTo(0.1, 15);
    expect(s.lrAt(5)).toBeCloseTo(0.3, 15);
  });
});

describe('withWarmup', () => {
  it("is the course's t/T' · lr from the first update: lrAt(0) = lr/T', lrAt(T' − 1) = lr", () => {
    const s = withWarmup(constant({ lr: 0.3 }), { steps: 6 });
    // the course counts updates t = 1, 2, …; step 0 is update t = 1
    for (let t = 1; t <= 6; t++) expect(s.lrAt(t - 1)).toBeCloseTo((t / 6) * 0.3, 15);
    expect(s.lrAt(0)).toBeCloseTo(0.3 / 6, 15);
    expect(s.lrAt(5)).toBe(0.3);
    expect(s.lrAt(0)).toBeGreaterThan(0); // no update is spent at lr 0
  });

  it('then runs the schedule from its own step 0 (hand values)', () => {
    const s = withWarmup(cosineDecay({ lr: 0.1, tMax: 4 }), { steps: 4 });
    const want = [0.025, 0.05, 0.075, 0.1, 0.1, 0.1 * (1 + Math.cos(Math.PI / 4)) / 2, 0.05, 0.1 * (1 + Math.cos((3 * Math.PI) / 4)) / 2, 0];
    want.forEach((v, t) => expect(s.lrAt(t)).toBeCloseTo(v, 15));
    expect(s.getConfig().startFactor).toBe(0.25);
  });

  it('with startFactor starts at that fraction and reaches the lr at step steps − 1', () => {
    const s = withWarmup(constant({ lr: 1 }), { steps: 5, startFactor: 0.6 });
    expect([0, 1, 2, 3, 4, 5, 9].map((t) => s.lrAt(t))).toEqual([0.6, 0.7, 0.8, 0.9, 1, 1, 1].map((v, i) => (i === 0 || i > 3 ? v : expect.closeTo(v, 15))));
    // one warm-up step: that step at startFactor (by default 1/1: no warm-up at all)
    expect(withWarmup(constant({ lr: 1 }), { steps: 1, startFactor: 0.5 }).lrAt(0)).toBe(0.5);
    expect(withWarmup(constant({ lr: 1 }), { steps: 1 }).lrAt(0)).toBe(1);
    // fractional steps (epoch + i/n) stay on the ramp and never pass the lr
    expect(s.lrAt(3.5)).toBeCloseTo(0.95, 15);
    expect(s.lrAt(4.5)).toBe(1);
    expect(s.lrAt(0.5)).toBeCloseTo(0.65, 15);
  });

  it("equals sequentialLR([linearWarmup({ startFactor, totalSteps: steps − 1 }), schedule], [steps])", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 30 }), fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }), fc.nat(200), (steps, startFactor, t) => {
        const inner = cosineDecay({ lr: 0.1, tMax: 50, etaMin: 0.001 });
        const a = withWarmup(inner, { steps, startFactor });
        const b = sequentialLR([linearWarmup({ lr: 0.1, startFactor: startFactor ?? 1 / steps, endFactor: 1, totalSteps: steps - 1 }), inner], [steps]);
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
