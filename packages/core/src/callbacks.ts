import type { JsonObject } from './json.js';

/** Values reported to callbacks: metric name -> value (`loss`, `val_loss`, `accuracy`, …). */
export type Logs = Record<string, number>;

/**
 * What a training loop shows its callbacks. Defined here, not in @nn/layers, so that packages offering
 * callbacks (early stopping, schedules, pruning) need not depend on the package that trains.
 */
export interface TrainingTarget {
  /** Set to true to end training after the current batch/epoch. */
  stopTraining: boolean;
  getWeights(): unknown[];
  setWeights(weights: unknown[]): void;
}

/**
 * The training callback hooks (Keras' names, camelCase). Every hook is optional and may be async; the
 * training loop awaits it. `epoch` and `batch` count from 0.
 */
export interface Callback {
  setTarget?(target: TrainingTarget): void;
  onTrainBegin?(logs?: Logs): void | Promise<void>;
  onTrainEnd?(logs?: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs?: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs?: Logs): void | Promise<void>;
  onBatchBegin?(batch: number, logs?: Logs): void | Promise<void>;
  onBatchEnd?(batch: number, logs?: Logs): void | Promise<void>;
  /** After every callback's onBatchEnd, between two batches: where step checkpoints are written. */
  afterBatch?(batch: number, logs?: Logs): void | Promise<void>;
  /** After every callback's onEpochEnd, when the epoch's state is final: where checkpoints are written. */
  afterEpoch?(epoch: number, logs?: Logs): void | Promise<void>;
}

/** What the registry holds under kind `callback`: a class that rebuilds a callback from its config. */
export interface CallbackClass {
  fromConfig(config: JsonObject): Callback;
}

/** Runs one hook on every callback, in order, awaiting each. */
export async function runCallbacks<H extends Exclude<keyof Callback, 'setTarget'>>(
  callbacks: readonly Callback[],
  hook: H,
  ...args: Parameters<NonNullable<Callback[H]>>
): Promise<void> {
  for (const cb of callbacks) {
    const fn = cb[hook] as ((...a: unknown[]) => void | Promise<void>) | undefined;
    if (fn) await fn.apply(cb, args);
  }
}
