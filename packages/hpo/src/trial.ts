import { ErrorCode, NNError, type JsonValue } from '@nn/core';
import {
  categoricalDistribution,
  contains,
  describeDistribution,
  distributionsEqual,
  floatDistribution,
  intDistribution,
  isSingle,
} from './distributions.js';
import type { Study } from './study.js';
import type { Distribution, FrozenTrial, ParamValue } from './types.js';

/**
 * Thrown from an objective (directly, or by `pruningCallback`) to end the trial as pruned. `optimize` records
 * the trial as 'pruned' with its last reported value; it is not an error.
 */
export class TrialPruned extends Error {
  constructor(message = 'trial pruned') {
    super(message);
    this.name = 'TrialPruned';
  }
}

/** Whether `e` is a {@link TrialPruned} (also one thrown by another copy of this package). */
export const isTrialPruned = (e: unknown): e is TrialPruned => e instanceof TrialPruned || (e instanceof Error && e.name === 'TrialPruned');

/** The last step a trial reported at, or null. */
export function lastStep(trial: Pick<FrozenTrial, 'intermediateValues'>): number | null {
  let last: number | null = null;
  for (const k of Object.keys(trial.intermediateValues)) {
    const s = Number(k);
    if (last === null || s > last) last = s;
  }
  return last;
}

/**
 * A running trial, as the objective sees it: it suggests parameters (define-by-run, so a parameter asked
 * only in one branch is simply absent from other trials), reports intermediate values and asks whether to
 * prune. Everything it learns is written to the study's storage at once, so a crash loses nothing reported.
 */
export class Trial {
  readonly number: number;
  private readonly relativeSpace: Record<string, Distribution>;
  private readonly relativeParams: Record<string, ParamValue>;

  /** @internal Created by `Study.ask`. */
  constructor(
    readonly study: Study,
    frozen: FrozenTrial,
    private readonly fixedParams: Record<string, ParamValue>,
  ) {
    this.number = frozen.number;
    const sampler = study.sampler;
    const view = this.samplerView(frozen);
    this.relativeSpace = sampler.inferRelativeSearchSpace?.(view, frozen) ?? {};
    this.relativeParams = Object.keys(this.relativeSpace).length && sampler.sampleRelative ? sampler.sampleRelative(view, frozen, this.relativeSpace) : {};
  }

  /** What the sampler sees of the study for this trial (the pruner may narrow it, as Hyperband does). */
  private samplerView(frozen: FrozenTrial) {
    return this.study.pruner.samplerView?.(this.study, frozen) ?? this.study;
  }

  /** A float in [low, high]; `log` samples on a log scale (learning rates), `step` on a grid from low. */
  suggestFloat(name: string, low: number, high: number, options: { log?: boolean; step?: number | null } = {}): number {
    const where = `suggestFloat("${name}")`;
    this.checkName(name, 'suggestFloat');
    return this.suggest(name, floatDistribution(low, high, options, where), where) as number;
  }

  /** An integer in [low, high] (both included); `log` for sizes that span magnitudes, `step` for multiples. */
  suggestInt(name: string, low: number, high: number, options: { log?: boolean; step?: number } = {}): number {
    const where = `suggestInt("${name}")`;
    this.checkName(name, 'suggestInt');
    return this.suggest(name, intDistribution(low, high, options, where), where) as number;
  }

  /** One of `choices` (numbers, strings, booleans or null). */
  suggestCategorical<T extends ParamValue>(name: string, choices: readonly T[]): T {
    const where = `suggestCategorical("${name}")`;
    this.checkName(name, 'suggestCategorical');
    return this.suggest(name, categoricalDistribution(choices, where), where) as T;
  }

  /** Records an intermediate value (a validation loss after `step` epochs) for the pruner and the plots. */
  report(value: number, step: number): void {
    if (this.study.directions.length > 1) throw new NNError(ErrorCode.InvalidArgument, 'report: intermediate values are not supported in multi-objective studies');
    if (typeof value !== 'number') throw new NNError(ErrorCode.InvalidArgument, `report: value must be a number, got ${typeof value}`, { value });
    if (!Number.isInteger(step) || step < 0) throw new NNError(ErrorCode.InvalidArgument, `report: step must be a non-negative integer, got ${String(step)}`, { step });
    const frozen = this.frozen();
    // As in Optuna: a step reported twice keeps its first value.
    if (Object.prototype.hasOwnProperty.call(frozen.intermediateValues, step)) return;
    this.study.storage.setTrialIntermediateValue(this.study.studyId, this.number, step, value);
    this.study.storage.recordHeartbeat?.(this.study.studyId, this.number);
  }

  /** Whether the pruner wants this trial stopped now; the objective then throws `new TrialPruned()`. */
  shouldPrune(): boolean {
    if (this.study.directions.length > 1) throw new NNError(ErrorCode.InvalidArgument, 'shouldPrune: pruning is not supported in multi-objective studies');
    return this.study.pruner.prune(this.study, this.frozen());
  }

  /** Attaches user data (JSON) to the trial. */
  setUserAttr(key: string, value: JsonValue): void {
    this.study.storage.setTrialUserAttr(this.study.studyId, this.number, key, value);
  }

  get params(): Record<string, ParamValue> {
    return { ...this.frozen().params };
  }

  get distributions(): Record<string, Distribution> {
    return { ...this.frozen().distributions };
  }

  get userAttrs(): FrozenTrial['userAttrs'] {
    return this.frozen().userAttrs;
  }

  get intermediateValues(): Record<number, number> {
    return { ...this.frozen().intermediateValues };
  }

  /** The trial as stored now. */
  frozen(): FrozenTrial {
    return this.study.storage.getTrial(this.study.studyId, this.number);
  }

  private checkName(name: string, method: string): void {
    if (typeof name !== 'string' || name === '') throw new NNError(ErrorCode.InvalidArgument, `${method}: name must be a non-empty string, got ${JSON.stringify(name)}`);
  }

  private suggest(name: string, distribution: Distribution, where: string): ParamValue {
    const frozen = this.frozen();
    if (Object.prototype.hasOwnProperty.call(frozen.params, name)) {
      const previous = frozen.distributions[name];
      if (!distributionsEqual(previous, distribution)) {
        throw new NNError(
          ErrorCode.InvalidArgument,
          `${where}: trial ${this.number} already suggested "${name}" as ${describeDistribution(previous)}; it cannot be suggested again as ${describeDistribution(distribution)}`,
          { name },
        );
      }
      return frozen.params[name];
    }
    this.study.checkDistribution(name, distribution, where);
    let value: ParamValue;
    if (Object.prototype.hasOwnProperty.call(this.fixedParams, name)) {
      value = this.fixedParams[name];
      if (!contains(distribution, value)) {
        throw new NNError(ErrorCode.InvalidArgument, `${where}: the enqueued value ${JSON.stringify(value)} is not in ${describeDistribution(distribution)}`, { name, value });
      }
    } else if (Object.prototype.hasOwnProperty.call(this.relativeParams, name) && this.relativeSpace[name] && distributionsEqual(this.relativeSpace[name], distribution)) {
      value = this.relativeParams[name];
    } else if (isSingle(distribution)) {
      value = distribution.type === 'categorical' ? distribution.choices[0] : distribution.low;
    } else {
      value = this.study.sampler.sampleIndependent(this.samplerView(frozen), frozen, name, distribution);
    }
    this.study.storage.setTrialParam(this.study.studyId, this.number, name, distribution, value);
    return value;
  }
}
