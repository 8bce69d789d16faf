import { ErrorCode, NNError, inRange, optionError, positive, type OptionCheck } from '@nn/core';

// Option checks shared with the other packages live in @nn/core; this module adds the optimizer-specific ones.
export { bool, checkOptions, nonNegative, optionError } from '@nn/core';

/** A learning-rate schedule as this package sees it: duck-typed, so @nn/optim need not depend on @nn/schedule. */
export interface LrSchedule {
  /** The lr in force at optimizer step `step` (0-based: step 0 is the first update). */
  lrAt(step: number): number;
  /** The momentum (SGD, RMSprop) or beta1 (Adam family) in force at `step`; undefined leaves the optimizer's. */
  momentumAt?(step: number): number | undefined;
}

/** A learning rate: a number, or a schedule read at every step. */
export type Lr = number | LrSchedule;

/** Validates one option and returns it (typed); `where` is the optimizer's name, for the message. */
export type Check<T> = OptionCheck<T>;

/**
 * Runs option checks for optimizer `where`, adding `optimizer: where` to the details of what they throw, so
 * callers can tell which optimizer refused an option.
 */
export function forOptimizer<T>(where: string, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof NNError && e.code === ErrorCode.InvalidArgument) throw new NNError(e.code, e.message, { optimizer: where, ...e.details });
    throw e;
  }
}

/** A number in [0, 1]. */
export const unitInterval: Check<number> = (where, name, v) => inRange(where, name, v, 0, 1);

/** `[beta1, beta2]`, each in [0, 1). */
export const betas: Check<[number, number]> = (where, name, v) => {
  if (!Array.isArray(v) || v.length !== 2) throw optionError(where, name, 'must be a pair [beta1, beta2]', v);
  v.forEach((b, i) => inRange(where, `${name}[${i}]`, b, 0, 1, false, true));
  return [v[0], v[1]];
};

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Whether `v` is a schedule object (anything with `lrAt`). */
export function isLrSchedule(v: unknown): v is LrSchedule {
  return typeof v === 'object' && v !== null && typeof (v as LrSchedule).lrAt === 'function';
}

/** A non-negative number or a schedule object. */
export const lr: Check<Lr> = (where, name, v) => {
  if (isLrSchedule(v)) return v;
  if (!isNumber(v) || v < 0) throw optionError(where, name, 'must be a non-negative number or a schedule (an object with lrAt(step))', v);
  return v;
};

/** An optional positive number (null/undefined: off). */
export const optionalPositive: Check<number | null> = (where, name, v) => (v === undefined || v === null ? null : positive(where, name, v));
