import { crc32, ErrorCode, NNError, registry, type JsonObject } from '@nn/core';
import { checkOptions, intOption } from './options.js';
import { SuccessiveHalvingPruner } from './successive-halving-pruner.js';
import { lastStep } from './trial.js';
import type { FrozenTrial, Pruner, StudyView, TrialState } from './types.js';

export interface HyperbandPrunerOptions {
  /** Steps before a trial's first rung in the most aggressive bracket. Default 1. */
  minResource?: number;
  /** The most steps a trial runs; 'auto' (default) takes the longest completed trial's last step + 1. */
  maxResource?: number | 'auto';
  /** η. Default 3. */
  reductionFactor?: number;
  bootstrapCount?: number;
}

/**
 * Hyperband as in Optuna: floor(log_η(maxResource/minResource)) + 1 brackets, each an asynchronous
 * successive-halving pruner with its own early-stopping rate; a trial is assigned to a bracket by the CRC-32
 * of `"<studyName>_<number>"`, weighted by each bracket's trial budget, and competes only with its bracket.
 */
export class HyperbandPruner implements Pruner {
  readonly minResource: number;
  private maxResource: number | null;
  private readonly autoMaxResource: boolean;
  readonly reductionFactor: number;
  readonly bootstrapCount: number;
  private pruners: SuccessiveHalvingPruner[] = [];
  private budgets: number[] = [];
  private totalBudget = 0;

  constructor(options: HyperbandPrunerOptions = {}) {
    const where = 'HyperbandPruner';
    checkOptions(where, options, ['minResource', 'maxResource', 'reductionFactor', 'bootstrapCount']);
    this.minResource = intOption(where, 'minResource', options.minResource, 1, 1);
    const mr = options.maxResource ?? 'auto';
    if (mr !== 'auto' && (typeof mr !== 'number' || !Number.isInteger(mr) || mr < 1)) {
      throw new NNError(ErrorCode.InvalidArgument, `${where}: maxResource must be a positive integer or 'auto', got ${String(mr)}`, { maxResource: mr });
    }
    if (mr !== 'auto' && mr < this.minResource) {
      throw new NNError(ErrorCode.InvalidArgument, `${where}: maxResource (${mr}) must be >= minResource (${this.minResource})`, { maxResource: mr });
    }
    this.autoMaxResource = mr === 'auto';
    this.maxResource = mr === 'auto' ? null : mr;
    this.reductionFactor = intOption(where, 'reductionFactor', options.reductionFactor, 3, 2);
    this.bootstrapCount = intOption(where, 'bootstrapCount', options.bootstrapCount, 0, 0);
  }

  /** The number of brackets, once known (after the first completed trial when maxResource is 'auto'). */
  get nBrackets(): number | null {
    return this.pruners.length || null;
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    if (this.pruners.length === 0) {
      this.initialize(study);
      if (this.pruners.length === 0) return false;
    }
    const bracket = this.bracketOf(study, trial.number);
    return this.pruners[bracket].prune(this.bracketStudy(study, bracket), trial);
  }

  /** Samplers learn only from the trial's bracket, whose trials were stopped by the same rule (as in Optuna). */
  samplerView(study: StudyView, trial: FrozenTrial): StudyView {
    if (this.pruners.length === 0) return study;
    return this.bracketStudy(study, this.bracketOf(study, trial.number));
  }

  private bracketStudy(study: StudyView, bracket: number): StudyView {
    return {
      directions: study.directions,
      studyName: study.studyName,
      getTrials: (states?: TrialState[]) => study.getTrials(states).filter((t) => this.bracketOf(study, t.number) === bracket),
      setTrialSystemAttr: study.setTrialSystemAttr?.bind(study),
      stop: study.stop?.bind(study),
    };
  }

  /** The bracket (Hyperband's s index, 0 = most aggressive) a trial number falls in. */
  bracketOf(study: Pick<StudyView, 'studyName'>, trialNumber: number): number {
    if (this.pruners.length === 0) return 0;
    let n = crc32(`${study.studyName ?? ''}_${trialNumber}`) % this.totalBudget;
    for (let b = 0; b < this.budgets.length; b++) {
      n -= this.budgets[b];
      if (n < 0) return b;
    }
    return this.budgets.length - 1;
  }

  private initialize(study: StudyView): void {
    if (this.maxResource === null) {
      const steps = study.getTrials(['complete']).map(lastStep).filter((s): s is number => s !== null);
      if (steps.length === 0) return;
      this.maxResource = Math.max(...steps) + 1;
    }
    const n = Math.floor(Math.log(this.maxResource / this.minResource) / Math.log(this.reductionFactor)) + 1;
    for (let b = 0; b < n; b++) {
      const s = n - 1 - b;
      const budget = Math.ceil((n * this.reductionFactor ** s) / (s + 1));
      this.budgets.push(budget);
      this.totalBudget += budget;
      this.pruners.push(
        new SuccessiveHalvingPruner({ minResource: this.minResource, reductionFactor: this.reductionFactor, minEarlyStoppingRate: b, bootstrapCount: this.bootstrapCount }),
      );
    }
  }

  getConfig(): Record<string, unknown> {
    return { minResource: this.minResource, maxResource: this.autoMaxResource ? 'auto' : this.maxResource, reductionFactor: this.reductionFactor, bootstrapCount: this.bootstrapCount };
  }

  static fromConfig(config: JsonObject): HyperbandPruner {
    return new HyperbandPruner(config as HyperbandPrunerOptions);
  }
}

registry.register('pruner', 'hyperband', HyperbandPruner);
