import { ErrorCode, NNError, nearMisses, registry, type Callback, type JsonObject, type Logs } from '@nn/core';
import type { Schedule } from './schedule.js';
import { checkOptions, inRange, invalid, nonNegative, nonNegativeInteger, oneOf } from './validate.js';

export interface ReduceOnPlateauOptions {
  /** The initial lr. */
  lr: number;
  /** 'min' (default): lower is better, as for a loss; 'max': higher is better, as for accuracy. */
  mode?: 'min' | 'max';
  /** Multiplies the lr on a plateau (default 0.1; must be < 1). */
  factor?: number;
  /** Updates without improvement tolerated before reducing (default 10). */
  patience?: number;
  /** How much better counts as better (default 1e-4). */
  threshold?: number;
  /** 'rel' (default): better than best*(1 -/+ threshold); 'abs': better than best -/+ threshold. */
  thresholdMode?: 'rel' | 'abs';
  /** Updates to wait after a reduction before counting bad updates again (default 0). */
  cooldown?: number;
  /** The lr never goes below this (default 0). */
  minLr?: number;
  /** A reduction smaller than this is skipped (default 1e-8). */
  eps?: number;
  /** The metric read from the logs when used as a callback (default 'val_loss'). */
  monitor?: string;
}

/** The counters of a {@link ReduceOnPlateau}: what a checkpoint must hold to resume it. */
export interface ReduceOnPlateauState {
  lr: number;
  /** The best metric so far (null before the first update, as JSON has no Infinity). */
  best: number | null;
  numBadEpochs: number;
  cooldownCounter: number;
  /** Updates seen. */
  lastEpoch: number;
}

const OPTIONS = ['lr', 'mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps', 'monitor'] as const;

/**
 * PyTorch's ReduceLROnPlateau, fed a metric. Unlike the other schedules it is stateful: the lr depends on
 * the metrics seen, not on the step, so `lrAt` returns the current lr whatever the step — which lets an
 * optimizer take it as its lr like any schedule. It is also a training callback: `fit` feeds it
 * `logs[monitor]` at the end of every epoch.
 */
export class ReduceOnPlateau implements Schedule, Callback {
  readonly initialLr: number;
  readonly mode: 'min' | 'max';
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: 'rel' | 'abs';
  readonly cooldown: number;
  readonly minLr: number;
  readonly eps: number;
  readonly monitor: string;
  private lr: number;
  private best: number;
  private numBadEpochs = 0;
  private cooldownCounter = 0;
  private lastEpoch = 0;

  constructor(options: ReduceOnPlateauOptions) {
    const w = 'reduceOnPlateau';
    checkOptions(w, options, OPTIONS, { required: ['lr'] });
    this.initialLr = nonNegative(w, 'lr', options.lr);
    this.mode = oneOf(w, 'mode', options.mode ?? 'min', ['min', 'max'] as const);
    this.factor = inRange(w, 'factor', options.factor ?? 0.1, 0, 1, false, true);
    this.patience = nonNegativeInteger(w, 'patience', options.patience ?? 10);
    this.threshold = nonNegative(w, 'threshold', options.threshold ?? 1e-4);
    this.thresholdMode = oneOf(w, 'thresholdMode', options.thresholdMode ?? 'rel', ['rel', 'abs'] as const);
    this.cooldown = nonNegativeInteger(w, 'cooldown', options.cooldown ?? 0);
    this.minLr = nonNegative(w, 'minLr', options.minLr ?? 0);
    this.eps = nonNegative(w, 'eps', options.eps ?? 1e-8);
    const monitor = options.monitor ?? 'val_loss';
    if (typeof monitor !== 'string' || monitor === '') throw invalid(w, `monitor must be a metric name such as "val_loss", got ${String(monitor)}`, { option: 'monitor' });
    this.monitor = monitor;
    this.lr = this.initialLr;
    this.best = this.worst();
  }

  private worst(): number {
    return this.mode === 'min' ? Infinity : -Infinity;
  }

  private isBetter(a: number, best: number): boolean {
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? a < best * (1 - this.threshold) : a < best - this.threshold;
    return this.thresholdMode === 'rel' ? a > best * (1 + this.threshold) : a > best + this.threshold;
  }

