import { checkOptions, ErrorCode, NNError, finite, registry, nonNegativeInteger, oneOfChoices, type Callback, type JsonObject, type Logs, type TrainingTarget } from '@nn/core';
import { optionsObject } from './kinds.js';

export type EarlyStoppingMode = 'auto' | 'min' | 'max';

export interface EarlyStoppingOptions {
  /** The logged quantity to watch (default `val_loss`; needs validation data or `validationSplit`). */
  monitor?: string;
  /** An absolute change smaller than this does not count as an improvement (default 0). */
  minDelta?: number;
  /** Epochs without improvement before stopping (default 0: stop at the first epoch that does not improve). */
  patience?: number;
  /** `auto` maximizes accuracy-like names (`acc`, `accuracy`, `auc`, `precision`, `recall`, `f1`) and minimizes the rest. */
  mode?: EarlyStoppingMode;
  /** A value the monitored quantity must beat; epochs that do not beat it count towards patience. */
  baseline?: number | null;
  /** End training with the weights of the best epoch (also when training runs out of epochs). */
  restoreBestWeights?: boolean;
  /** Epochs of warm-up before monitoring starts (default 0). */
  startFromEpoch?: number;
  /** 1 prints when it stops and when it restores weights (default 0). */
  verbose?: 0 | 1;
}

const OPTIONS = ['monitor', 'minDelta', 'patience', 'mode', 'baseline', 'restoreBestWeights', 'startFromEpoch', 'verbose'] as const;

const MAXIMIZED = /(acc|accuracy|auc|precision|recall|f1|f1score|r2|r2score)$/i;


/**
 * Stops training when the monitored quantity stops improving: Keras' `EarlyStopping`. With
 * `restoreBestWeights` the model ends with the weights of its best epoch whatever ended training (patience,
 * the last epoch, or another callback), as Keras 3 does.
 */
