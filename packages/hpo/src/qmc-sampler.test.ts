import { describe, expect, it } from 'vitest';
import { HyperbandPruner } from './hyperband-pruner.js';
import { QMCSampler } from './qmc-sampler.js';
import { RandomSampler } from './random-sampler.js';
import { createStudy } from './study.js';
import { TrialPruned } from './trial.js';
import { describeSamplerContract } from './testing/sampler-contract.js';

describeSamplerContract('QMCSampler', (seed) => new QMCSampler({ seed }));
describeSamplerContract('RandomSampler', (seed) => new RandomSampler({ seed }));

/** The largest empty-box discrepancy proxy: the worst count deviation over a grid of sub-boxes [0,a)x[0,b). */
function starDiscrepancy(points: [number, number][]): number {
  let worst = 0;
  for (let i = 1; i <= 16; i++) {
    for (let j = 1; j <= 16; j++) {
      const a = i / 16;
      const b = j / 16;
      const inside = points.filter(([x, y]) => x < a && y < b).length / points.length;
      worst = Math.max(worst, Math.abs(inside - a * b));
    }
  }
  return worst;
}

describe('QMCSampler', () => {
  it('covers the space more evenly than random draws', async () => {
    const run = async (sampler: QMCSampler | RandomSampler) => {
      const s = createStudy({ sampler });
      await s.optimize((t) => t.suggestFloat('x', 0, 1) + t.suggestFloat('y', 0, 1), { nTrials: 129 });
      // The first trial is random (no completed trial yet); the next 128 are Sobol points 0..127.
      return s.trials.slice(1).map((t) => [t.params.x, t.params.y] as [number, number]);
    };
    let qmc = 0;
    let rnd = 0;
    for (let seed = 0; seed < 5; seed++) {
      qmc += starDiscrepancy(await run(new QMCSampler({ seed })));
      rnd += starDiscrepancy(await run(new RandomSampler({ seed })));
    }
    expect(qmc).toBeLessThan(rnd / 2);
  });

  it('stratifies: every power-of-two prefix puts one point in each cell of a 1-d partition', async () => {
    const s = createStudy({ sampler: new QMCSampler({ seed: 4 }) });
    await s.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 17 });
    const xs = s.trials.slice(1).map((t) => t.params.x as number);
    expect(new Set(xs.map((x) => Math.floor(x * 16))).size).toBe(16);
  });

  it('maps categoricals and ints by stratum and numbers the points on the trials', async () => {
    const s = createStudy({ sampler: new QMCSampler({ seed: 1 }) });
    await s.optimize((t) => {
      t.suggestCategorical('c', ['a', 'b', 'c', 'd']);
      return t.suggestInt('n', 1, 4);
    }, { nTrials: 9 });
    const sobolTrials = s.trials.slice(1);
    expect(sobolTrials.map((t) => t.systemAttrs.qmcId)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const counts = (p: string) => ['a', 'b', 'c', 'd', 1, 2, 3, 4].map((v) => sobolTrials.filter((t) => t.params[p] === v).length).filter((n) => n > 0);
    expect(counts('c')).toEqual([2, 2, 2, 2]);
    expect(counts('n')).toEqual([2, 2, 2, 2]);
  });

  it('numbers the points over the whole study, also when Hyperband shows it only the trial\'s bracket', async () => {
    // Each Hyperband bracket is its own view of the study; counting points in that view handed the same
    // Sobol point (and so the same parameters) to the first trial of every bracket.
    const s = createStudy({ studyName: 'qmc-hb', sampler: new QMCSampler({ seed: 1 }), pruner: new HyperbandPruner({ minResource: 1, maxResource: 9 }) });
    await s.optimize((t) => {
      const v = t.suggestFloat('x', 0, 1) + t.suggestFloat('y', 0, 1);
      for (let step = 0; step < 9; step++) {
        t.report(v + step / 1000, step);
        if (t.shouldPrune()) throw new TrialPruned();
      }
      return v;
    }, { nTrials: 30 });
    const ids = s.trials.map((t) => t.systemAttrs.qmcId).filter((id) => id !== undefined);
    expect(ids).toEqual([...ids.keys()]);
    const points = s.trials.map((t) => `${t.params.x},${t.params.y}`);
    expect(new Set(points).size).toBe(points.length);
  });

  it('validates its options', () => {
    expect(() => new QMCSampler({ scramble: 'yes' as never })).toThrow('QMCSampler: scramble must be a boolean, got yes');
    expect(() => new QMCSampler({ seed: Number.NaN })).toThrow('QMCSampler: seed must be a finite number, got NaN');
    expect(() => new QMCSampler({ qmcType: 'sobol' } as never)).toThrow('QMCSampler: unknown option "qmcType"');
  });
});
