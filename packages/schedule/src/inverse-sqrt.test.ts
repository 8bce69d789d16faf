import { describe, expect, it } from 'vitest';
import { inverseSqrtDecay } from './index.js';

describe('inverseSqrtDecay', () => {
  it("is the course's α/√t with t = 1 at the first update (step 0)", () => {
    const s = inverseSqrtDecay({ lr: 0.6 });
    for (let t = 1; t <= 50; t++) expect(s.lrAt(t - 1)).toBeCloseTo(0.6 / Math.sqrt(t), 15);
    expect([0, 3, 8, 99].map((step) => s.lrAt(step))).toEqual([0.6, 0.3, 0.2, 0.06].map((v, i) => (i === 0 ? v : expect.closeTo(v, 15))));
  });

  it('checks its options and steps', () => {
    expect(() => inverseSqrtDecay({ lr: -1 })).toThrow('inverseSqrtDecay: lr must be a non-negative number, got -1');
    expect(() => inverseSqrtDecay({ lr: 1, alpha: 2 } as never)).toThrow(/inverseSqrtDecay: unknown option "alpha"/);
    expect(() => inverseSqrtDecay({ lr: 1 }).lrAt(-1)).toThrow(/inverseSqrtDecay/);
  });
});
