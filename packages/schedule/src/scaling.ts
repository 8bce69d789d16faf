import { checkOptions, nonNegative, positive } from './validate.js';

export interface LinearScalingOptions {
  /** The lr tuned at `baseBatchSize`. */
  lr: number;
  batchSize: number;
  baseBatchSize: number;
}

/**
 * The course's linear scaling rule (Goyal et al.): multiply the batch size by k, multiply the lr by k —
 * `lr * batchSize / baseBatchSize`. Pair it with a warm-up when k is large.
 */
export function linearScaling(options: LinearScalingOptions): number {
  const w = 'linearScaling';
  checkOptions(w, options, ['lr', 'batchSize', 'baseBatchSize'], { required: ['lr', 'batchSize', 'baseBatchSize'] });
  const lr = nonNegative(w, 'lr', options.lr);
  return (lr * positive(w, 'batchSize', options.batchSize)) / positive(w, 'baseBatchSize', options.baseBatchSize);
}
