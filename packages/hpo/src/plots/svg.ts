import { ErrorCode, NNError, escapeXml, niceTicks, roundPx } from '@nn/core';

// The SVG primitives are @nn/core's (shared with @nn/schedule and @nn/layers' charts); hpo's own axes follow.
export { escapeXml as esc, niceTicks, roundPx as r };
const esc = escapeXml;
const r = roundPx;
import type { Distribution, FrozenTrial, StudyView } from '../types.js';

/** Options every plot takes. */
export interface PlotOptions {
  width?: number;
  height?: number;
  title?: string;
  /** What to plot for each complete trial; required for multi-objective studies. Default: its value. */
  target?: (trial: FrozenTrial) => number;
  /** The target's axis label. Default 'Objective value'. */
  targetName?: string;
}

export const PALETTE = { point: '#1f77b4', best: '#d62728', axis: '#333', grid: '#e5e5e5', text: '#222', muted: '#888', bar: '#1f77b4' };

/** A number short enough for a tick label. */
export function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(1).replace('e+', 'e').replace('.0e', 'e');
  return String(Number(v.toPrecision(3)));
}

export interface Scale {
  (v: number): number;
  ticks: number[];
  log: boolean;
}

/** Maps [lo, hi] onto [a, b], linearly or on a log scale, with "nice" ticks. */
export function scale(lo: number, hi: number, a: number, b: number, log = false): Scale {
  if (log && lo > 0) {
    const l0 = Math.log10(lo);
    const l1 = Math.log10(hi);
    const span = l1 - l0 || 1;
    const f = ((v: number) => a + ((Math.log10(v) - l0) / span) * (b - a)) as Scale;
    const ticks: number[] = [];
    for (let e = Math.ceil(l0 - 1e-9); e <= Math.floor(l1 + 1e-9); e++) ticks.push(10 ** e);
    f.ticks = ticks.length >= 2 ? ticks : [lo, hi];
    f.log = true;
    return f;
  }
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const f = ((v: number) => a + ((v - lo) / (hi - lo)) * (b - a)) as Scale;
  f.ticks = niceTicks(lo, hi, 5);
  f.log = false;
  return f;
}

/** The bounds of `values`, padded by 5% so points do not sit on the frame. */
export function extent(values: number[], log = false): [number, number] {
  const finite = values.filter((v) => Number.isFinite(v) && (!log || v > 0));
  if (finite.length === 0) return log ? [1, 10] : [0, 1];
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (log) return [lo / 1.2, hi * 1.2];
  const pad = (hi - lo) * 0.05 || Math.abs(lo) * 0.05 || 0.5;
  lo -= pad;
  hi += pad;
  return [lo, hi];
}

