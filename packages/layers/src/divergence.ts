import { checkOptions, ErrorCode, inRange, NNError, positiveInteger, registry, type Callback, type Logs, type TrainingTarget } from '@nn/core';
import { isFinite as isFiniteOp, noGrad, sum, type Tensor } from '@nn/tensor';
import type { OptimizerLike } from './kinds.js';
import type { Model } from './model.js';

/**
 * Keras' TerminateOnNaN: stops training at the first batch whose loss is NaN or ±Infinity. With it, `fit`
 * returns (the weights are those before that batch: its update is never applied) instead of throwing.
 */
export class TerminateOnNaN implements Callback {
  /** Read by fit: a non-finite loss is this callback's to handle (stop quietly), not an error. */
  readonly handlesNonFinite = true;
  /** The batch and epoch that stopped training, if any. */
  stoppedAt?: { epoch: number; batch: number };
  private target?: TrainingTarget;
  private epoch = 0;

  constructor(options?: Record<string, never>) {
    checkOptions('terminateOnNaN', options, []);
  }

  static fromConfig(config: Record<string, never>): TerminateOnNaN {
    return new TerminateOnNaN(config);
  }

  setTarget(target: TrainingTarget): void {
    this.target = target;
  }

  onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }

  onBatchEnd(batch: number, logs: Logs = {}): void {
    const loss = logs.loss;
    if (loss !== undefined && !Number.isFinite(loss) && this.target) {
      this.stoppedAt = { epoch: this.epoch, batch };
      this.target.stopTraining = true;
    }
  }

  getConfig(): Record<string, never> {
    return {};
  }
}

/** `callbacks: [terminateOnNaN()]`, as Keras' `TerminateOnNaN()`. */
export const terminateOnNaN = (options?: Record<string, never>): TerminateOnNaN => new TerminateOnNaN(options);
registry.register('callback', 'terminateOnNaN', TerminateOnNaN);

export interface DivergenceGuardOptions {
  /** The lr is multiplied by this after each rollback (default 0.5). */
  factor?: number;
  /** Rollbacks allowed in one fit before it gives up with an error (default 5). */
  maxRollbacks?: number;
}

/** One rollback, as recorded in `history.divergence`. */
export interface DivergenceEvent {
  epoch: number;
  batch: number;
  loss: number;
  /** The lr of each parameter group after lowering. */
  lr: number[];
}

/** The divergence guard's options, checked; `true` takes the defaults. */
export function checkGuardOptions(v: unknown): Required<DivergenceGuardOptions> {
  if (v === true) return { factor: 0.5, maxRollbacks: 5 };
  const o = checkOptions('fit', v as DivergenceGuardOptions, ['factor', 'maxRollbacks'], { noun: 'divergenceGuard option' });
  return {
    factor: o.factor === undefined ? 0.5 : inRange('fit', 'divergenceGuard.factor', o.factor, 0, 1, true, true),
    maxRollbacks: o.maxRollbacks === undefined ? 5 : positiveInteger('fit', 'divergenceGuard.maxRollbacks', o.maxRollbacks),
  };
}

/**
 * The last good state of a model held in memory: copies of every weight (batch norm's statistics too) and
 * the optimizer's state dict. What fit rolls back to when the loss stops being finite.
 */
export class Snapshot {
  private constructor(private readonly weights: Tensor[], private readonly optimizerState: unknown) {}

  /** Copies the weights, and the optimizer's state when `withOptimizer` (what a rollback that carries on needs). */
  static take(model: Model, withOptimizer: boolean): Snapshot {
    const weights = noGrad(() => model.allWeights().map((w) => w.value.clone()));
    return new Snapshot(weights, withOptimizer ? model.optimizer?.stateDict?.() : undefined);
  }

  /** Puts the weights (and optimizer state) back; the groups' lrs stay as they are now (a guard's lowering holds). */
  restore(model: Model): void {
    noGrad(() => model.allWeights().forEach((w, i) => w.value.assign(this.weights[i])));
    const optimizer = model.optimizer;
    if (this.optimizerState === undefined || !optimizer?.loadStateDict) return;
    const lrs = optimizer.paramGroups.map((g) => (g as { lr?: unknown }).lr);
    optimizer.loadStateDict(this.optimizerState);
    optimizer.paramGroups.forEach((g, i) => ((g as { lr?: unknown }).lr = lrs[i]));
  }

  dispose(): void {
    for (const w of this.weights) w.dispose();
  }
}

/** Whether every weight of the model is finite (one reduction and one read per weight: used on failure only). */
export function weightsFinite(model: Model): boolean {
  return noGrad(() =>
    model.allWeights().every((w) => {
      const ok = sum(isFiniteOp(w.value));
      const all = ok.item() === w.value.size;
      ok.dispose();
      return all;
    }),
  );
}

/** Multiplies every parameter group's lr by `factor` (a schedule is scaled by wrapping it); returns the new lrs. */
export function lowerLr(optimizer: OptimizerLike, factor: number): number[] {
  return optimizer.paramGroups.map((group, i) => {
    const g = group as { lr?: unknown };
    if (typeof g.lr === 'number') g.lr *= factor;
    else if (g.lr && typeof (g.lr as { lrAt?: unknown }).lrAt === 'function') g.lr = scaled(g.lr as Schedule, factor);
    else throw new NNError(ErrorCode.StateMismatch, 'fit: divergenceGuard needs an optimizer whose parameter groups have an lr (a number or a schedule)');
    const current = (optimizer as { currentLr?: (group: number) => number }).currentLr;
    return current ? current.call(optimizer, i) : (g.lr as number);
  });
}

interface Schedule {
  lrAt(step: number): number;
  momentumAt?(step: number): number;
  getConfig?(): unknown;
}

/** A schedule times a factor (the guard's lowered lr on top of a user's schedule). */
function scaled(inner: Schedule, factor: number): Schedule {
  return {
    lrAt: (step) => inner.lrAt(step) * factor,
    ...(inner.momentumAt ? { momentumAt: (step: number) => inner.momentumAt!(step) } : {}),
  };
}
