import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cyclic } from './index.js';

describe('cyclic', () => {
  it('triangular: up stepSizeUp steps, down stepSizeDown steps (asymmetric, hand values)', () => {
    const s = cyclic({ baseLr: 0, maxLr: 1, stepSizeUp: 2, stepSizeDown: 4 });
    const want = [0, 0.5, 1, 0.75, 0.5, 0.25, 0, 0.5, 1];
    want.forEach((v, t) => expect(s.lrAt(t)).toBeCloseTo(v, 14));
    // momentum mirrors it between maxMomentum 0.9 and baseMomentum 0.8
    [0.9, 0.85, 0.8, 0.825, 0.85, 0.875, 0.9].forEach((v, t) => expect(s.momentumAt(t)).toBeCloseTo(v, 14));
  });

  it("triangular2 halves the amplitude each cycle (the course's decreasing bounds)", () => {
    const s = cyclic({ baseLr: 0, maxLr: 1, stepSizeUp: 1, mode: 'triangular2' });
    expect([1, 3, 5, 7].map((t) => s.lrAt(t))).toEqual([1, 0.5, 0.25, 0.125]);
  });

  it("triangular_decay: the course's cycle with both bounds times gamma each cycle (hand values)", () => {
    const s = cyclic({ baseLr: 0.1, maxLr: 1, stepSizeUp: 2, mode: 'triangular_decay', gamma: 0.5 });
    // cycle c runs between baseLr·γ^(c−1) and maxLr·γ^(c−1)
    const want = [0.1, 0.55, 1, 0.55, 0.05, 0.275, 0.5, 0.275, 0.025, 0.1375, 0.25];
    want.forEach((v, t) => expect(s.lrAt(t)).toBeCloseTo(v, 15));
    // triangular2 keeps the lower bound: its troughs stay at baseLr
    const t2 = cyclic({ baseLr: 0.1, maxLr: 1, stepSizeUp: 2, mode: 'triangular2' });
    expect([0, 4, 8].map((t) => t2.lrAt(t))).toEqual([0.1, 0.1, 0.1]);
    expect([0, 4, 8].map((t) => s.lrAt(t))).toEqual([0.1, 0.05, 0.025]);
    // gamma defaults to 0.5 per cycle in this mode (the halving of triangular2, on both bounds)
    expect(cyclic({ baseLr: 0.1, maxLr: 1, stepSizeUp: 2, mode: 'triangular_decay' }).gamma).toBe(0.5);
    // momentum cycles with the position inside the cycle's own bounds
    expect([0, 2, 4, 6].map((t) => s.momentumAt(t))).toEqual([0.9, 0.8, 0.9, 0.8]);
  });

  it('triangular_decay equals triangular times a per-cycle staircase exponential decay', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 10 }), fc.double({ min: 0.1, max: 1, noNaN: true }), fc.nat(300), (up, down, gamma, t) => {
        const s = cyclic({ baseLr: 0.01, maxLr: 0.1, stepSizeUp: up, stepSizeDown: down, mode: 'triangular_decay', gamma });
        const plain = cyclic({ baseLr: 0.01, maxLr: 0.1, stepSizeUp: up, stepSizeDown: down });
        expect(s.lrAt(t)).toBeCloseTo(plain.lrAt(t) * gamma ** Math.floor(t / (up + down)), 15);
      }),
    );
  });

  it('exp_range scales the amplitude by gamma^step', () => {
    const s = cyclic({ baseLr: 0, maxLr: 1, stepSizeUp: 2, mode: 'exp_range', gamma: 0.5 });
    expect(s.lrAt(2)).toBeCloseTo(0.25, 15);
    expect(s.lrAt(6)).toBeCloseTo(1 / 64, 15);
  });

  it('without cycleMomentum leaves momentum alone', () => {
    expect(cyclic({ baseLr: 0.1, maxLr: 1, stepSizeUp: 3, cycleMomentum: false }).momentumAt(2)).toBeUndefined();
  });

  it('keeps lr in [baseLr, maxLr] and momentum in [baseMomentum, maxMomentum], moving in opposite directions', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 20 }),
        fc.constantFrom('triangular' as const, 'triangular2' as const, 'exp_range' as const),
        fc.nat(500),
        (up, down, mode, t) => {
          const s = cyclic({ baseLr: 0.01, maxLr: 0.1, stepSizeUp: up, stepSizeDown: down, mode, gamma: 0.99 });
          const lr = s.lrAt(t);
          const m = s.momentumAt(t)!;
          expect(lr).toBeGreaterThanOrEqual(0.01 - 1e-15);
          expect(lr).toBeLessThanOrEqual(0.1 + 1e-15);
          expect(m).toBeGreaterThanOrEqual(0.8 - 1e-15);
          expect(m).toBeLessThanOrEqual(0.9 + 1e-15);
          // lr - baseLr and maxMomentum - momentum are the same fraction of their ranges
          expect((lr - 0.01) / 0.09).toBeCloseTo((0.9 - m) / 0.1, 9);
          if (t % (up + down) === 0) expect(lr).toBeCloseTo(0.01, 15);
        },
      ),
    );
  });
});
