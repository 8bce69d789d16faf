import type { FrozenTrial } from '../types.js';

/** The parameter names of the trials, in first-seen order. */
export function paramColumns(trials: FrozenTrial[]): string[] {
  const seen = new Set<string>();
  for (const t of trials) for (const p of Object.keys(t.params)) seen.add(p);
  return [...seen];
}

const showValue = (v: unknown): string => (v === undefined ? '' : typeof v === 'number' ? String(Number(v.toPrecision(6))) : JSON.stringify(v));
const seconds = (t: FrozenTrial): string => (t.datetimeStart !== null && t.datetimeComplete !== null ? ((t.datetimeComplete - t.datetimeStart) / 1000).toFixed(2) : '');

/** The rows of the trial table: header first; values, duration in seconds, then one column per parameter. */
export function trialRows(trials: FrozenTrial[]): string[][] {
  const params = paramColumns(trials);
  const header = ['number', 'state', 'value', 'seconds', ...params];
  return [header, ...trials.map((t) => [String(t.number), t.state, t.values ? t.values.map(showValue).join(', ') : '', seconds(t), ...params.map((p) => showValue(t.params[p]))])];
}

/** An aligned plain-text table (numbers right-aligned). */
export function formatTrialsTable(trials: FrozenTrial[]): string {
  const rows = trialRows(trials);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const numeric = rows[0].map((_, c) => rows.slice(1).every((r) => r[c] === '' || !Number.isNaN(Number(r[c]))));
  return rows.map((r) => r.map((cell, c) => (numeric[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd()).join('\n') + '\n';
}

/** RFC 4180 CSV. */
export function formatTrialsCsv(trials: FrozenTrial[]): string {
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return trialRows(trials).map((r) => r.map(quote).join(',')).join('\n') + '\n';
}

/** Trials as JSON-safe objects: non-finite numbers become strings ("NaN", "Infinity"). */
export function trialsJson(trials: FrozenTrial[]): unknown {
  return JSON.parse(JSON.stringify(trials, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)));
}