export class EarlyStopping implements Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly mode: EarlyStoppingMode;
  readonly baseline: number | null;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  readonly verbose: 0 | 1;

  /** The best monitored value so far. */
  best = Infinity;
  /** The epoch (from 0) that gave {@link best}; -1 before any monitored epoch. */
  bestEpoch = -1;
  /** The epoch at which this callback stopped training, or 0 if it did not (Keras' convention). */
  stoppedEpoch = 0;
  /** Epochs since the last improvement that also beat the baseline. */
  wait = 0;
  /** A copy of the best epoch's weights (with `restoreBestWeights`). */
  bestWeights: unknown[] | null = null;

  private target?: TrainingTarget;
  private warned = false;

  constructor(options: EarlyStoppingOptions = {}) {
    const w = 'earlyStopping';
    const o = optionsObject(w, options, OPTIONS);
    const { monitor = 'val_loss', minDelta = 0, patience = 0, mode = 'auto', baseline = null, restoreBestWeights = false, startFromEpoch = 0, verbose = 0 } = o;
    if (typeof monitor !== 'string' || monitor === '') throw new NNError(ErrorCode.InvalidArgument, `earlyStopping: monitor must be a metric name such as 'val_loss', got ${String(monitor)}`);
    finite(w, 'minDelta', minDelta);
    if (baseline !== null && (typeof baseline !== 'number' || Number.isNaN(baseline))) throw new NNError(ErrorCode.InvalidArgument, `earlyStopping: baseline must be a number or null, got ${String(baseline)}`);
    this.monitor = monitor;
    // Keras takes |minDelta|: it is a size, the direction comes from the mode.
    this.minDelta = Math.abs(minDelta);
    this.patience = nonNegativeInteger(w, 'patience', patience);
    this.mode = oneOfChoices(w, 'mode', mode, ['auto', 'min', 'max'] as const);
    this.baseline = baseline;
    this.restoreBestWeights = Boolean(restoreBestWeights);
    this.startFromEpoch = nonNegativeInteger(w, 'startFromEpoch', startFromEpoch);
    this.verbose = verbose ? 1 : 0;
    this.best = this.maximizes ? -Infinity : Infinity;
  }

  static fromConfig(config: JsonObject): EarlyStopping {
    return new EarlyStopping(config as EarlyStoppingOptions);
  }

  /** Whether larger values of the monitored quantity are better. */
  get maximizes(): boolean {
    if (this.mode !== 'auto') return this.mode === 'max';
    return MAXIMIZED.test(this.monitor.replace(/^val_/, ''));
  }

  setTarget(target: TrainingTarget): void {
    this.target = target;
  }

  onTrainBegin(): void {
    // Reset everything, so one instance can serve several fits.
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = this.maximizes ? -Infinity : Infinity;
    this.bestEpoch = -1;
    this.bestWeights = null;
    this.warned = false;
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    const current = logs[this.monitor];
    if (current === undefined) {
      if (!this.warned) console.warn(`earlyStopping: monitoring "${this.monitor}", which is not logged; logged: ${Object.keys(logs).join(', ') || 'nothing'}${this.monitor.startsWith('val_') ? ' (val_ values need validationData or validationSplit in fit)' : ''}`);
      this.warned = true;
      return;
    }
    if (epoch < this.startFromEpoch) return;

    this.wait += 1;
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.keepWeights();
      // An improvement resets patience only if it also beats the baseline; one that does not still counts.
      if (this.baseline === null || this.isImprovement(current, this.baseline)) {
        this.wait = 0;
        return;
      }
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.requireTarget().stopTraining = true;
    }
  }

  onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose) console.log(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.restoreBestWeights && this.bestWeights) {
      if (this.verbose) console.log(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      this.requireTarget().setWeights(this.bestWeights);
    }
  }

  /**
   * The counters (and best weights, as nested arrays), for a checkpoint: a resumed fit stops where the
   * uninterrupted one would. JSON has no Infinity, so a best not yet seen is null.
   */
  state(): { best: number | null; bestEpoch: number; stoppedEpoch: number; wait: number; bestWeights: unknown[] | null } {
    const weights = this.bestWeights?.map((w) => (w && typeof (w as { toArray?: unknown }).toArray === 'function' ? (w as { toArray(): unknown }).toArray() : w));
    return { best: Number.isFinite(this.best) ? this.best : null, bestEpoch: this.bestEpoch, stoppedEpoch: this.stoppedEpoch, wait: this.wait, bestWeights: weights ?? null };
  }

  /** Restores what {@link EarlyStopping.state} saved (called by fit's resumeFrom after onTrainBegin), checked first. */
  loadState(state: unknown): void {
    const w = 'earlyStopping.loadState';
    const s = checkOptions(w, state as Record<string, unknown>, ['best', 'bestEpoch', 'stoppedEpoch', 'wait', 'bestWeights'], { required: ['bestEpoch', 'stoppedEpoch', 'wait'], noun: 'field' });
    if (s.best !== null && s.best !== undefined && typeof s.best !== 'number') throw new NNError(ErrorCode.StateMismatch, `${w}: best must be a number or null, got ${String(s.best)}`);
    if (typeof s.bestEpoch !== 'number' || !Number.isInteger(s.bestEpoch) || s.bestEpoch < -1) throw new NNError(ErrorCode.StateMismatch, `${w}: bestEpoch must be an integer >= -1, got ${String(s.bestEpoch)}`);
    for (const k of ['stoppedEpoch', 'wait'] as const) nonNegativeInteger(w, k, s[k]);
    if (s.bestWeights !== null && s.bestWeights !== undefined && !Array.isArray(s.bestWeights)) throw new NNError(ErrorCode.StateMismatch, `${w}: bestWeights must be an array or null`);
    this.best = typeof s.best === 'number' ? s.best : this.maximizes ? -Infinity : Infinity;
    this.bestEpoch = s.bestEpoch as number;
    this.stoppedEpoch = s.stoppedEpoch as number;
    this.wait = s.wait as number;
    this.bestWeights = (s.bestWeights as unknown[] | null | undefined) ?? null;
  }

  getConfig(): Required<Omit<EarlyStoppingOptions, 'baseline'>> & { baseline: number | null } {
    return {
      monitor: this.monitor,
      minDelta: this.minDelta,
      patience: this.patience,
      mode: this.mode,
      baseline: this.baseline,
      restoreBestWeights: this.restoreBestWeights,
      startFromEpoch: this.startFromEpoch,
      verbose: this.verbose,
    };
  }

  private isImprovement(value: number, reference: number): boolean {
    return this.maximizes ? value - this.minDelta > reference : value + this.minDelta < reference;
  }

  // The copy is only dropped, never disposed: a target may hand out tensors it still uses, and unreferenced
  // tensors are freed at garbage collection anyway.
  private keepWeights(): void {
    this.bestWeights = this.requireTarget().getWeights();
  }

  private requireTarget(): TrainingTarget {
    if (!this.target) throw new NNError(ErrorCode.StateMismatch, 'earlyStopping: no model to act on; pass it in fit({ callbacks: [...] }), which calls setTarget(model)');
    return this.target;
  }
}

/** `fit(x, y, { callbacks: [earlyStopping({ patience: 5, restoreBestWeights: true })] })`. */
export const earlyStopping = (options?: EarlyStoppingOptions): EarlyStopping => new EarlyStopping(options);

registry.register('callback', 'earlyStopping', EarlyStopping);
