import { ErrorCode, NNError, nearMisses } from '@nn/core';

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
export type Check<T> = (where: string, name: string, value: unknown) => T;

const show = (v: unknown): string => {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (typeof v === 'object' && v !== null) return v.constructor && v.constructor !== Object ? `a ${v.constructor.name}` : JSON.stringify(v);
  return String(v);
};

/** The error for a bad option, naming the optimizer and the option so the fix is obvious. */
export function optionError(where: string, name: string, message: string, value?: unknown): NNError {
  return new NNError(ErrorCode.InvalidArgument, `${where}: ${name} ${message}, got ${show(value)}`, { optimizer: where, option: name, value });
}

/** Throws on an option name not in `known`, suggesting near misses ("betas1" -> "betas"). */
export function checkNames(where: string, options: object, known: readonly string[], noun = 'option'): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const near = nearMisses(key, known);
    throw new NNError(
      ErrorCode.InvalidArgument,
      `${where}: unknown ${noun} "${key}"${near.length ? `; did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : ''} (${noun}s: ${known.join(', ')})`,
      { optimizer: where, option: key, nearMisses: near },
    );
  }
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A finite number >= 0. */
export const nonNegative: Check<number> = (where, name, v) => {
  if (!isNumber(v) || v < 0) throw optionError(where, name, 'must be a non-negative number', v);
  return v;
};

/** A finite number > 0. */
export const positive: Check<number> = (where, name, v) => {
  if (!isNumber(v) || v <= 0) throw optionError(where, name, 'must be a positive number', v);
  return v;
};

/** A number in [0, 1]. */
export const unitInterval: Check<number> = (where, name, v) => {
  if (!isNumber(v) || v < 0 || v > 1) throw optionError(where, name, 'must be a number in [0, 1]', v);
  return v;
};

/** A number in [0, 1): a decay rate of 1 would never forget, and PyTorch refuses it too. */
export const decayRate: Check<number> = (where, name, v) => {
  if (!isNumber(v) || v < 0 || v >= 1) throw optionError(where, name, 'must be a number in [0, 1)', v);
  return v;
};

export const bool: Check<boolean> = (where, name, v) => {
  if (typeof v !== 'boolean') throw optionError(where, name, 'must be true or false', v);
  return v;
};

/** `[beta1, beta2]`, each in [0, 1). */
export const betas: Check<[number, number]> = (where, name, v) => {
  if (!Array.isArray(v) || v.length !== 2) throw optionError(where, name, 'must be a pair [beta1, beta2]', v);
  v.forEach((b, i) => {
    if (!isNumber(b) || b < 0 || b >= 1) throw optionError(where, `${name}[${i}]`, 'must be a number in [0, 1)', b);
  });
  return [v[0], v[1]];
};

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