/** A whole SVG document. */
export function svg(width: number, height: number, title: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="11">`,
    `<title>${esc(title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${width / 2}" y="18" text-anchor="middle" font-size="14" fill="${PALETTE.text}">${esc(title)}</text>`,
    ...body,
    '</svg>',
  ].join('\n');
}

export const text = (x: number, y: number, s: string, attrs = '') =>
  `<text x="${r(x)}" y="${r(y)}"${/\bfill=/.test(attrs) ? '' : ` fill="${PALETTE.text}"`} ${attrs}>${esc(s)}</text>`;
export const line = (x1: number, y1: number, x2: number, y2: number, stroke: string, attrs = '') => `<line x1="${r(x1)}" y1="${r(y1)}" x2="${r(x2)}" y2="${r(y2)}" stroke="${stroke}" ${attrs}/>`;

/** An x axis at `y` from x0 to x1 with ticks and a label (numbers, or category labels). */
export function xAxis(sx: Scale, y: number, x0: number, x1: number, label: string, categories?: readonly unknown[]): string[] {
  const out = [line(x0, y, x1, y, PALETTE.axis)];
  const ticks = categories ? categories.map((_, i) => i) : sx.ticks;
  for (const t of ticks) {
    const x = sx(t);
    if (x < x0 - 0.5 || x > x1 + 0.5) continue;
    out.push(line(x, y, x, y + 4, PALETTE.axis), text(x, y + 15, categories ? String(categories[t]) : fmt(t), 'text-anchor="middle"'));
  }
  out.push(text((x0 + x1) / 2, y + 30, label, 'text-anchor="middle"'));
  return out;
}

/** A y axis at `x` from y0 (bottom) to y1 (top) with ticks, grid lines across to `gridTo`, and a label. */
export function yAxis(sy: Scale, x: number, y0: number, y1: number, label: string, gridTo?: number): string[] {
  const out = [line(x, y0, x, y1, PALETTE.axis)];
  for (const t of sy.ticks) {
    const y = sy(t);
    if (y > y0 + 0.5 || y < y1 - 0.5) continue;
    if (gridTo !== undefined) out.push(line(x, y, gridTo, y, PALETTE.grid));
    out.push(line(x - 4, y, x, y, PALETTE.axis), text(x - 6, y + 4, fmt(t), 'text-anchor="end"'));
  }
  out.push(text(x - 42, (y0 + y1) / 2, label, `text-anchor="middle" transform="rotate(-90 ${r(x - 42)} ${r((y0 + y1) / 2)})"`));
  return out;
}

/** Interpolates light to dark blue for t in [0, 1] (1 = best). */
export function shade(t: number): string {
  const c = (a: number, b: number) => Math.round(a + (b - a) * Math.min(1, Math.max(0, t)));
  return `rgb(${c(198, 8)},${c(219, 48)},${c(239, 107)})`;
}

/** The complete trials and their target values; throws for multi-objective studies without `target`. */
export function targetValues(study: Pick<StudyView, 'getTrials' | 'directions'>, options: PlotOptions, where: string): { trials: FrozenTrial[]; values: number[] } {
  if (options.target !== undefined && typeof options.target !== 'function') throw new NNError(ErrorCode.InvalidArgument, `${where}: target must be a function (trial) => number`);
  if (!options.target && study.directions.length > 1) {
    throw new NNError(ErrorCode.InvalidArgument, `${where}: the study has ${study.directions.length} objectives; pass target: (trial) => trial.values[i] to choose one`);
  }
  const trials = study.getTrials(['complete']);
  const values = trials.map((t) => (options.target ? options.target(t) : t.values![0]));
  return { trials, values };
}

/** The parameters to plot: those asked for (checked), or every parameter seen in complete trials. */
export function paramNames(trials: FrozenTrial[], asked: string[] | undefined, where: string): string[] {
  const seen = new Set<string>();
  for (const t of trials) for (const p of Object.keys(t.params)) seen.add(p);
  if (asked === undefined) return [...seen].sort();
  if (!Array.isArray(asked)) throw new NNError(ErrorCode.InvalidArgument, `${where}: params must be an array of parameter names`);
  for (const p of asked) {
    if (!seen.has(p)) throw new NNError(ErrorCode.InvalidArgument, `${where}: no complete trial has parameter "${p}" (parameters: ${[...seen].sort().join(', ') || 'none'})`, { param: p });
  }
  return asked;
}

/** The distribution of a parameter as last seen (for its scale and categories). */
export function distributionOf(trials: FrozenTrial[], name: string): Distribution | undefined {
  for (let i = trials.length - 1; i >= 0; i--) if (trials[i].distributions[name]) return trials[i].distributions[name];
  return undefined;
}

export function size(options: PlotOptions, where: string, width: number, height: number): { width: number; height: number } {
  const w = options.width ?? width;
  const h = options.height ?? height;
  if (!(Number.isFinite(w) && w >= 100) || !(Number.isFinite(h) && h >= 100)) {
    throw new NNError(ErrorCode.InvalidArgument, `${where}: width and height must be numbers >= 100, got ${String(options.width)} x ${String(options.height)}`);
  }
  return { width: w, height: h };
}
