import { ErrorCode, NNError } from '@nn/core';
import { toInternal } from '../distributions.js';
import type { Direction, FrozenTrial, StudyView } from '../types.js';

/**
 * Scores how much each parameter matters. Third parties (or the GP sampler) can supply their own, e.g. a
 * permutation importance on a fitted surrogate; the result need not be normalized.
 */
export interface ImportanceEvaluator {
  evaluate(trials: FrozenTrial[], params: string[], values: number[], direction: Direction): Record<string, number>;
}

/**
 * A light fANOVA: each parameter's first-order (main-effect) share of the variance of the objective's ranks —
 * trials are grouped by the parameter's value (its choice, or one of ~√n quantile bins of a numeric value on
 * its internal scale, log for log ranges), and the between-group variance is bias-corrected (ω²) so a
 * parameter that does nothing scores near 0 rather than the noise of its bins. Ranks keep one diverged
 * trial from deciding everything. Interactions are ignored: a parameter that matters only jointly with
 * another is underrated, as in any main-effect analysis.
 */
export class MainEffectEvaluator implements ImportanceEvaluator {
  evaluate(trials: FrozenTrial[], params: string[], values: number[]): Record<string, number> {
    const out: Record<string, number> = {};
    for (const p of params) {
      const idx = trials.map((_, i) => i).filter((i) => p in trials[i].params && Number.isFinite(values[i]));
      if (idx.length < 3) {
        out[p] = 0;
        continue;
      }
      const y = ranks(idx.map((i) => values[i]));
      const groups = group(idx.map((i) => trials[i]), p);
      const mean = y.reduce((a, b) => a + b, 0) / y.length;
      const ssTotal = y.reduce((a, v) => a + (v - mean) ** 2, 0);
      if (ssTotal === 0 || groups.size < 2) {
        out[p] = 0;
        continue;
      }
      let ssBetween = 0;
      for (const members of groups.values()) {
        const m = members.reduce((a, k) => a + y[k], 0) / members.length;
        ssBetween += members.length * (m - mean) ** 2;
      }
      const k = groups.size;
      const msWithin = (ssTotal - ssBetween) / Math.max(1, y.length - k);
      out[p] = Math.max(0, (ssBetween - (k - 1) * msWithin) / (ssTotal + msWithin));
    }
    return out;
  }
}

/** Group index lists (positions in `trials`) by the parameter's choice or numeric quantile bin. */
function group(trials: FrozenTrial[], p: string): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  const add = (key: string, i: number) => {
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  };
  const d = trials[0].distributions[p];
  if (d.type === 'categorical') {
    trials.forEach((t, i) => add(JSON.stringify(t.params[p]), i));
    return groups;
  }
  const x = trials.map((t) => {
    try {
      return toInternal(t.distributions[p], t.params[p]);
    } catch {
      return Number.NaN;
    }
  });
  const distinct = new Set(x).size;
  const bins = Math.max(2, Math.min(distinct, Math.floor(Math.sqrt(trials.length))));
  const order = x.map((_, i) => i).sort((a, b) => x[a] - x[b]);
  // Quantile bins, never splitting equal values.
  let bin = 0;
  order.forEach((i, rank) => {
    if (rank > 0 && x[i] !== x[order[rank - 1]] && rank >= ((bin + 1) * order.length) / bins) bin++;
    add(String(bin), i);
  });
  return groups;
}

function ranks(v: number[]): number[] {
  const order = v.map((_, i) => i).sort((a, b) => v[a] - v[b]);
  const out = new Array<number>(v.length);
  for (let s = 0; s < order.length; ) {
    let e = s;
    while (e + 1 < order.length && v[order[e + 1]] === v[order[s]]) e++;
    for (let k = s; k <= e; k++) out[order[k]] = (s + e) / 2;
    s = e + 1;
  }
  return out;
}

/**
 * Each parameter's importance as a share (they sum to 1), most important first. Uses the complete trials;
 * `evaluator` defaults to {@link MainEffectEvaluator}.
 */
export function paramImportances(
  study: Pick<StudyView, 'getTrials' | 'directions'>,
  options: { params?: string[]; evaluator?: ImportanceEvaluator; target?: (t: FrozenTrial) => number } = {},
): Record<string, number> {
  if (!options.target && study.directions.length > 1) {
    throw new NNError(ErrorCode.InvalidArgument, `paramImportances: the study has ${study.directions.length} objectives; pass target: (trial) => trial.values[i] to choose one`);
  }
  const evaluator = options.evaluator ?? new MainEffectEvaluator();
  if (typeof evaluator?.evaluate !== 'function') throw new NNError(ErrorCode.InvalidArgument, 'paramImportances: evaluator must have evaluate(trials, params, values, direction)');
  const trials = study.getTrials(['complete']);
  const values = trials.map((t) => (options.target ? options.target(t) : t.values![0]));
  const seen = new Set<string>();
  for (const t of trials) for (const p of Object.keys(t.params)) seen.add(p);
  const params = options.params ?? [...seen].sort();
  for (const p of params) {
    if (!seen.has(p)) throw new NNError(ErrorCode.InvalidArgument, `paramImportances: no complete trial has parameter "${p}" (parameters: ${[...seen].sort().join(', ') || 'none'})`, { param: p });
  }
  if (trials.length < 2) return Object.fromEntries(params.map((p) => [p, 0]));
  const raw = evaluator.evaluate(trials, params, values, study.directions[0]);
  const total = params.reduce((a, p) => a + Math.max(0, raw[p] ?? 0), 0);
  const shares = params.map((p) => [p, total > 0 ? Math.max(0, raw[p] ?? 0) / total : 1 / params.length] as const);
  return Object.fromEntries([...shares].sort((a, b) => b[1] - a[1]));
}
