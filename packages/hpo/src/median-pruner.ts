import { inRange, registry, type JsonObject } from '@nn/core';
import { checkOptions, intOption, numberOption } from './options.js';
import { lastStep } from './trial.js';
import type { Direction, FrozenTrial, Pruner, StudyView } from './types.js';

export interface PercentilePrunerOptions {
  /** Keep the trial while its best value so far is within this percentile of completed trials at the same step (0–100). */
  percentile?: number;
  /** No pruning until this many trials have completed. Default 5. */
  nStartupTrials?: number;
  /** No pruning before this step within a trial. Default 0. */
  nWarmupSteps?: number;
  /** Prune only at every `intervalSteps`-th step after the warm-up. Default 1. */
  intervalSteps?: number;
  /** No pruning at a step fewer than this many completed trials reported. Default 1. */
  nMinTrials?: number;
}

/**
 * Prunes a trial whose best intermediate value so far is worse than the given percentile of the completed
 * trials' values at the same step (Optuna's PercentilePruner, rule for rule).
 */
export class PercentilePruner implements Pruner {
  readonly percentile: number;
  readonly nStartupTrials: number;
  readonly nWarmupSteps: number;
  readonly intervalSteps: number;
  readonly nMinTrials: number;

  constructor(options: PercentilePrunerOptions = {}, where = 'PercentilePruner') {
    checkOptions(where, options, where === 'MedianPruner' ? ['nStartupTrials', 'nWarmupSteps', 'intervalSteps', 'nMinTrials'] : ['percentile', 'nStartupTrials', 'nWarmupSteps', 'intervalSteps', 'nMinTrials']);
    this.percentile = numberOption(where, 'percentile', options.percentile, 50, (w, n, v) => inRange(w, n, v, 0, 100));
    this.nStartupTrials = intOption(where, 'nStartupTrials', options.nStartupTrials, 5, 0);
    this.nWarmupSteps = intOption(where, 'nWarmupSteps', options.nWarmupSteps, 0, 0);
    this.intervalSteps = intOption(where, 'intervalSteps', options.intervalSteps, 1, 1);
    this.nMinTrials = intOption(where, 'nMinTrials', options.nMinTrials, 1, 1);
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    const completed = study.getTrials(['complete']);
    if (completed.length === 0 || completed.length < this.nStartupTrials) return false;
    const step = lastStep(trial);
    if (step === null || step < this.nWarmupSteps) return false;
    if (!isFirstInIntervalStep(step, Object.keys(trial.intermediateValues).map(Number), this.nWarmupSteps, this.intervalSteps)) return false;
    const direction = study.directions[0];
    const best = bestIntermediate(trial, direction);
    if (Number.isNaN(best)) return true;
    const p = percentileAtStep(completed, direction, step, this.percentile, this.nMinTrials);
    if (Number.isNaN(p)) return false;
    return direction === 'maximize' ? best < p : best > p;
  }

  getConfig(): Record<string, unknown> {
    return { percentile: this.percentile, nStartupTrials: this.nStartupTrials, nWarmupSteps: this.nWarmupSteps, intervalSteps: this.intervalSteps, nMinTrials: this.nMinTrials };
  }

  static fromConfig(config: JsonObject): PercentilePruner {
    return new PercentilePruner(config as PercentilePrunerOptions);
  }
}

/** The percentile pruner at the median: Optuna's default pruner. */
export class MedianPruner extends PercentilePruner {
  constructor(options: Omit<PercentilePrunerOptions, 'percentile'> = {}) {
    super(options, 'MedianPruner');
  }

  override getConfig(): Record<string, unknown> {
    const { percentile: _p, ...rest } = super.getConfig();
    return rest;
  }

  static override fromConfig(config: JsonObject): MedianPruner {
    return new MedianPruner(config as PercentilePrunerOptions);
  }
}

function isFirstInIntervalStep(step: number, steps: number[], warmup: number, interval: number): boolean {
  const nearestLowerPruningStep = Math.floor((step - warmup) / interval) * interval + warmup;
  let secondLast = -1;
  for (const s of steps) if (s > secondLast && s !== step) secondLast = s;
  return secondLast < nearestLowerPruningStep;
}

function bestIntermediate(trial: FrozenTrial, direction: Direction): number {
  const values = Object.values(trial.intermediateValues).filter((v) => !Number.isNaN(v));
  if (values.length === 0) return Number.NaN;
  return direction === 'maximize' ? Math.max(...values) : Math.min(...values);
}

function percentileAtStep(completed: FrozenTrial[], direction: Direction, step: number, q: number, nMin: number): number {
  const values = completed.map((t) => t.intermediateValues[step]).filter((v) => v !== undefined);
  if (values.length < nMin) return Number.NaN;
  return nanPercentile(values, direction === 'maximize' ? 100 - q : q);
}

/** numpy's `nanpercentile` with linear interpolation. */
export function nanPercentile(values: number[], q: number): number {
  const xs = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (xs.length === 0) return Number.NaN;
  const pos = ((xs.length - 1) * q) / 100;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo);
}

registry.register('pruner', 'median', MedianPruner);
registry.register('pruner', 'percentile', PercentilePruner);
