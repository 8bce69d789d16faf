import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { oneCycle } from './index.js';

describe('oneCycle', () => {
  it('two phases: from maxLr/divFactor up to maxLr, then down to initial/finalDivFactor', () => {
    const s = oneCycle({ maxLr: 1, totalSteps: 100, pctStart: 0.3 });
    expect(s.lrAt(0)).toBeCloseTo(0.04, 15);
    expect(s.lrAt(29)).toBeCloseTo(1, 15); // the rise ends at pctStart * total - 1
    expect(s.lrAt(99)).toBeCloseTo(0.04 / 1e4, 15);
    expect(s.momentumAt(0)).toBeCloseTo(0.95, 15);
    expect(s.momentumAt(29)).toBeCloseTo(0.85, 15);
    expect(s.momentumAt(99)).toBeCloseTo(0.95, 15);
  });

  it('threePhase with linear annealing (hand values)', () => {
    // phase ends: 0.25*10-1 = 1.5, 2*0.25*10-2 = 3, 9; initial 0.1, min 0.001
    const s = oneCycle({ maxLr: 1, totalSteps: 10, pctStart: 0.25, divFactor: 10, finalDivFactor: 100, annealStrategy: 'linear', threePhase: true });
    const lr = [0.1, 0.7, 0.7, 0.1, 0.1 - 0.099 / 6, 0.1 - (2 * 0.099) / 6];
    lr.forEach((v, t) => expect(s.lrAt(t)).toBeCloseTo(v, 14));
    expect(s.lrAt(9)).toBeCloseTo(0.001, 15);
    const mom = [0.95, 0.95 - 0.1 * (2 / 3), 0.85 + 0.1 / 3, 0.95, 0.95, 0.95];
    mom.forEach((v, t) => expect(s.momentumAt(t)).toBeCloseTo(v, 14));
  });

  it('holds the final lr and momentum past the last step (PyTorch raises there)', () => {
    const s = oneCycle({ maxLr: 0.5, totalSteps: 20 });
    expect(s.lrAt(19)).toBeCloseTo(0.02 / 1e4, 15);
    expect(s.lrAt(20)).toBe(s.lrAt(19));
    expect(s.lrAt(1000)).toBe(s.lrAt(19));
    expect(s.momentumAt(1000)).toBe(s.momentumAt(19));
  });

  it('takes its length from epochs * stepsPerEpoch, as PyTorch', () => {
    const a = oneCycle({ maxLr: 0.5, epochs: 4, stepsPerEpoch: 25 });
    const b = oneCycle({ maxLr: 0.5, totalSteps: 100 });
    expect(a.totalSteps).toBe(100);
    expect(a.getConfig()).toEqual(b.getConfig());
    for (let t = 0; t < 100; t++) expect(a.lrAt(t)).toBe(b.lrAt(t));
  });

  it('without cycleMomentum leaves momentum alone', () => {
    expect(oneCycle({ maxLr: 1, totalSteps: 10, cycleMomentum: false }).momentumAt(3)).toBeUndefined();
  });

  it('a rise squeezed into step 0 starts at maxLr instead of dividing by zero', () => {
    const s = oneCycle({ maxLr: 1, totalSteps: 10, pctStart: 0.1 });
    expect(s.lrAt(0)).toBe(1);
    expect(Number.isFinite(s.lrAt(1))).toBe(true);
  });

  it('stays within [final lr, maxLr] and peaks at maxLr', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 300 }),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        fc.constantFrom('cos' as const, 'linear' as const),
        fc.boolean(),
        (total, pct, annealStrategy, threePhase) => {
          const pctStart = threePhase ? pct / 2 : pct;
          const s = oneCycle({ maxLr: 1, totalSteps: total, pctStart, annealStrategy, threePhase });
          let peak = 0;
          for (let t = 0; t < total; t++) {
            const v = s.lrAt(t);
            expect(v).toBeGreaterThanOrEqual(1 / 25 / 1e4 - 1e-15);
            expect(v).toBeLessThanOrEqual(1 + 1e-12);
            peak = Math.max(peak, v);
            const m = s.momentumAt(t)!;
            expect(m).toBeGreaterThanOrEqual(0.85 - 1e-12);
            expect(m).toBeLessThanOrEqual(0.95 + 1e-12);
          }
          expect(s.lrAt(total - 1)).toBeCloseTo(1 / 25 / 1e4, 12);
          // when the rise ends on a whole step, that step is the peak
          if (Number.isInteger(pctStart * total) && pctStart * total >= 1) expect(peak).toBeCloseTo(1, 12);
        },
      ),
    );
  });
});
