import { ErrorCode, NNError } from './errors.js';
import { nearMisses } from './near.js';

/**
 * Option validation shared by every package: one wording for "unknown option" (with near misses) and for
 * the usual number checks, so a typo or a bad value reads the same whichever package catches it. Every
 * error is an `NNError` with code `INVALID_ARGUMENT`, its message starting with `where` (the function or
 * class the user called), its `details` naming `where`, the `option` and the `value`.
 */

/** A validator: checks `value` (the option `name` given to `where`) and returns it, typed. */
export type OptionCheck<T> = (where: string, name: string, value: unknown) => T;

/** An INVALID_ARGUMENT error whose message reads `${where}: ${message}`. */
export function invalidArgument(where: string, message: string, details: Record<string, unknown> = {}): NNError {
  return new NNError(ErrorCode.InvalidArgument, `${where}: ${message}`, { where, ...details });
}

const clip = (s: string): string => (s.length > 80 ? `${s.slice(0, 77)}...` : s);

/**
 * A value as an error message shows it: short (clipped at 80 characters), and never throwing. Strings are
 * quoted, class instances named (`a Map`), plain objects written as JSON (`an object` when they cannot be).
 */
export function showValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return clip(`[${v.map(showValue).join(', ')}]`);
  if (typeof v === 'object' && v !== null) {
    if (v.constructor && v.constructor !== Object) return `a ${v.constructor.name || 'class instance'}`;
    try {
      return clip(JSON.stringify(v));
    } catch {
      return 'an object';
    }
  }
  return String(v);
}

/** `; did you mean "a" or "b"?`, or nothing when there is no plausible near miss. */
const didYouMean = (near: readonly string[]): string => (near.length ? `; did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : '');

/** A plain object (any realm, or no prototype): a Map, an array or a class instance is not an options bag. */
function isPlainObject(v: unknown): v is object {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === null || proto.constructor?.name === 'Object';
}

export interface CheckOptionsSettings {
  /** Names that must be present (not undefined). */
  required?: readonly string[];
  /** What the names are called in messages: 'option' (the default), 'field'… */
  noun?: string;
  /** Let an unknown name through when its value is undefined (an options bag forwarded whole). */
  ignoreUndefined?: boolean;
}

/**
 * Checks that `options` is a plain object holding only `known` names, so a typo such as `{ gama: 0.5 }`
 * fails loudly instead of silently falling back to a default. An unknown name is reported with its near
 * misses; a Keras/PyTorch snake_case name (`weight_decay`) is pointed to its camelCase form. `undefined`
 * reads as no options: the result is `{}`.
 */
export function checkOptions<T>(where: string, options: T, known: readonly string[], settings: CheckOptionsSettings = {}): NonNullable<T> {
  const { required = [], noun = 'option', ignoreUndefined = false } = settings;
  if (options === undefined) {
    const missing = required[0];
    if (missing !== undefined) throw invalidArgument(where, `${noun} ${missing} is required`, { option: missing });
    return {} as NonNullable<T>;
  }
  if (!isPlainObject(options)) {
    throw invalidArgument(where, `expected an object of ${noun}s { ${known.join(', ')} }, got ${showValue(options)}`, { value: options });
  }
  const record = options as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (known.includes(key) || (ignoreUndefined && record[key] === undefined)) continue;
    const camel = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    const near = camel !== key && known.includes(camel) ? [camel] : nearMisses(key, known);
    throw invalidArgument(where, `unknown ${noun} "${key}"${didYouMean(near)} (${known.length ? `${noun}s: ${known.join(', ')}` : `it takes no ${noun}s`})`, {
      option: key,
      nearMisses: near,
    });
  }
  for (const key of required) {
    if (record[key] === undefined) throw invalidArgument(where, `${noun} ${key} is required`, { option: key });
  }
  return options as NonNullable<T>;
}

/** The error for a bad option value: `${where}: ${name} ${expected}, got ${value}`. */
export function optionError(where: string, name: string, expected: string, value: unknown): NNError {
  return invalidArgument(where, `${name} ${expected}, got ${showValue(value)}`, { option: name, value });
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A finite number. */
export function finite(where: string, name: string, v: unknown): number {
  if (!isNumber(v)) throw optionError(where, name, 'must be a finite number', v);
  return v;
}

/** A finite number >= 0. */
export function nonNegative(where: string, name: string, v: unknown): number {
  if (!isNumber(v) || v < 0) throw optionError(where, name, 'must be a non-negative number', v);
  return v;
}

/** A finite number > 0. */
export function positive(where: string, name: string, v: unknown): number {
  if (!isNumber(v) || v <= 0) throw optionError(where, name, 'must be a positive number', v);
  return v;
}

/** An integer >= `min`; read as "a positive integer" for 1 and "a non-negative integer" for 0. */
export function integerAtLeast(where: string, name: string, v: unknown, min: number): number {
  if (!isNumber(v) || !Number.isInteger(v) || v < min) {
    throw optionError(where, name, `must be ${min === 1 ? 'a positive integer' : min === 0 ? 'a non-negative integer' : `an integer >= ${min}`}`, v);
  }
  return v;
}

/** An integer >= 1. */
export const positiveInteger = (where: string, name: string, v: unknown): number => integerAtLeast(where, name, v, 1);

/** An integer >= 0. */
export const nonNegativeInteger = (where: string, name: string, v: unknown): number => integerAtLeast(where, name, v, 0);

/** A finite number in [lo, hi]; `loOpen`/`hiOpen` exclude a bound, and the message writes it `(` or `)`. */
export function inRange(where: string, name: string, v: unknown, lo: number, hi: number, loOpen = false, hiOpen = false): number {
  const ok = isNumber(v) && (loOpen ? v > lo : v >= lo) && (hiOpen ? v < hi : v <= hi);
  if (!ok) throw optionError(where, name, `must be a number in ${loOpen ? '(' : '['}${lo}, ${hi}${hiOpen ? ')' : ']'}`, v);
  return v as number;
}

/** A probability: a number in [0, 1]. */
export function probability(where: string, name: string, v: unknown): number {
  if (!isNumber(v) || v < 0 || v > 1) throw optionError(where, name, 'must be a probability in [0, 1]', v);
  return v;
}

/** true or false (not 0/1, not 'true'). */
export function bool(where: string, name: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw optionError(where, name, 'must be true or false', v);
  return v;
}

/** One of a fixed set of strings; a near miss is suggested. */
export function oneOfChoices<T extends string>(where: string, name: string, v: unknown, choices: readonly T[]): T {
  if (typeof v === 'string' && (choices as readonly string[]).includes(v)) return v as T;
  const near = typeof v === 'string' ? nearMisses(v, choices) : [];
  throw invalidArgument(where, `unknown ${name} ${showValue(v)}${didYouMean(near)} (expected ${choices.map((c) => `"${c}"`).join(', ')})`, { option: name, value: v, nearMisses: near });
}
