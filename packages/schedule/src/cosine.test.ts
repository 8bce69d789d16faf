import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cosineDecay } from './index.js';

describe('cosineDecay', () => {
  it('starts at lr, is halfway at tMax/2 and reaches etaMin at tMax (the factor 1/2 included)', () => {
    const s = cosineDecay({ lr: 0.1, tMax: 10, etaMin: 0.02 });
    expect(s.lrAt(0)).toBe(0.1);
    expect(s.lrAt(5)).toBeCloseTo(0.06, 15);
    expect(s.lrAt(10)).toBeCloseTo(0.02, 15);
  });

  it("is not the course's slide formula lr * (1 + cos(t pi / T)), which starts at 2 lr", () => {
    const s = cosineDecay({ lr: 1, tMax: 8 });
    const slide = (t: number) => 1 * (1 + Math.cos((t * Math.PI) / 8));
    for (let t = 0; t <= 8; t++) expect(s.lrAt(t)).toBeCloseTo(slide(t) / 2, 15);
  });

  it('past tMax follows the cosine back up, as PyTorch (periodic in 2 tMax)', () => {
    const s = cosineDecay({ lr: 0.1, tMax: 10 });
    expect(s.lrAt(15)).toBeCloseTo(s.lrAt(5), 15);
    expect(s.lrAt(20)).toBeCloseTo(0.1, 15);
  });

  it('stays within [etaMin, lr] and decreases on [0, tMax]', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-6, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 1000 }),
        fc.nat(5000),
        (lr, frac, tMax, t) => {
          const etaMin = lr * frac;
          const s = cosineDecay({ lr, tMax, etaMin });
          const v = s.lrAt(t);
          expect(v).toBeGreaterThanOrEqual(etaMin - 1e-12 * lr);
          expect(v).toBeLessThanOrEqual(lr + 1e-12 * lr);
          if (t < tMax) expect(s.lrAt(t + 1)).toBeLessThanOrEqual(v + 1e-15);
        },
      ),
    );
  });
});
