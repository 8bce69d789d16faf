import { describe, expect, it } from 'vitest';
import { constant, cosineDecay, cyclic, exponentialDecay, linearWarmup, product, sequentialLR, stepDecay } from './index.js';

describe('sequential', () => {
  it('switches at each milestone and restarts the next schedule at its step 0 (hand values)', () => {
    const s = sequentialLR([constant({ lr: 1 }), exponentialDecay({ lr: 0.5, gamma: 0.5 }), constant({ lr: 0.01 })], [2, 5]);
    expect(Array.from({ length: 8 }, (_, t) => s.lrAt(t))).toEqual([1, 1, 0.5, 0.25, 0.125, 0.01, 0.01, 0.01]);
  });

  it('nests: a warm-up, then a sequential of cosine and a constant tail', () => {
    const tail = sequentialLR([cosineDecay({ lr: 0.1, tMax: 4, etaMin: 0.01 }), constant({ lr: 0.01 })], [4]);
    const s = sequentialLR([linearWarmup({ lr: 0.1, startFactor: 0.5, totalSteps: 2 }), tail], [2]);
    const want = [0.05, 0.075, 0.1, 0.01 + 0.09 * (1 + Math.SQRT1_2) / 2, 0.055, 0.01 + 0.09 * (1 - Math.SQRT1_2) / 2, 0.01, 0.01];
    want.forEach((v, t) => expect(s.lrAt(t)).toBeCloseTo(v, 15));
  });

  it('gives the momentum of the schedule in force, undefined where it has none', () => {
    const c = cyclic({ baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2, baseMomentum: 0.8, maxMomentum: 0.9 });
    const s = sequentialLR([constant({ lr: 0.01 }), c], [3]);
    expect(s.momentumAt(0)).toBeUndefined();
    expect(s.momentumAt(3)).toBe(0.9);
    expect(s.momentumAt(5)).toBeCloseTo(0.8, 15);
  });
});

describe('product', () => {
  it('multiplies the lrs step by step (hand values)', () => {
    const s = product([constant({ lr: 0.1 }), stepDecay({ lr: 1, stepSize: 2, gamma: 0.5 }), exponentialDecay({ lr: 1, gamma: 0.9 })]);
    const want = [0.1, 0.09, 0.5 * 0.1 * 0.81, 0.5 * 0.1 * 0.729, 0.25 * 0.1 * 0.6561];
    want.forEach((v, t) => expect(s.lrAt(t)).toBeCloseTo(v, 15));
  });

  it('a cycle under a decaying envelope', () => {
    const s = product([cyclic({ baseLr: 0, maxLr: 1, stepSizeUp: 2, cycleMomentum: false }), exponentialDecay({ lr: 0.1, gamma: 0.5 })]);
    const want = [0, 0.5 * 0.05, 1 * 0.025, 0.5 * 0.0125, 0];
    want.forEach((v, t) => expect(s.lrAt(t)).toBeCloseTo(v, 15));
    expect(s.momentumAt(1)).toBeUndefined();
  });

  it('takes momentum from the first factor that cycles it', () => {
    const c = cyclic({ baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2 });
    const s = product([constant({ lr: 2 }), c]);
    expect(s.momentumAt(1)).toBe(c.momentumAt(1));
    expect(s.lrAt(1)).toBeCloseTo(2 * c.lrAt(1), 15);
  });
});
