import { deserialize, serialize } from '@nn/core';
import { describe, expect, it } from 'vitest';
import { GPSampler } from './gp-sampler.js';
import { RandomSampler } from './random-sampler.js';
import { createStudy } from './study.js';
import { conditionalObjective, describeSamplerContract, runStudy } from './testing/sampler-contract.js';
import type { Trial } from './trial.js';

// Small sweeps keep the tests quick; the defaults are exercised by the benchmark.
const fast = (seed: number, extra: ConstructorParameters<typeof GPSampler>[0] = {}) => new GPSampler({ seed, nStartupTrials: 6, nPreliminarySamples: 256, nLocalSearch: 3, ...extra });

describeSamplerContract('GPSampler', (seed) => fast(seed), 20);

const branin = (trial: Trial) => {
  const x1 = trial.suggestFloat('x1', -5, 10);
  const x2 = trial.suggestFloat('x2', 0, 15);
  return (x2 - (5.1 / (4 * Math.PI ** 2)) * x1 * x1 + (5 / Math.PI) * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) + 10;
};
const BRANIN_MIN = 0.397887357729738;

describe('GPSampler', () => {
  it('beats random search on Branin in 40 trials (seed 0)', async () => {
    const gp = await runStudy(new GPSampler({ seed: 0 }), branin, 40);
    const random = await runStudy(new RandomSampler({ seed: 0 }), branin, 40);
    const gpRegret = gp.bestValue - BRANIN_MIN;
    const randomRegret = random.bestValue - BRANIN_MIN;
    expect(gpRegret).toBeLessThan(randomRegret);
    expect(gpRegret).toBeLessThan(0.01);
  });

  it('beats random search on a 2-D quadratic when maximizing', async () => {
    const objective = (t: Trial) => -((t.suggestFloat('a', 0, 1) - 0.73) ** 2) - (t.suggestFloat('b', 0, 1) - 0.21) ** 2;
    const gp = await runStudy(fast(5), objective, 25, 'maximize');
    const random = await runStudy(new RandomSampler({ seed: 5 }), objective, 25, 'maximize');
    expect(-gp.bestValue).toBeLessThan(-random.bestValue);
    expect(-gp.bestValue).toBeLessThan(1e-3);
  });

  it('uses a stratified Sobol design for the startup trials', async () => {
    const study = await runStudy(new GPSampler({ seed: 4, nStartupTrials: 16 }), (t) => t.suggestFloat('u', 0, 1), 16);
    const cells = new Set(study.trials.map((t) => Math.floor((t.params.u as number) * 16)));
    expect(cells.size).toBe(16);
  });

  it('finds integer and categorical optima by search, not rounding', async () => {
    const objective = (t: Trial) => {
      const k = t.suggestInt('k', 0, 40);
      const c = t.suggestCategorical('c', ['p', 'q', 'r', 's']);
      const x = t.suggestFloat('x', 0, 1);
      return (k - 29) ** 2 / 100 + (c === 'r' ? 0 : 0.5) + (x - 0.4) ** 2;
    };
    const study = await runStudy(fast(11), objective, 30);
    expect(study.bestParams.k).toBe(29);
    expect(study.bestParams.c).toBe('r');
  });

  it('spreads parallel suggestions apart with the constant liar', () => {
    const objective = (t: Trial) => (t.suggestFloat('x', 0, 1) - 0.5) ** 2;
    for (const constantLiar of [true, false]) {
      const study = createStudy({ sampler: fast(3, { constantLiar }), pruner: 'nop' });
      for (let i = 0; i < 10; i++) {
        const t = study.ask();
        study.tell(t, objective(t));
      }
      const a = study.ask();
      const xa = a.suggestFloat('x', 0, 1);
      const b = study.ask(); // a is still running
      const xb = b.suggestFloat('x', 0, 1);
      // Without the liar both workers chase the same optimum; with it, the second is pushed away from the first.
      if (constantLiar) expect(Math.abs(xa - xb)).toBeGreaterThan(0.05);
      else expect(Math.abs(xa - xb)).toBeLessThan(0.01);
    }
  });

  it('learns from pruned trials at their last reported value (learnFromPruned)', () => {
    const f = (x: number) => (x - 0.3) ** 2;
    const suggestAfterPrunedTrials = (learnFromPruned: boolean) => {
      const study = createStudy({ sampler: fast(2, { learnFromPruned }), pruner: 'nop' });
      for (let i = 0; i < 10; i++) {
        const t = study.ask();
        t.report(f(t.suggestFloat('x', 0, 1)), 0);
        study.tell(t, 'pruned');
      }
      return study.ask().suggestFloat('x', 0, 1);
    };
    // Ten pruned trials count as ten observations: the GP is past its startup and aims at the minimum.
    expect(Math.abs(suggestAfterPrunedTrials(true) - 0.3)).toBeLessThan(0.05);
    // Ignoring them, nothing is complete: the eleventh point is still the startup design's.
    const startup = createStudy({ sampler: fast(2), pruner: 'nop' });
    for (let i = 0; i < 10; i++) startup.tell(startup.ask(), 'fail');
    expect(suggestAfterPrunedTrials(false)).toBe(startup.ask().suggestFloat('x', 0, 1));
  });

  it('survives degenerate data: a constant objective, infinities, and many duplicate points', async () => {
    const constant = await runStudy(fast(1), (t) => (t.suggestFloat('x', 0, 1), 3), 12);
    expect(constant.getTrials(['complete'])).toHaveLength(12);
    const withInf = await runStudy(fast(2), (t) => {
      const x = t.suggestFloat('x', 0, 1);
      return x < 0.3 ? Infinity : (x - 0.6) ** 2;
    }, 14);
    expect(withInf.getTrials(['complete'])).toHaveLength(14);
    // Two binary parameters: at most four distinct points, so the GP sees exact duplicates.
    const dup = await runStudy(fast(3), (t) => t.suggestInt('a', 0, 1) + t.suggestCategorical('b', ['u', 'v'] as const).length, 14);
    expect(dup.getTrials(['complete'])).toHaveLength(14);
  });

  it('round-trips through serialize/deserialize', () => {
    const s = new GPSampler({ seed: 4, nStartupTrials: 5, constantLiar: false });
    const back = deserialize<GPSampler>(JSON.parse(JSON.stringify(serialize(s))));
    expect(back).toBeInstanceOf(GPSampler);
    expect(back.getConfig()).toEqual(s.getConfig());
  });

  it('models the shared parameters jointly and leaves conditional ones to independent sampling', async () => {
    const sampler = fast(6);
    const independent: [number, string][] = [];
    const original = sampler.sampleIndependent.bind(sampler);
    sampler.sampleIndependent = (study, trial, name, d) => {
      independent.push([trial.number, name]);
      return original(study, trial, name, d);
    };
    const study = await runStudy(sampler, conditionalObjective, 20);
    const late = independent.filter(([n]) => n >= 10).map(([, name]) => name);
    // After the startup trials, kind and y (in every trial) come from the GP; xa/xb (in some) do not.
    expect(late.length).toBeGreaterThan(0);
    expect(late.every((name) => name === 'xa' || name === 'xb')).toBe(true);
    expect(study.getTrials(['complete'])).toHaveLength(20);
  });

  it('rejects unknown options by name', () => {
    expect(() => new GPSampler({ nStartupTrial: 3 } as never)).toThrow(/unknown option "nStartupTrial"; did you mean "nStartupTrials"/);
  });
});
