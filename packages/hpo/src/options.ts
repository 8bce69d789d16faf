import { finite, integerAtLeast, optionError, type OptionCheck } from '@nn/core';

// The option checks shared with the other packages live in @nn/core; these read hpo's optional options.
export { checkOptions } from '@nn/core';

/** Reads an optional integer option >= `min` (`fallback` when absent), naming it in the error. */
export function intOption(where: string, name: string, value: unknown, fallback: number, min = 1): number {
  return value === undefined ? fallback : integerAtLeast(where, name, value, min);
}

/** Reads an optional number option (`fallback` when absent) through `check` (by default: any finite number). */
export function numberOption(where: string, name: string, value: unknown, fallback: number, check: OptionCheck<number> = finite): number {
  return value === undefined ? fallback : check(where, name, value);
}

/** Reads an optional seed. */
export function seedOption(where: string, value: unknown): number | undefined {
  return value === undefined ? undefined : finite(where, 'seed', value);
}

/** A duration in seconds: a finite number, > 0 or (with `allowZero`) >= 0. */
export const seconds =
  (allowZero: boolean): OptionCheck<number> =>
  (where, name, v) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (v === 0 && !allowZero)) throw optionError(where, name, `must be a ${allowZero ? 'non-negative' : 'positive'} number of seconds`, v);
    return v;
  };
