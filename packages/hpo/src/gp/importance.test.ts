import { describe, expect, it } from 'vitest';
import { paramImportances } from '../plots/importance.js';
import { RandomSampler } from '../random-sampler.js';
import { runStudy } from '../testing/sampler-contract.js';
import type { Trial } from '../trial.js';
import { GPImportanceEvaluator } from './importance.js';

describe('GPImportanceEvaluator', () => {
  it('ranks parameters by their main effect and gives an irrelevant one almost nothing', async () => {
    // Main-effect variances on [0,1]: a → (5²)/12 ≈ 2.08; mode → var of {0, 1, 0} = 0.22; b → (0.3²)/12 ≈ 0.0075; c → 0.
    const objective = (t: Trial) => {
      const a = t.suggestFloat('a', 0, 1);
      const b = t.suggestFloat('b', 1e-3, 1, { log: true });
      const c = t.suggestInt('c', 0, 20);
      const mode = t.suggestCategorical('mode', ['x', 'y', 'z']);
      void c;
      return 5 * a + 0.3 * ((Math.log(b) - Math.log(1e-3)) / -Math.log(1e-3)) + (mode === 'y' ? 1 : 0);
    };
    const study = await runStudy(new RandomSampler({ seed: 1 }), objective, 60);
    const imp = paramImportances(study, { evaluator: new GPImportanceEvaluator() });
    expect(Object.keys(imp)).toEqual(['a', 'mode', 'b', 'c']);
    expect(imp.a).toBeGreaterThan(0.8);
    expect(imp.c).toBeLessThan(0.01);
    // Raw scores are variances of the standardized surrogate's main effects: a's share against mode's ≈ 2.08 / 0.22.
    const raw = new GPImportanceEvaluator().evaluate(study.getTrials(['complete']), ['a', 'mode'], study.getTrials(['complete']).map((t) => t.values![0]), 'minimize');
    expect(raw.a / raw.mode).toBeGreaterThan(6);
    expect(raw.a / raw.mode).toBeLessThan(14);
  });

  it('scores nothing when the objective is constant or there are too few trials', async () => {
    const study = await runStudy(new RandomSampler({ seed: 2 }), (t) => (t.suggestFloat('a', 0, 1), 1), 5);
    const trials = study.getTrials(['complete']);
    expect(new GPImportanceEvaluator().evaluate(trials, ['a'], trials.map(() => 1), 'minimize')).toEqual({ a: 0 });
    expect(new GPImportanceEvaluator().evaluate(trials.slice(0, 2), ['a'], [1, 2], 'minimize')).toEqual({ a: 0 });
  });
});
