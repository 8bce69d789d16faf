import { crc32 } from '@nn/core';
import { describe, expect, it } from 'vitest';
import { HyperbandPruner } from './hyperband-pruner.js';
import { MedianPruner, PercentilePruner } from './median-pruner.js';
import { NopPruner } from './nop-pruner.js';
import { SuccessiveHalvingPruner } from './successive-halving-pruner.js';
import { createStudy } from './study.js';
import { TrialPruned } from './trial.js';
import type { Direction, Pruner } from './types.js';

/**
 * Runs one trial per scripted learning curve, in order, reporting each step and stopping when the pruner
 * says so. Returns, per trial, the step it was pruned at (or 'complete'). The expectations below were
 * worked out by hand from Optuna's rules and cross-checked by running the same curves through Optuna 3.1.
 */
async function runCurves(pruner: Pruner, curves: number[][], direction: Direction = 'minimize', studyName?: string) {
  const study = createStudy({ pruner, direction, studyName });
  const outcome: (number | 'complete')[] = [];
  await study.optimize(
    (trial) => {
      const curve = curves[trial.number];
      for (let step = 0; step < curve.length; step++) {
        trial.report(curve[step], step);
        if (trial.shouldPrune()) {
          outcome[trial.number] = step;
          throw new TrialPruned();
        }
      }
      outcome[trial.number] = 'complete';
      return curve[curve.length - 1];
    },
    { nTrials: curves.length, catch: false },
  );
  return { outcome, study };
}

describe('MedianPruner', () => {
  it('prunes exactly the trials whose best value so far is worse than the median of completed trials at that step', async () => {
    // nStartupTrials 2: trials 0 and 1 always run. Warm-up 1: no pruning at step 0.
    const curves = [
      [10, 9, 8, 7, 6],
      [12, 11, 10, 9, 8],
      [11, 10.5, 7, 5, 4], // step 1: best 10.5 > median(9, 11) = 10 -> pruned
      [9, 8.5, 8, 7.5, 7], // 8.5 < 10, 8 < 9, 7.5 < 8, 7 = median(6, 8) -> not pruned (strictly worse only)
      [20, 5, 30, 30, 30], // best-so-far is 5 at every later step: never worse than the median -> kept
      [10, 10, 10, 10, 10], // step 1: 10 > median(9, 11, 8.5, 5) = 8.75 -> pruned
    ];
    const { outcome, study } = await runCurves(new MedianPruner({ nStartupTrials: 2, nWarmupSteps: 1 }), curves);
    expect(outcome).toEqual(['complete', 'complete', 1, 'complete', 'complete', 1]);
    expect(study.trials[2]).toMatchObject({ state: 'pruned', values: [10.5] });
  });

  it('percentile, maximize, interval steps: checks only at the first step of each interval', async () => {
    const curves = [
      [1, 2, 3, 4, 5],
      [1, 0, 0.5, 0.5, 0.5], // step 0: 1 < 75th pct of [1]? no. step 1: not an interval step. step 2: max so far 1 < 3 -> pruned
      [2, 0, 3, 4, 6], // 2 >= 1; step 2: 3 >= 3; step 4: 6 >= 5 -> kept
    ];
    const { outcome } = await runCurves(new PercentilePruner({ percentile: 25, nStartupTrials: 1, intervalSteps: 2 }), curves, 'maximize');
    expect(outcome).toEqual(['complete', 2, 'complete']);
  });

  it('needs nMinTrials reports at a step before pruning there', async () => {
    const curves = [[1, 1], [1], [5, 5]];
    // At step 1 only trial 0 reported: nMinTrials 2 -> no pruning at step 1; step 0 has two -> 5 > 1 prunes.
    expect((await runCurves(new MedianPruner({ nStartupTrials: 0, nMinTrials: 2 }), curves)).outcome).toEqual(['complete', 'complete', 0]);
    expect((await runCurves(new MedianPruner({ nStartupTrials: 0, nMinTrials: 3 }), curves)).outcome).toEqual(['complete', 'complete', 'complete']);
  });

  it('prunes a trial that reports only NaN', async () => {
    const { outcome } = await runCurves(new MedianPruner({ nStartupTrials: 1 }), [[1, 1], [Number.NaN, 0]]);
    expect(outcome).toEqual(['complete', 0]);
  });

  it('validates its options', () => {
    expect(() => new MedianPruner({ nStartupTrials: -1 })).toThrow('MedianPruner: nStartupTrials must be a non-negative integer, got -1');
    expect(() => new MedianPruner({ intervalSteps: 0 })).toThrow('MedianPruner: intervalSteps must be a positive integer, got 0');
    expect(() => new MedianPruner({ nMinTrials: 0 })).toThrow('MedianPruner: nMinTrials must be a positive integer, got 0');
    expect(() => new MedianPruner({ nWarmupSteps: 1.5 })).toThrow('MedianPruner: nWarmupSteps must be a non-negative integer, got 1.5');
    expect(() => new MedianPruner({ percentile: 10 } as never)).toThrow('MedianPruner: unknown option "percentile"');
    expect(() => new PercentilePruner({ percentile: 101 })).toThrow('PercentilePruner: percentile must be a number in [0, 100], got 101');
  });
});

