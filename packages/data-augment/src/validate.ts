import { ErrorCode, NNError, nearMisses } from '@nn/core';

/** An invalid option: INVALID_ARGUMENT, the message naming the transform and the option. */
export function invalid(where: string, message: string, details: Record<string, unknown> = {}): NNError {
  return new NNError(ErrorCode.InvalidArgument, `${where}: ${message}`, { where, ...details });
}

/** Input that does not fit (rank, layout, sizes): SHAPE_MISMATCH, naming the transform. */
export function shapeError(where: string, message: string, details: Record<string, unknown> = {}): NNError {
  return new NNError(ErrorCode.ShapeMismatch, `${where}: ${message}`, { where, ...details });
}

export const show = (v: unknown): string => {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (typeof v === 'object' && v !== null) {
    if (v.constructor?.name && v.constructor !== Object) return `a ${v.constructor.name}`;
    // keys only: a batch object may hold tensors, whose contents have no place in an error message
    return `{ ${Object.keys(v).join(', ')} }`;
  }
  return String(v);
};

export const fmtShape = (shape: readonly number[]): string => `[${shape.join(',')}]`;

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Rejects unknown option names, so a typo (`{ degree: 10 }`) fails loudly instead of using a default. */
export function checkOptions(where: string, options: unknown, known: readonly string[]): Record<string, unknown> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalid(where, `expected an options object { ${known.join(', ')} }, got ${show(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (known.includes(key) || (options as Record<string, unknown>)[key] === undefined) continue;
    const near = nearMisses(key, known);
    throw invalid(where, `unknown option "${key}"${near.length ? `; did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : ''} (options: ${known.join(', ')})`, {
      option: key,
      nearMisses: near,
    });
  }
  return options as Record<string, unknown>;
}

export function probability(where: string, name: string, v: unknown): number {
  if (!isNumber(v) || v < 0 || v > 1) throw invalid(where, `${name} must be a probability in [0, 1], got ${show(v)}`, { option: name, value: v });
  return v;
}

export function finite(where: string, name: string, v: unknown): number {
  if (!isNumber(v)) throw invalid(where, `${name} must be a finite number, got ${show(v)}`, { option: name, value: v });
  return v;
}

export function nonNegative(where: string, name: string, v: unknown): number {
  if (!isNumber(v) || v < 0) throw invalid(where, `${name} must be a non-negative number, got ${show(v)}`, { option: name, value: v });
  return v;
}

export function positive(where: string, name: string, v: unknown): number {
  if (!isNumber(v) || v <= 0) throw invalid(where, `${name} must be a positive number, got ${show(v)}`, { option: name, value: v });
  return v;
}

export function positiveInteger(where: string, name: string, v: unknown): number {
  if (!isNumber(v) || !Number.isInteger(v) || v < 1) throw invalid(where, `${name} must be a positive integer, got ${show(v)}`, { option: name, value: v });
  return v;
}

export function nonNegativeInteger(where: string, name: string, v: unknown): number {
  if (!isNumber(v) || !Number.isInteger(v) || v < 0) throw invalid(where, `${name} must be a non-negative integer, got ${show(v)}`, { option: name, value: v });
  return v;
}

export function oneOfValues<T extends string>(where: string, name: string, v: unknown, values: readonly T[]): T {
  if (typeof v !== 'string' || !values.includes(v as T)) {
    throw invalid(where, `${name} must be one of ${values.map((x) => `'${x}'`).join(', ')}, got ${show(v)}`, { option: name, value: v });
  }
  return v as T;
}

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
