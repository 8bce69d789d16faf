import { distributionsEqual, isSingle } from '../distributions.js';
import type { Distribution, FrozenTrial, StudyView } from '../types.js';

/**
 * The parameters every complete trial has, with the same distribution in each (Optuna's
 * IntersectionSearchSpace), minus single-value ones, in sorted name order. This is the space a joint model
 * (the GP, multivariate TPE) can be fitted on; a conditional parameter, missing from some trials, falls
 * outside it and is sampled independently.
 */
export function intersectionSearchSpace(study: StudyView, includePruned = false): Record<string, Distribution> {
  const trials = study.getTrials(includePruned ? ['complete', 'pruned'] : ['complete']);
  if (trials.length === 0) return {};
  let space: Map<string, Distribution> | null = null;
  for (const t of trials) {
    if (space === null) {
      space = new Map(Object.entries(t.distributions));
      continue;
    }
    for (const [name, d] of space) {
      const other = t.distributions[name];
      if (!other || !distributionsEqual(d, other)) space.delete(name);
    }
    if (space.size === 0) break;
  }
  const out: Record<string, Distribution> = {};
  for (const name of [...(space?.keys() ?? [])].sort()) {
    const d = space!.get(name)!;
    if (!isSingle(d)) out[name] = d;
  }
  return out;
}

/** Whether a trial has a value for every parameter of `space` under the same distribution. */
export function hasAllParams(trial: FrozenTrial, space: Record<string, Distribution>): boolean {
  for (const [name, d] of Object.entries(space)) {
    const td = trial.distributions[name];
    if (!td || !distributionsEqual(td, d) || !(name in trial.params)) return false;
  }
  return true;
}

/**
 * Parameter names in order of first appearance over the study's trials (by trial number), then the
 * current trial's: a stable index per name, the same in every process that sees the same history, which
 * quasi-random samplers use to give each parameter its own Sobol dimension.
 */
export function parameterOrder(study: StudyView, current: FrozenTrial): string[] {
  const seen = new Set<string>();
  const trials = study.getTrials().slice().sort((a, b) => a.number - b.number);
  for (const t of trials) {
    if (t.number === current.number) continue;
    for (const name of Object.keys(t.distributions)) seen.add(name);
  }
  for (const name of Object.keys(current.distributions)) seen.add(name);
  return [...seen];
}
