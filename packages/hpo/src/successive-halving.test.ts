import { describe, expect, it } from 'vitest';
import { successiveHalving } from './successive-halving.js';

describe('successiveHalving', () => {
  it('keeps the best 1/eta each rung, multiplies the resource by eta, and trains the winner with the full budget', async () => {
    // Candidate i's loss after r epochs: a per-candidate floor plus a decaying term.
    const floors = [0.5, 0.1, 0.9, 0.3, 0.2, 0.8, 0.05, 0.7, 0.6];
    const calls: [number, number][] = [];
    const result = await successiveHalving({
      candidates: floors.map((f, i) => ({ id: i, f })),
      minResource: 1,
      maxResource: 27,
      eta: 3,
      evaluate: (c, r) => {
        calls.push([c.id, r]);
        return c.f + 1 / r;
      },
    });
    expect(result.rungs.map((r) => [r.resource, r.results.map((x) => x.index)])).toEqual([
      [1, [6, 1, 4, 3, 0, 8, 7, 5, 2]],
      [3, [6, 1, 4]],
      [27, [6]],
    ]);
    expect(result.best).toEqual({ id: 6, f: 0.05 });
    expect(result.bestIndex).toBe(6);
    expect(result.bestValue).toBeCloseTo(0.05 + 1 / 27);
    expect(result.totalResource).toBe(9 * 1 + 3 * 3 + 1 * 27);
    expect(calls).toHaveLength(13);
  });

  it('caps the resource at maxResource, maximizes, and treats failures and NaN as worst', async () => {
    const result = await successiveHalving({
      candidates: ['a', 'b', 'c', 'd'],
      minResource: 2,
      maxResource: 5,
      eta: 2,
      direction: 'maximize',
      evaluate: async (c, r) => {
        if (c === 'a') throw new Error('diverged');
        if (c === 'b') return Number.NaN;
        return (c === 'c' ? 1 : 2) * r;
      },
      concurrency: 2,
    });
    expect(result.rungs.map((r) => r.resource)).toEqual([2, 4, 5]);
    expect(result.rungs[0].results.map((r) => r.candidate)).toEqual(['d', 'c', 'a', 'b']);
    expect(result.rungs[0].results[2].error).toBe('Error: diverged');
    expect(result.best).toBe('d');
    const capped = await successiveHalving({ candidates: [1, 2, 3, 4, 5, 6, 7, 8, 9], minResource: 1, maxResource: 4, eta: 3, evaluate: (c, r) => c / r });
    expect(capped.rungs.map((r) => [r.resource, r.results.length])).toEqual([[1, 9], [3, 3], [4, 1]]);
  });

  it('trains a lone candidate with the full budget too', async () => {
    const result = await successiveHalving({ candidates: ['only'], minResource: 1, maxResource: 27, eta: 3, evaluate: (_c, r) => 1 / r });
    expect(result.rungs.map((r) => r.resource)).toEqual([1, 27]);
    expect(result.bestValue).toBeCloseTo(1 / 27);
  });

  it('validates its options', async () => {
    const evaluate = () => 0;
    await expect(successiveHalving({ candidates: [], minResource: 1, maxResource: 2, evaluate })).rejects.toThrow('successiveHalving: candidates must be a non-empty array');
    await expect(successiveHalving({ candidates: [1], minResource: 0, maxResource: 2, evaluate })).rejects.toThrow('successiveHalving: minResource must be a positive number, got 0');
    await expect(successiveHalving({ candidates: [1], minResource: 3, maxResource: 2, evaluate })).rejects.toThrow('successiveHalving: maxResource must be a number >= minResource (3), got 2');
    await expect(successiveHalving({ candidates: [1], minResource: 1, maxResource: 2, eta: 1, evaluate })).rejects.toThrow('successiveHalving: eta must be a number > 1, got 1');
    await expect(successiveHalving({ candidates: [1], minResource: 1, maxResource: 2, evaluate: 3 as never })).rejects.toThrow('successiveHalving: evaluate must be a function');
    await expect(successiveHalving({ candidates: [1], minResource: 1, maxResource: 2, evaluate, direction: 'up' as never })).rejects.toThrow('successiveHalving: direction must be "minimize" or "maximize", got "up"');
    await expect(successiveHalving({ candidates: [1], minResource: 1, maxResource: 2, evaluate, minResorce: 1 } as never)).rejects.toThrow('successiveHalving: unknown option "minResorce"; did you mean "minResource" or "maxResource"?');
    await expect(successiveHalving({ candidates: [1, 2], minResource: 1, maxResource: 2, evaluate: () => { throw new Error('bug'); } })).rejects.toThrow('successiveHalving: every evaluation at rung 0 (resource 1) failed; the first: Error: bug');
  });
});
