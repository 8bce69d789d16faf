import { checkOptions, ErrorCode, NNError } from '@nn/core';
import type { Distribution, ParamValue } from './types.js';

const fail = (message: string, details: Record<string, unknown> = {}): never => {
  throw new NNError(ErrorCode.InvalidArgument, message, details);
};

const isChoice = (v: unknown): v is ParamValue => v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && !Number.isNaN(v));

/** Aligns `high` down onto the step grid from `low` (as Optuna does), tolerating float round-off. */
function alignHigh(low: number, high: number, step: number): number {
  const n = Math.floor((high - low) / step + 1e-9);
  const aligned = low + n * step;
  return Math.abs(aligned - high) < 1e-9 * Math.max(1, Math.abs(high)) ? high : Number(aligned.toPrecision(15));
}

/**
 * A validated float range. `where` names the call in errors (`suggestFloat("lr")`). A `step` that does not
 * divide `high - low` moves `high` down to the last point of the step grid, as in Optuna.
 */
export function floatDistribution(low: number, high: number, options: { log?: boolean; step?: number | null } = {}, where = 'floatDistribution'): Distribution {
  checkOptions(where, options, ['log', 'step']);
  const log = options.log ?? false;
  const step = options.step ?? null;
  if (typeof low !== 'number' || !Number.isFinite(low)) fail(`${where}: low must be a finite number, got ${String(low)}`, { low });
  if (typeof high !== 'number' || !Number.isFinite(high)) fail(`${where}: high must be a finite number, got ${String(high)}`, { high });
  if (low > high) fail(`${where}: low (${low}) must not be greater than high (${high})`, { low, high });
  if (typeof log !== 'boolean') fail(`${where}: log must be a boolean, got ${String(log)}`, { log });
  if (step !== null) {
    if (typeof step !== 'number' || !Number.isFinite(step) || step <= 0) fail(`${where}: step must be a positive number, got ${String(step)}`, { step });
    if (log) fail(`${where}: step and log cannot be used together`, { step, log });
  }
  if (log && low <= 0) fail(`${where}: low must be > 0 when log is true, got ${low}`, { low, log });
  return { type: 'float', low, high: step === null ? high : alignHigh(low, high, step), log, step };
}

/** A validated integer range; `step` defaults to 1 and cannot exceed 1 on a log scale. */
export function intDistribution(low: number, high: number, options: { log?: boolean; step?: number } = {}, where = 'intDistribution'): Distribution {
  checkOptions(where, options, ['log', 'step']);
  const log = options.log ?? false;
  const step = options.step ?? 1;
  if (!Number.isInteger(low)) fail(`${where}: low must be an integer, got ${String(low)}`, { low });
  if (!Number.isInteger(high)) fail(`${where}: high must be an integer, got ${String(high)}`, { high });
  if (low > high) fail(`${where}: low (${low}) must not be greater than high (${high})`, { low, high });
  if (typeof log !== 'boolean') fail(`${where}: log must be a boolean, got ${String(log)}`, { log });
  if (!Number.isInteger(step) || step < 1) fail(`${where}: step must be a positive integer, got ${String(step)}`, { step });
  if (log && step !== 1) fail(`${where}: step must be 1 when log is true, got ${step}`, { step, log });
  if (log && low < 1) fail(`${where}: low must be >= 1 when log is true, got ${low}`, { low, log });
  return { type: 'int', low, high: low + Math.floor((high - low) / step) * step, log, step };
}

/** A validated categorical: a non-empty list of distinct numbers, strings, booleans or null. */
export function categoricalDistribution(choices: readonly ParamValue[], where = 'categoricalDistribution'): Distribution {
  if (!Array.isArray(choices) || choices.length === 0) fail(`${where}: choices must be a non-empty array`, { choices });
  choices.forEach((c, i) => {
    if (!isChoice(c)) fail(`${where}: choices[${i}] must be a number, string, boolean or null, got ${typeof c === 'number' ? c : typeof c}`, { index: i });
  });
  if (new Set(choices).size !== choices.length) fail(`${where}: choices must be distinct`, { choices });
  return { type: 'categorical', choices: [...choices] };
}

/** Checks a distribution that came from elsewhere (a config, a storage row, a third-party sampler). */
export function validateDistribution(d: Distribution, where = 'distribution'): Distribution {
  if (typeof d !== 'object' || d === null) return fail(`${where}: not a distribution: ${String(d)}`);
  switch (d.type) {
    case 'float':
      return floatDistribution(d.low, d.high, { log: d.log, step: d.step }, where);
    case 'int':
      return intDistribution(d.low, d.high, { log: d.log, step: d.step }, where);
    case 'categorical':
      return categoricalDistribution(d.choices, where);
    default:
      return fail(`${where}: unknown distribution type ${String((d as { type: unknown }).type)} (expected float, int or categorical)`);
  }
}

/** Whether the two describe the same range (so a re-suggest with it may reuse the value). */
export function distributionsEqual(a: Distribution, b: Distribution): boolean {
  if (a.type !== b.type) return false;
  if (a.type === 'categorical') {
    const bc = (b as typeof a).choices;
    return a.choices.length === bc.length && a.choices.every((c, i) => c === bc[i]);
  }
  const bn = b as typeof a;
  return a.low === bn.low && a.high === bn.high && a.log === bn.log && a.step === bn.step;
}

/**
 * Whether a parameter may change from `previous` to `next` across trials: ranges may move (define-by-run),
 * but the type may not, and a categorical's choices may not.
 */