describe('SuccessiveHalvingPruner', () => {
  it('prunes exactly the trials outside the top 1/η of their rung (η = 2, rungs at steps 1, 2, 4)', async () => {
    const curves = [
      [5, 4, 3, 3, 2], // rung values 4, 3, 2: first at every rung -> promoted
      [5, 5, 4, 4, 3], // rung 0: 5 vs [4, 5]: idx 0 -> must be <= 4 -> pruned at step 1
      [5, 3, 2.5, 2, 1], // rung 0: [3,4,5] idx 0 -> 3 ok; rung 1: [2.5, 3] ok; rung 2: [1, 2] ok
      [5, 4.5, 4, 4, 4], // rung 0: [3,4,4.5,5] idx 1 -> must be <= 4 -> pruned at step 1
      [5, 3.5, 3.2, 3, 3], // rung 0: [3,3.5,4,4.5,5] idx 1 -> 3.5 ok; rung 1: [2.5,3,3.2] idx 0 -> pruned at step 2
      [5, 3.9, 2, 2, 2], // rung 0: idx 2 of 6 -> 3.9 ok; rung 1: [2,2.5,3,3.2] idx 1 -> 2 ok; rung 2: [1,2,2] idx 0 -> pruned at step 4
    ];
    const { outcome, study } = await runCurves(new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 }), curves);
    expect(outcome).toEqual(['complete', 1, 'complete', 1, 2, 4]);
    // The rung values are kept on the trials (also the pruned ones), so they survive a resume.
    expect(study.trials[4].systemAttrs).toEqual({ completed_rung_0: 3.5, completed_rung_1: 3.2 });
  });

  it('minEarlyStoppingRate moves the first rung to minResource · η^s', async () => {
    const curves = [[1, 1, 1, 1], [9, 9, 0.5, 0.5], [9, 9, 9, 9]];
    // s = 1, η = 2: first rung at step 2. Trial 1 is bad at step 1 but fine at step 2; trial 2 is pruned at step 2.
    const { outcome } = await runCurves(new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2, minEarlyStoppingRate: 1 }), curves);
    expect(outcome).toEqual(['complete', 'complete', 2]);
  });

  it("'auto' minResource waits for a completed trial, then uses 1% of its length", async () => {
    const long = Array.from({ length: 300 }, (_, i) => 1 / (i + 1));
    const worse = long.map((v) => v + 1);
    // The first trial cannot be pruned (nothing completed); then minResource = floor(299 / 100) = 2, η 4.
    const { outcome } = await runCurves(new SuccessiveHalvingPruner(), [worse, long, worse]);
    expect(outcome).toEqual(['complete', 'complete', 2]);
  });

  it('maximize promotes the largest values', async () => {
    const { outcome } = await runCurves(new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 }), [[0, 5, 5], [0, 6, 6], [0, 4, 4]], 'maximize');
    expect(outcome).toEqual(['complete', 'complete', 1]);
  });

  it('validates its options', () => {
    expect(() => new SuccessiveHalvingPruner({ minResource: 0 })).toThrow("SuccessiveHalvingPruner: minResource must be a positive integer or 'auto', got 0");
    expect(() => new SuccessiveHalvingPruner({ reductionFactor: 1 })).toThrow('SuccessiveHalvingPruner: reductionFactor must be an integer >= 2, got 1');
    expect(() => new SuccessiveHalvingPruner({ minEarlyStoppingRate: -1 })).toThrow('SuccessiveHalvingPruner: minEarlyStoppingRate must be a non-negative integer, got -1');
    expect(() => new SuccessiveHalvingPruner({ bootstrapCount: 2 })).toThrow("SuccessiveHalvingPruner: bootstrapCount > 0 needs an explicit minResource (not 'auto')");
    expect(() => new SuccessiveHalvingPruner({ minResorce: 1 } as never)).toThrow('SuccessiveHalvingPruner: unknown option "minResorce"; did you mean "minResource"?');
  });
});

