import { bool, checkOptions, ErrorCode, NNError, nonNegativeInteger, optionError, positiveInteger, registry, type Callback } from '@nn/core';
import { hasMethod, instantiate } from './resolve.js';

/**
 * The option checks of compile/fit/evaluate/predict, apart from the training loop: every name is known
 * (a typo such as `{ epoch: 3 }` or Keras' `batch_size` fails with the near miss instead of training with
 * the default), every value has the right type and range.
 */

export const COMPILE_OPTIONS = ['optimizer', 'loss', 'metrics'] as const;
export const FIT_OPTIONS = [
  'epochs', 'batchSize', 'validationSplit', 'validationData', 'shuffle', 'callbacks', 'verbose', 'augment', 'initialEpoch', 'generator', 'divergenceGuard', 'resumeFrom',
] as const;

const HOOKS = ['setTarget', 'onTrainBegin', 'onTrainEnd', 'onEpochBegin', 'onEpochEnd', 'onBatchBegin', 'onBatchEnd', 'afterBatch', 'afterEpoch'];

/** `verbose` is 0, 1 (or 2 where `max` allows it): `verbose: 7` or `true` is a mistake, not "very verbose". */
export function checkVerbose(where: string, v: unknown, max: 1 | 2): 0 | 1 | 2 {
  if (v !== 0 && v !== 1 && !(max === 2 && v === 2)) throw optionError(where, 'verbose', `must be ${max === 2 ? '0, 1 or 2' : '0 or 1'}`, v);
  return v;
}

/** Callbacks as given to fit: objects with at least one hook, or names registered under kind `callback`. */
export function resolveCallbacks(where: string, v: unknown): Callback[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw optionError(where, 'callbacks', 'must be an array of callbacks', v);
  return v.map((c, i) => {
    if (typeof c === 'string') return instantiate('callback', c) as Callback;
    if (typeof c === 'object' && c !== null && HOOKS.some((h) => hasMethod(c, h))) return c as Callback;
    throw optionError(where, `callbacks[${i}]`, `must be a callback (an object with ${HOOKS.slice(1).join('/')}) or a registered name`, c);
  });
}

/** Metric names resolve when compile is called (a typo fails there), instances must have update/result. */
export function checkMetricSpecs(v: unknown): void {
  if (v === undefined) return;
  if (!Array.isArray(v)) throw optionError('compile', 'metrics', 'must be an array of metrics or metric names', v);
  v.forEach((m, i) => {
    if (typeof m === 'string') {
      if (m !== 'accuracy' && m !== 'acc') registry.get('metric', m);
    } else if (!hasMethod(m, 'update') || !hasMethod(m, 'result')) {
      throw optionError('compile', `metrics[${i}]`, 'must be a metric (with update() and result()) or a registered name', m);
    }
  });
}

/** The fit options, checked (defaults are filled in by fit). */
export function checkFitOptions<T extends object>(options: T | undefined): T {
  const o = checkOptions('fit', options, FIT_OPTIONS) as Record<string, unknown>;
  if (o.epochs !== undefined) positiveInteger('fit', 'epochs', o.epochs);
  if (o.batchSize !== undefined) positiveInteger('fit', 'batchSize', o.batchSize);
  if (o.initialEpoch !== undefined) nonNegativeInteger('fit', 'initialEpoch', o.initialEpoch);
  if (o.shuffle !== undefined) bool('fit', 'shuffle', o.shuffle);
  if (o.verbose !== undefined) checkVerbose('fit', o.verbose, 2);
  const split = o.validationSplit;
  if (split !== undefined && (typeof split !== 'number' || !(split >= 0 && split < 1))) throw optionError('fit', 'validationSplit', 'must be a number in [0, 1)', split);
  if (o.validationData !== undefined && (!Array.isArray(o.validationData) || o.validationData.length !== 2)) {
    throw optionError('fit', 'validationData', 'must be [x, y]', o.validationData);
  }
  if (o.augment !== undefined && !hasMethod(o.augment, 'apply')) throw new NNError(ErrorCode.InvalidArgument, 'fit: augment must have an apply({ image, labels }) method', { option: 'augment' });
  if (o.generator !== undefined && !hasMethod(o.generator, 'permutation')) throw optionError('fit', 'generator', 'must be a Generator (from @nn/tensor)', o.generator);
  return o as T;
}

/** evaluate's and predict's options. */
export function checkBatchOptions(where: 'evaluate' | 'predict', options: unknown): { batchSize: number; verbose: 0 | 1 | 2 } {
  const o = checkOptions(where, options as Record<string, unknown> | undefined, where === 'evaluate' ? ['batchSize', 'verbose'] : ['batchSize']);
  const batchSize = o.batchSize === undefined ? 32 : positiveInteger(where, 'batchSize', o.batchSize);
  const verbose = o.verbose === undefined ? 0 : (checkVerbose(where, o.verbose, 2) as 0 | 1 | 2);
  return { batchSize, verbose };
}
