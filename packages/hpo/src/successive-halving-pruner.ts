import { ErrorCode, NNError, registry, type JsonObject } from '@nn/core';
import { checkOptions, intOption } from './options.js';
import { lastStep } from './trial.js';
import type { FrozenTrial, Pruner, StudyView } from './types.js';

export interface SuccessiveHalvingPrunerOptions {
  /** Steps a trial runs before its first rung; 'auto' (default) takes 1% of the longest completed trial, at least 1. */
  minResource?: number | 'auto';
  /** The η of successive halving: the top 1/η of a rung is promoted. Default 4. */
  reductionFactor?: number;
  /** s: the first rung is at minResource · η^s steps. Default 0. */
  minEarlyStoppingRate?: number;
  /** Prune every trial at a rung until this many trials have reached it. Default 0. */
  bootstrapCount?: number;
}

const rungKey = (rung: number) => `completed_rung_${rung}`;

/**
 * Asynchronous successive halving (ASHA), as Optuna implements it: rung k is reached at step
 * minResource · η^(s+k); a trial that reaches it continues only if its value is in the top 1/η of all values
 * recorded at that rung so far (the first η−1 trials at a rung continue only if they are the best so far).
 * The rung values are kept on the trials (`completed_rung_k`), so the decision survives a resume.
 */
export class SuccessiveHalvingPruner implements Pruner {
  private minResource: number | null;
  readonly reductionFactor: number;
  readonly minEarlyStoppingRate: number;
  readonly bootstrapCount: number;
  private readonly autoMinResource: boolean;

  constructor(options: SuccessiveHalvingPrunerOptions = {}) {
    const where = 'SuccessiveHalvingPruner';
    checkOptions(where, options, ['minResource', 'reductionFactor', 'minEarlyStoppingRate', 'bootstrapCount']);
    const mr = options.minResource ?? 'auto';
    if (mr !== 'auto' && (typeof mr !== 'number' || !Number.isInteger(mr) || mr < 1)) {
      throw new NNError(ErrorCode.InvalidArgument, `${where}: minResource must be a positive integer or 'auto', got ${String(mr)}`, { minResource: mr });
    }
    this.autoMinResource = mr === 'auto';
    this.minResource = mr === 'auto' ? null : mr;
    this.reductionFactor = intOption(where, 'reductionFactor', options.reductionFactor, 4, 2);
    this.minEarlyStoppingRate = intOption(where, 'minEarlyStoppingRate', options.minEarlyStoppingRate, 0, 0);
    this.bootstrapCount = intOption(where, 'bootstrapCount', options.bootstrapCount, 0, 0);
    if (this.bootstrapCount > 0 && this.autoMinResource) {
      throw new NNError(ErrorCode.InvalidArgument, `${where}: bootstrapCount > 0 needs an explicit minResource (not 'auto')`, { bootstrapCount: this.bootstrapCount });
    }
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    const step = lastStep(trial);
    if (step === null) return false;
    let rung = currentRung(trial);
    const value = trial.intermediateValues[step];
    let trials: FrozenTrial[] | null = null;
    for (;;) {
      if (this.minResource === null) {
        trials ??= study.getTrials();
        this.minResource = estimateMinResource(trials);
        if (this.minResource === null) return false;
      }
      const promotionStep = this.minResource * this.reductionFactor ** (this.minEarlyStoppingRate + rung);
      if (step < promotionStep) return false;
      if (Number.isNaN(value)) return true;
      trials ??= study.getTrials();
      const key = rungKey(rung);
      if (!study.setTrialSystemAttr) throw new NNError(ErrorCode.InvalidArgument, 'SuccessiveHalvingPruner: the study must implement setTrialSystemAttr to record rungs');
      study.setTrialSystemAttr(trial.number, key, value);
      const competing = trials.filter((t) => t.number !== trial.number && key in t.systemAttrs).map((t) => t.systemAttrs[key] as number);
      competing.push(value);
      if (competing.length <= this.bootstrapCount) return true;
      if (!isPromotable(value, competing, this.reductionFactor, study.directions[0] === 'maximize')) return true;
      rung++;
    }
  }

  getConfig(): Record<string, unknown> {
    return {
      minResource: this.autoMinResource ? 'auto' : this.minResource,
      reductionFactor: this.reductionFactor,
      minEarlyStoppingRate: this.minEarlyStoppingRate,
      bootstrapCount: this.bootstrapCount,
    };
  }

  static fromConfig(config: JsonObject): SuccessiveHalvingPruner {
    return new SuccessiveHalvingPruner(config as SuccessiveHalvingPrunerOptions);
  }
}

function currentRung(trial: FrozenTrial): number {
  let rung = 0;
  while (rungKey(rung) in trial.systemAttrs) rung++;
  return rung;
}

/** 'auto' min resource: 1% of the longest completed trial's last step, at least 1 (Optuna's rule). */
export function estimateMinResource(trials: FrozenTrial[]): number | null {
  const steps = trials.filter((t) => t.state === 'complete').map(lastStep).filter((s): s is number => s !== null);
  if (steps.length === 0) return null;
  return Math.max(Math.floor(Math.max(...steps) / 100), 1);
}

function isPromotable(value: number, competing: number[], eta: number, maximize: boolean): boolean {
  let idx = Math.floor(competing.length / eta) - 1;
  // Trials cannot be paused and resumed, so until a rung holds η values, only the best so far continues.
  if (idx === -1) idx = 0;
  const sorted = [...competing].sort((a, b) => a - b);
  return maximize ? value >= sorted[sorted.length - 1 - idx] : value <= sorted[idx];
}

registry.register('pruner', 'successiveHalving', SuccessiveHalvingPruner);
