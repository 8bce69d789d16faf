import { describe, expect, it } from 'vitest';
import { contains } from '../distributions.js';
import '../nop-pruner.js';
import { InMemoryStorage } from '../storage-memory.js';
import { createStudy, type Study } from '../study.js';
import type { Trial } from '../trial.js';
import type { Sampler } from '../types.js';

/** A mixed space: float, log float, stepped float, int, log int, stepped int, categorical. */
export function mixedObjective(trial: Trial): number {
  const x = trial.suggestFloat('x', -2, 3);
  const lr = trial.suggestFloat('lr', 1e-5, 1e-1, { log: true });
  const frac = trial.suggestFloat('frac', 0, 1, { step: 0.1 });
  const n = trial.suggestInt('n', 1, 12);
  const width = trial.suggestInt('width', 8, 512, { log: true });
  const batch = trial.suggestInt('batch', 16, 128, { step: 16 });
  const act = trial.suggestCategorical('act', ['relu', 'tanh', 'gelu']);
  return (
    (x - 1) ** 2 + (Math.log10(lr) + 3) ** 2 + (frac - 0.3) ** 2 + (n - 7) ** 2 / 10 + (Math.log2(width) - 6) ** 2 / 5 + (batch - 64) ** 2 / 1e4 + (act === 'tanh' ? 0 : 1)
  );
}

/** A conditional space: `xa` exists only when kind = 'a', `xb` only when kind = 'b'. */
export function conditionalObjective(trial: Trial): number {
  const kind = trial.suggestCategorical('kind', ['a', 'b']);
  const y = trial.suggestFloat('y', 0, 1);
  if (kind === 'a') return (trial.suggestFloat('xa', 0, 10) - 3) ** 2 + y;
  return (trial.suggestInt('xb', 0, 10) - 7) ** 2 + y + 0.5;
}

export async function runStudy(sampler: Sampler, objective: (t: Trial) => number, nTrials: number, direction: 'minimize' | 'maximize' = 'minimize'): Promise<Study> {
  const study = createStudy({ sampler, pruner: 'nop', direction });
  await study.optimize(objective, { nTrials, catch: false });
  return study;
}

/**
 * The contract every sampler here meets: valid values for every kind of distribution, conditional
 * parameters, reproducibility under a seed, state that survives stateDict/loadStateDict (through JSON).
 */
export function describeSamplerContract(name: string, make: (seed: number) => Sampler, nTrials = 25): void {
  describe(`${name} contract`, () => {
    it('suggests valid values for float, log, step, int and categorical parameters', async () => {
      const study = await runStudy(make(1), mixedObjective, nTrials);
      const trials = study.getTrials(['complete']);
      expect(trials).toHaveLength(nTrials);
      for (const t of trials) {
        for (const [p, d] of Object.entries(t.distributions)) expect(contains(d, t.params[p]), `${p} = ${String(t.params[p])}`).toBe(true);
      }
      // Not stuck: several distinct values of each numeric parameter.
      for (const p of ['x', 'lr', 'n', 'width']) expect(new Set(trials.map((t) => t.params[p])).size).toBeGreaterThan(3);
    });

    it('handles conditional parameters (sampled independently, never crashing)', async () => {
      const study = await runStudy(make(2), conditionalObjective, nTrials);
      const trials = study.getTrials(['complete']);
      expect(trials).toHaveLength(nTrials);
      const withA = trials.filter((t) => t.params.kind === 'a');
      const withB = trials.filter((t) => t.params.kind === 'b');
      expect(withA.length + withB.length).toBe(nTrials);
      for (const t of withA) expect('xb' in t.params).toBe(false);
      for (const t of trials) for (const [p, d] of Object.entries(t.distributions)) expect(contains(d, t.params[p])).toBe(true);
    });

    it('is reproducible under a seed', async () => {
      const a = await runStudy(make(7), mixedObjective, nTrials);
      const b = await runStudy(make(7), mixedObjective, nTrials);
      const c = await runStudy(make(8), mixedObjective, nTrials);
      expect(b.trials.map((t) => t.params)).toEqual(a.trials.map((t) => t.params));
      expect(c.trials.map((t) => t.params)).not.toEqual(a.trials.map((t) => t.params));
    });

    it('resumes from stateDict/loadStateDict exactly as if never interrupted', async () => {
      const half = Math.ceil(nTrials / 2);
      const reference = await runStudy(make(3), mixedObjective, half + 3);
      // The same run, interrupted after `half` trials and resumed by a new sampler (different seed) that
      // loads the state the study saved in its storage.
      const storage = new InMemoryStorage();
      const first = createStudy({ sampler: make(3), pruner: 'nop', storage, studyName: 'resume' });
      await first.optimize(mixedObjective, { nTrials: half, catch: false });
      const state = first.sampler.stateDict!();
      expect(JSON.parse(JSON.stringify(state))).toEqual(state);
      const resumed = createStudy({ sampler: make(999), pruner: 'nop', storage, studyName: 'resume', loadIfExists: true });
      await resumed.optimize(mixedObjective, { nTrials: 3, catch: false });
      expect(resumed.trials.map((t) => t.params)).toEqual(reference.trials.map((t) => t.params));
    });
  });
}
