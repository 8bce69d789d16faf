import type { Logs } from '@nn/core';
import type { DivergenceEvent } from './divergence.js';

/** What `fit` returns, as Keras': `history.history.loss[e]` is epoch e's loss; `val_` keys when validating. */
export class History {
  readonly epoch: number[] = [];
  readonly history: Record<string, number[]> = {};
  params: { epochs: number; steps: number; verbose: number } = { epochs: 0, steps: 0, verbose: 0 };
  /** The divergence guard's rollbacks (fit's `divergenceGuard`), in order. */
  readonly divergence: DivergenceEvent[] = [];

  record(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }
}
