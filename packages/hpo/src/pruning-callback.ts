import { ErrorCode, NNError, type Callback, type Logs } from '@nn/core';
import { TrialPruned } from './trial.js';

/** The part of a trial the callback uses. */
export interface PrunableTrial {
  readonly number: number;
  report(value: number, step: number): void;
  shouldPrune(): boolean;
}

export interface PruningCallbackOptions {
  /** The log to report each epoch (`val_loss`, `val_accuracy`, …). */
  monitor: string;
}

/**
 * A training callback (the @nn/core interface, so @nn/hpo never depends on @nn/layers): after each epoch it
 * reports `logs[monitor]` at step `epoch` and, when the study's pruner says so, throws `TrialPruned` out of
 * `fit`, which `optimize` records as a pruned trial.
 */
export function pruningCallback(trial: PrunableTrial, options: PruningCallbackOptions): Callback {
  if (typeof trial?.report !== 'function' || typeof trial.shouldPrune !== 'function') {
    throw new NNError(ErrorCode.InvalidArgument, 'pruningCallback: the first argument must be the trial (with report and shouldPrune)');
  }
  const monitor = options?.monitor;
  if (typeof monitor !== 'string' || monitor === '') {
    throw new NNError(ErrorCode.InvalidArgument, "pruningCallback: options.monitor must name a log, e.g. { monitor: 'val_loss' }");
  }
  return {
    onEpochEnd(epoch: number, logs?: Logs): void {
      const value = logs?.[monitor];
      if (typeof value !== 'number') {
        const available = Object.keys(logs ?? {});
        throw new NNError(
          ErrorCode.InvalidArgument,
          `pruningCallback: the epoch logs have no "${monitor}" (logs: ${available.length ? available.join(', ') : 'none'}); monitor a log that fit reports, e.g. with validationSplit for val_ metrics`,
          { monitor, available },
        );
      }
      trial.report(value, epoch);
      if (trial.shouldPrune()) throw new TrialPruned(`trial ${trial.number} pruned at epoch ${epoch} (${monitor} = ${value})`);
    },
  };
}
