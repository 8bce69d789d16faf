import { ErrorCode, NNError, nearMisses } from '@nn/core';
import { isSchedule, type Schedule } from './schedule.js';

/** The package's one kind of error: INVALID_ARGUMENT, naming the schedule and the option. */
export function invalid(where: string, message: string, details: Record<string, unknown> = {}): NNError {
  return new NNError(ErrorCode.InvalidArgument, `${where}: ${message}`, { where, ...details });
}

/** A value as an error message shows it: short, and never throwing (circular objects, class instances). */
function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return clip(`[${v.map(show).join(', ')}]`);
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

const clip = (s: string) => (s.length > 80 ? `${s.slice(0, 77)}...` : s);

/**
 * Checks that `options` is a plain object holding only `known` names, so a typo such as `{ gama: 0.5 }`
 * fails loudly instead of silently falling back to the default gamma.
 */
export function checkOptions<T>(where: string, options: T, known: readonly string[], required: readonly string[] = [], noun = 'option'): T {
  const proto = typeof options === 'object' && options !== null ? Object.getPrototypeOf(options) : undefined;
  // Plain objects only (by constructor name, so one from another realm passes): a Map's entries are not options.
  if (proto === undefined || (proto !== null && proto.constructor?.name !== 'Object')) {
    throw invalid(where, `expected an object of ${noun}s { ${known.join(', ')} }, got ${show(options)}`);
  }
  for (const key of Object.keys(options as object)) {
    if (known.includes(key)) continue;
    const near = nearMisses(key, known);
    throw invalid(
      where,
      `unknown ${noun} "${key}"${near.length ? `; did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : ''} (${noun}s: ${known.join(', ')})`,
      { option: key, nearMisses: near },
    );
  }
  for (const key of required) {
    if ((options as Record<string, unknown>)[key] === undefined) throw invalid(where, `${noun} ${key} is required`, { option: key });
  }
  return options;
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A finite number >= 0 (a learning rate may be 0, never negative). */
export function nonNegative(where: string, name: string, v: unknown): number {
  if (!isNumber(v) || v < 0) throw invalid(where, `${name} must be a non-negative number, got ${show(v)}`, { option: name, value: v });
  return v;
}

/** A finite number > 0. */
export function positive(where: string, name: string, v: unknown): number {
  if (!isNumber(v) || v <= 0) throw invalid(where, `${name} must be a positive number, got ${show(v)}`, { option: name, value: v });
  return v;
}

/** An integer >= 1. */
export function positiveInteger(where: string, name: string, v: unknown): number {
  if (!isNumber(v) || !Number.isInteger(v) || v < 1) throw invalid(where, `${name} must be a positive integer, got ${show(v)}`, { option: name, value: v });
  return v;
}

/** A finite number in [lo, hi] (bounds given as they should read in the message). */
export function inRange(where: string, name: string, v: unknown, lo: number, hi: number, loOpen = false, hiOpen = false): number {
  const ok = isNumber(v) && (loOpen ? v > lo : v >= lo) && (hiOpen ? v < hi : v <= hi);
  if (!ok) throw invalid(where, `${name} must be a number in ${loOpen ? '(' : '['}${lo}, ${hi}${hiOpen ? ')' : ']'}, got ${show(v)}`, { option: name, value: v });
  return v as number;
}

/** A boolean. */
export function bool(where: string, name: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw invalid(where, `${name} must be true or false, got ${show(v)}`, { option: name, value: v });
  return v;
}

/** One of a fixed set of strings; a near miss is suggested. */
export function oneOf<T extends string>(where: string, name: string, v: unknown, choices: readonly T[]): T {
  if (typeof v === 'string' && (choices as readonly string[]).includes(v)) return v as T;
  const near = typeof v === 'string' ? nearMisses(v, choices) : [];
  throw invalid(
    where,
    `unknown ${name} ${show(v)}${near.length ? `; did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : ''} (expected ${choices.map((c) => `"${c}"`).join(', ')})`,
    { option: name, value: v },
  );
}

/** Strictly increasing positive integers — milestones and boundaries, where a repeat or a 0 is a bug. */
export function increasingSteps(where: string, name: string, v: unknown, allowEmpty = true): number[] {
  if (!Array.isArray(v) || (!allowEmpty && v.length === 0)) {
    throw invalid(where, `${name} must be ${allowEmpty ? 'an' : 'a non-empty'} array of increasing positive integers, got ${show(v)}`, { option: name, value: v });
  }
  v.forEach((m, i) => {
    if (!isNumber(m) || !Number.isInteger(m) || m < 1) throw invalid(where, `${name}[${i}] must be a positive integer, got ${show(m)}`, { option: name, value: v });
    if (i > 0 && m <= v[i - 1]) throw invalid(where, `${name} must be strictly increasing, got ${show(v)} (${name}[${i}] = ${m} <= ${v[i - 1]})`, { option: name, value: v });
  });
  return [...v];
}

/** A schedule object (anything with `lrAt`). */
export function schedule(where: string, name: string, v: unknown): Schedule {
  if (!isSchedule(v)) throw invalid(where, `${name} must be a schedule (an object with lrAt(step)), got ${show(v)}`, { option: name });
  return v;
}

/** Steps are counts of optimizer steps: finite and >= 0 (fractions are allowed, e.g. epoch + i/iters). */
export function checkStep(where: string, step: number): void {
  if (!isNumber(step) || step < 0) throw invalid(where, `step must be a non-negative number, got ${show(step)}`, { step });
}

/** An integer >= 0 (patience, cooldown). */
export function nonNegativeInteger(where: string, name: string, v: unknown): number {
  if (!isNumber(v) || !Number.isInteger(v) || v < 0) throw invalid(where, `${name} must be a non-negative integer, got ${show(v)}`, { option: name, value: v });
  return v;
}
