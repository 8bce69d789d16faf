import { invalidArgument as invalid, showValue as show } from '@nn/core';
import { isSchedule, type Schedule } from './schedule.js';

// Option checks shared with the other packages live in @nn/core; this module adds the schedule-specific ones.
export {
  invalidArgument as invalid,
  checkOptions,
  nonNegative,
  positive,
  positiveInteger,
  nonNegativeInteger,
  inRange,
  bool,
  oneOfChoices as oneOf,
} from '@nn/core';

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

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