export function compatibilityError(name: string, previous: Distribution, next: Distribution): string | null {
  if (previous.type !== next.type) return `parameter "${name}" was suggested as ${previous.type} before and as ${next.type} now; a parameter keeps its type within a study`;
  if (previous.type === 'categorical' && !distributionsEqual(previous, next)) {
    return `parameter "${name}" was suggested with choices ${JSON.stringify(previous.choices)} before and ${JSON.stringify((next as typeof previous).choices)} now; a categorical keeps its choices within a study`;
  }
  return null;
}

/** Whether `value` is a point of `d` (on the step grid, inside the bounds, one of the choices). */
export function contains(d: Distribution, value: ParamValue): boolean {
  if (d.type === 'categorical') return d.choices.includes(value);
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (value < d.low || value > d.high) return false;
  if (d.type === 'int' && !Number.isInteger(value)) return false;
  if (d.step !== null) {
    const k = (value - d.low) / d.step;
    return Math.abs(k - Math.round(k)) < 1e-8;
  }
  return true;
}

/** A distribution with a single possible value: samplers need not model it. */
export function isSingle(d: Distribution): boolean {
  return d.type === 'categorical' ? d.choices.length === 1 : d.low === d.high;
}

/** The transform of a numeric axis: log for log ranges, identity otherwise. */
const tf = (d: Distribution & { log: boolean }) => (x: number) => (d.log ? Math.log(x) : x);

/** The padded bounds of a numeric distribution in transformed space: integer/step ranges get half a step on each side. */
export function internalBounds(d: Distribution): [number, number] {
  if (d.type === 'categorical') return [0, d.choices.length - 1];
  const t = tf(d);
  if (d.type === 'int' || d.step !== null) {
    const half = (d.step ?? 1) / 2;
    return d.log ? [t(d.low - 0.5), t(d.high + 0.5)] : [d.low - half, d.high + half];
  }
  return [t(d.low), t(d.high)];
}

/**
 * The internal representation samplers model (Optuna's GP conventions). Numeric: a number in [0, 1]: log
 * ranges are log-transformed first, integer and step ranges are padded by half a step on each side (so each
 * value owns an equal slice), a single-point range maps to 0.5. Categorical: the index of the choice
 * (an integer, for a Hamming kernel or a categorical likelihood), not a [0, 1] number.
 */
export function toInternal(d: Distribution, value: ParamValue): number {
  if (d.type === 'categorical') {
    const i = d.choices.indexOf(value);
    if (i < 0) fail(`toInternal: ${JSON.stringify(value)} is not one of the choices ${JSON.stringify(d.choices)}`);
    return i;
  }
  if (typeof value !== 'number') return fail(`toInternal: expected a number for a ${d.type} distribution, got ${JSON.stringify(value)}`);
  const [lo, hi] = internalBounds(d);
  if (hi === lo) return 0.5;
  return (tf(d)(value) - lo) / (hi - lo);
}

/**
 * The inverse of {@link toInternal}: a number in [0, 1] (clamped) back to a point of `d`, rounded onto its
 * integer/step grid; for a categorical, an index (rounded and clamped) to its choice.
 */
export function fromInternal(d: Distribution, x: number): ParamValue {
  if (d.type === 'categorical') return d.choices[Math.min(d.choices.length - 1, Math.max(0, Math.round(x)))];
  if (d.low === d.high) return d.low;
  const u = Math.min(1, Math.max(0, x));
  const [lo, hi] = internalBounds(d);
  const t = lo + u * (hi - lo);
  let v = d.log ? Math.exp(t) : t;
  if (d.type === 'int' || d.step !== null) {
    const step = d.step ?? 1;
    v = d.low + Math.round((v - d.low) / step) * step;
    if (d.type === 'float') v = Number(v.toPrecision(15));
  }
  return Math.min(d.high, Math.max(d.low, v));
}

/**
 * `n` grid points over `d`: evenly spaced on a log scale for log ranges (the course's advice for learning
 * rates), rounded onto the integer/step grid and deduplicated. Without `n`: every value of an int, step or
 * categorical range; 5 points for a continuous range.
 */
export function gridValues(d: Distribution, n?: number): ParamValue[] {
  if (n !== undefined && (!Number.isInteger(n) || n < 1)) fail(`gridValues: n must be a positive integer, got ${String(n)}`, { n });
  if (d.type === 'categorical') return [...d.choices];
  const discrete = d.type === 'int' || d.step !== null;
  if (n === undefined && discrete) {
    const step = d.step ?? 1;
    const count = Math.round((d.high - d.low) / step) + 1;
    return Array.from({ length: count }, (_, i) => (d.type === 'int' ? d.low + i * step : Number((d.low + i * step).toPrecision(15))));
  }
  const points = n ?? 5;
  if (points === 1 || d.low === d.high) return [d.low];
  const t = tf(d);
  const a = t(d.low);
  const b = t(d.high);
  const out: number[] = [];
  for (let i = 0; i < points; i++) {
    const x = a + ((b - a) * i) / (points - 1);
    let v = d.log ? Math.exp(x) : x;
    if (discrete) {
      const step = d.step ?? 1;
      v = d.low + Math.round((v - d.low) / step) * step;
    }
    v = Math.min(d.high, Math.max(d.low, Number(v.toPrecision(12))));
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

/** A short human description, for error messages and plots. */
export function describeDistribution(d: Distribution): string {
  if (d.type === 'categorical') return `categorical ${JSON.stringify(d.choices)}`;
  const extras = [d.log ? 'log' : '', d.step !== null && !(d.type === 'int' && d.step === 1) ? `step ${d.step}` : ''].filter(Boolean);
  return `${d.type} [${d.low}, ${d.high}]${extras.length ? ` (${extras.join(', ')})` : ''}`;
}
