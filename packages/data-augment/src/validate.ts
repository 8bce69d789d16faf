import { ErrorCode, NNError, checkOptions as checkOptionsIn, invalidArgument as invalid, positiveInteger, showValue } from '@nn/core';

// Option checks shared with the other packages live in @nn/core; this module adds the image-specific ones.
export { invalidArgument as invalid, finite, nonNegative, nonNegativeInteger, oneOfChoices as oneOf, positive, positiveInteger, probability } from '@nn/core';

/** Input that does not fit (rank, layout, sizes): SHAPE_MISMATCH, naming the transform. */
export function shapeError(where: string, message: string, details: Record<string, unknown> = {}): NNError {
  return new NNError(ErrorCode.ShapeMismatch, `${where}: ${message}`, { where, ...details });
}

/** A value as this package's messages show it: a plain object by its keys only (a batch may hold tensors). */
export const show = (v: unknown): string => {
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (typeof v === 'object' && v !== null && (v.constructor === Object || !v.constructor?.name)) return `{ ${Object.keys(v).join(', ')} }`;
  return showValue(v);
};

export const fmtShape = (shape: readonly number[]): string => `[${shape.join(',')}]`;

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Rejects unknown option names, so a typo (`{ degree: 10 }`) fails loudly instead of using a default. A name
 * whose value is undefined passes: transforms forward their options bags to one another whole.
 */
export const checkOptions = (where: string, options: unknown, known: readonly string[]): Record<string, unknown> =>
  checkOptionsIn(where, options, known, { ignoreUndefined: true }) as Record<string, unknown>;

/**
 * A `[min, max]` range from a number `x` (read as `symmetric(x)`, e.g. `[-x, x]`) or a pair. A reversed
 * pair is an error rather than silently swapped: it usually means the user meant something else.
 */
export function range(
  where: string,
  name: string,
  v: unknown,
  symmetric: (x: number) => [number, number],
  bounds: { min?: number; max?: number; single?: 'nonNegative' } = {},
): [number, number] {
  let r: [number, number];
  if (isNumber(v)) {
    if (bounds.single === 'nonNegative' && v < 0) throw invalid(where, `${name} must be non-negative when a single number, got ${v}`, { option: name, value: v });
    r = symmetric(v);
  } else if (Array.isArray(v) && v.length === 2 && isNumber(v[0]) && isNumber(v[1])) {
    if (v[0] > v[1]) throw invalid(where, `${name} range is reversed: ${show(v)}; expected [min, max] with min <= max`, { option: name, value: v });
    r = [v[0], v[1]];
  } else {
    throw invalid(where, `${name} must be a number or a [min, max] pair of numbers, got ${show(v)}`, { option: name, value: v });
  }
  if ((bounds.min !== undefined && r[0] < bounds.min) || (bounds.max !== undefined && r[1] > bounds.max)) {
    throw invalid(where, `${name} must lie within [${bounds.min ?? '-inf'}, ${bounds.max ?? 'inf'}], got ${show(r)}`, { option: name, value: v });
  }
  return r;
}

/** A `[height, width]` size from a number or a pair of positive integers. */
export function size2(where: string, name: string, v: unknown): [number, number] {
  if (isNumber(v)) return [positiveInteger(where, name, v), v];
  if (Array.isArray(v) && v.length === 2) return [positiveInteger(where, `${name}[0]`, v[0]), positiveInteger(where, `${name}[1]`, v[1])];
  throw invalid(where, `${name} must be a positive integer or a [height, width] pair, got ${show(v)}`, { option: name, value: v });
}

/** A fill value: one number for every channel, or one per channel. */
export function fillValue(where: string, name: string, v: unknown): number | number[] {
  if (isNumber(v)) return v;
  if (Array.isArray(v) && v.length > 0 && v.every(isNumber)) return [...v];
  throw invalid(where, `${name} must be a number or an array of numbers (one per channel), got ${show(v)}`, { option: name, value: v });
}

/** Expands a fill value to `c` channels; a per-channel array must have exactly `c` entries. */
export function fillFor(where: string, name: string, v: number | number[], c: number): Float32Array {
  if (typeof v === 'number') return new Float32Array(c).fill(v);
  if (v.length !== c) throw shapeError(where, `${name} has ${v.length} values but the image has ${c} channel(s)`, { option: name });
  return Float32Array.from(v);
}