  /** The current lr, whatever the step: it changes only through {@link update}. */
  lrAt(_step?: number): number {
    return this.lr;
  }

  /**
   * Feeds one value of the monitored metric (once per epoch, usually) and returns the lr to use next.
   * A NaN metric counts as no improvement, as in PyTorch.
   */
  update(metric: number): number {
    if (typeof metric !== 'number') throw invalid('reduceOnPlateau', `update(metric) expects a number, got ${String(metric)}`);
    this.lastEpoch++;
    if (this.isBetter(metric, this.best)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs++;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      const reduced = Math.max(this.lr * this.factor, this.minLr);
      if (this.lr - reduced > this.eps) this.lr = reduced;
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    return this.lr;
  }

  /** The callback hook: reads `logs[monitor]` and updates. A missing metric is an error, not a silent no-op. */
  onEpochEnd(_epoch: number, logs?: Logs): void {
    const value = logs?.[this.monitor];
    if (typeof value !== 'number') {
      const names = Object.keys(logs ?? {});
      const near = nearMisses(this.monitor, names);
      throw new NNError(
        ErrorCode.InvalidArgument,
        `reduceOnPlateau: monitor "${this.monitor}" is not in the epoch logs${near.length ? `; did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : ''} (logs: ${names.join(', ') || 'none'}); pass validation data to fit, or set monitor`,
        { monitor: this.monitor, available: names },
      );
    }
    this.update(value);
  }

  /** The counters, for a checkpoint; `getConfig` holds the options. */
  state(): ReduceOnPlateauState {
    return {
      lr: this.lr,
      best: Number.isFinite(this.best) ? this.best : null,
      numBadEpochs: this.numBadEpochs,
      cooldownCounter: this.cooldownCounter,
      lastEpoch: this.lastEpoch,
    };
  }

  /** Restores counters saved by {@link ReduceOnPlateau.state}, checking them so a corrupt checkpoint fails here. */
  loadState(state: ReduceOnPlateauState): void {
    const w = 'reduceOnPlateau.loadState';
    checkOptions(w, state, ['lr', 'best', 'numBadEpochs', 'cooldownCounter', 'lastEpoch'], { required: ['lr', 'numBadEpochs', 'cooldownCounter', 'lastEpoch'], noun: 'field' });
    const lr = nonNegative(w, 'lr', state.lr);
    if (state.best !== null && state.best !== undefined && (typeof state.best !== 'number' || Number.isNaN(state.best))) {
      throw new NNError(ErrorCode.StateMismatch, `${w}: best must be a number or null, got ${String(state.best)}`);
    }
    const counts = ['numBadEpochs', 'cooldownCounter', 'lastEpoch'] as const;
    for (const k of counts) {
      const v = state[k];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new NNError(ErrorCode.StateMismatch, `${w}: ${k} must be a non-negative integer, got ${String(v)}`);
    }
    this.lr = lr;
    this.best = state.best === null || state.best === undefined ? this.worst() : state.best;
    this.numBadEpochs = state.numBadEpochs;
    this.cooldownCounter = state.cooldownCounter;
    this.lastEpoch = state.lastEpoch;
  }

  getConfig(): Required<ReduceOnPlateauOptions> {
    return {
      lr: this.initialLr, mode: this.mode, factor: this.factor, patience: this.patience, threshold: this.threshold,
      thresholdMode: this.thresholdMode, cooldown: this.cooldown, minLr: this.minLr, eps: this.eps, monitor: this.monitor,
    };
  }

  /** Rebuilds from `getConfig()` data, checked like options in code; `deserialize` calls it through the registry. */
  static fromConfig(config: JsonObject): ReduceOnPlateau {
    return new ReduceOnPlateau(config as unknown as ReduceOnPlateauOptions);
  }
}

/** Divides the lr by 1/factor when the monitored metric stops improving (PyTorch's ReduceLROnPlateau). */
export function reduceOnPlateau(options: ReduceOnPlateauOptions): ReduceOnPlateau {
  return new ReduceOnPlateau(options);
}

registry.register('schedule', 'reduceOnPlateau', ReduceOnPlateau);
// Also a callback (the registry names @nn/schedule as its provider). The `callback` kind is typed by the
// package that defines training callbacks, so it is registered here without claiming that type.
registry.register('callback', 'reduceOnPlateau', ReduceOnPlateau);