describe('HyperbandPruner', () => {
  it('hashes trials into brackets as Optuna does (CRC-32 of "<study>_<number>")', () => {
    // binascii.crc32(b'hb_0') etc., from Python
    expect([0, 1, 2, 3].map((n) => crc32(`hb_${n}`) % 17)).toEqual([7, 0, 16, 16]);
    expect(crc32('The quick brown fox jumps over the lazy dog')).toBe(0x414fa339);
  });

  it('runs successive halving within each bracket and prunes exactly the expected trials', async () => {
    // minResource 1, maxResource 9, η 3: 3 brackets with budgets 9, 5, 3 (total 17). With study name 'hb',
    // trials 0,1,9,11 fall in bracket 0 (rungs at steps 1, 3), 4,5,6,8,10 in bracket 1 (rung at step 3),
    // 2,3,7 in bracket 2 (first rung at step 9: never pruned here).
    const curve = (a: number, b: number) => [10, a, a, b, b, b];
    const curves = [
      curve(5, 4), // b0: first at both rungs
      curve(6, 6), // b0: rung 0 [5, 6] -> pruned at 1
      curve(100, 100), // b2
      curve(50, 50), // b2
      curve(7, 3), // b1: first
      curve(8, 2.5), // b1: [3, 2.5] best
      curve(1, 6), // b1: [3, 2.5, 6] -> pruned at 3 (its great step-1 value does not matter in bracket 1)
      curve(9, 9), // b2
      curve(9, 2), // b1: best
      curve(4, 4.5), // b0: rung 0 [5, 6, 4] best; rung 1 [4, 4.5] -> pruned at 3
      curve(1, 2.6), // b1: [3, 2.5, 6, 2, 2.6] idx 0 -> pruned at 3
      curve(5.5, 1), // b0: rung 0 [5, 6, 4, 5.5] idx 0 -> pruned at 1
    ];
    const pruner = new HyperbandPruner({ minResource: 1, maxResource: 9, reductionFactor: 3 });
    const { outcome } = await runCurves(pruner, curves, 'minimize', 'hb');
    expect(pruner.nBrackets).toBe(3);
    expect(curves.map((_, n) => pruner.bracketOf({ studyName: 'hb' }, n))).toEqual([0, 0, 2, 2, 1, 1, 1, 2, 1, 0, 1, 0]);
    expect(outcome).toEqual(['complete', 1, 'complete', 'complete', 'complete', 'complete', 3, 'complete', 'complete', 3, 3, 1]);
  });

  it("'auto' maxResource waits for a completed trial", async () => {
    const pruner = new HyperbandPruner({ minResource: 1, reductionFactor: 3 });
    const { outcome } = await runCurves(pruner, [[9, 9, 9, 9, 9, 9, 9, 9, 9], [9, 9]], 'minimize', 'auto');
    expect(outcome[0]).toBe('complete');
    expect(pruner.nBrackets).toBe(3); // maxResource = last step 8 + 1 = 9
  });

  it('validates its options', () => {
    expect(() => new HyperbandPruner({ minResource: 0 })).toThrow('HyperbandPruner: minResource must be a positive integer, got 0');
    expect(() => new HyperbandPruner({ maxResource: 'big' as never })).toThrow("HyperbandPruner: maxResource must be a positive integer or 'auto', got big");
    expect(() => new HyperbandPruner({ minResource: 10, maxResource: 3 })).toThrow('HyperbandPruner: maxResource (3) must be >= minResource (10)');
    expect(() => new HyperbandPruner({ reductionFactor: 1 })).toThrow('HyperbandPruner: reductionFactor must be an integer >= 2, got 1');
  });
});

describe('NopPruner', () => {
  it('never prunes', async () => {
    const { outcome } = await runCurves(new NopPruner(), [[1], [100], [1000]]);
    expect(outcome).toEqual(['complete', 'complete', 'complete']);
  });
});

describe('pruning in multi-objective studies', () => {
  it('is refused with a clear message', () => {
    const study = createStudy({ directions: ['minimize', 'minimize'] });
    expect(() => study.ask().shouldPrune()).toThrow('shouldPrune: pruning is not supported in multi-objective studies');
  });
});

describe('HyperbandPruner and samplers', () => {
  it('shows a sampler only the trials of the current trial\'s bracket', async () => {
    const seen: number[][] = [];
    const sampler = {
      sampleIndependent(study: { getTrials(): { number: number }[] }) {
        seen.push(study.getTrials().map((t) => t.number));
        return 0.5;
      },
    };
    const pruner = new HyperbandPruner({ minResource: 1, maxResource: 9, reductionFactor: 3 });
    const study = createStudy({ sampler, pruner, studyName: 'hb' });
    await study.optimize((t) => {
      t.report(1, 0);
      t.shouldPrune(); // initializes the brackets
      return t.suggestFloat('x', 0, 1);
    }, { nTrials: 6 });
    // Trial 0 ran before the brackets existed; then brackets (from the CRC-32 above) are 0,0,2,2,1,1.
    expect(seen[1]).toEqual([0, 1]);
    expect(seen[3]).toEqual([2, 3]);
    expect(seen[5]).toEqual([4, 5]);
    expect(pruner.samplerView(study, study.trials[0])).not.toBe(study);
  });
});
