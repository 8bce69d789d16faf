import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cosineDecay, warmRestarts } from './index.js';

describe('warmRestarts (SGDR)', () => {
  it('restarts after t0, then cycles tMult times longer', () => {
    const s = warmRestarts({ lr: 1, t0: 2, tMult: 3 });
    // cycles: [0,2) [2,8) [8,26) [26,80)
    expect([0, 2, 8, 26, 80].map((t) => s.cycleAt(t).start)).toEqual([0, 2, 8, 26, 80]);
    expect([1, 7, 25].map((t) => s.cycleAt(t).index)).toEqual([0, 1, 2]);
    expect(s.lrAt(2)).toBe(1);
    expect(s.lrAt(5)).toBeCloseTo(0.5, 15); // halfway through the 6-step cycle
  });

  it('with tMult 1 repeats a cosine of period t0', () => {
    const s = warmRestarts({ lr: 0.1, t0: 7, etaMin: 0.01 });
    const c = cosineDecay({ lr: 0.1, tMax: 7, etaMin: 0.01 });
    for (let t = 0; t < 50; t++) expect(s.lrAt(t)).toBeCloseTo(c.lrAt(t % 7), 15);
  });

  it('restarts exactly at t0 * (tMult^k - 1) / (tMult - 1), with the lr back at its maximum', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 6 }), (t0, tMult, k) => {
        const s = warmRestarts({ lr: 0.5, t0, tMult, etaMin: 0.001 });
        const start = tMult === 1 ? t0 * k : (t0 * (tMult ** k - 1)) / (tMult - 1);
        expect(s.cycleAt(start)).toEqual({ index: k, start, length: t0 * tMult ** k, tCur: 0 });
        expect(s.lrAt(start)).toBe(0.5);
        // The step before a restart is the end of a cycle (unless cycles are one step long).
        if (start > 0 && s.cycleAt(start - 1).length > 1) expect(s.lrAt(start - 1)).toBeLessThan(0.5);
      }),
    );
  });

  it('stays within [etaMin, lr]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 3 }), fc.nat(10_000), (t0, tMult, t) => {
        const v = warmRestarts({ lr: 0.1, t0, tMult, etaMin: 0.001 }).lrAt(t);
        expect(v).toBeGreaterThanOrEqual(0.001 - 1e-15);
        expect(v).toBeLessThanOrEqual(0.1);
      }),
    );
  });
});
