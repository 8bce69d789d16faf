import { checkOptions } from '../options.js';
import type { StudyView } from '../types.js';
import { paramImportances, type ImportanceEvaluator } from './importance.js';
import {
  PALETTE,
  distributionOf,
  esc,
  extent,
  fmt,
  line,
  paramNames,
  r,
  scale,
  shade,
  size,
  svg,
  targetValues,
  text,
  xAxis,
  yAxis,
  type PlotOptions,
} from './svg.js';

type PlotStudy = Pick<StudyView, 'getTrials' | 'directions'>;
const COMMON = ['width', 'height', 'title', 'target', 'targetName'];

/** The objective of each complete trial over trial numbers, with the running best as a step line. */
export function plotOptimizationHistory(study: PlotStudy, options: PlotOptions & { logY?: boolean } = {}): string {
  const where = 'plotOptimizationHistory';
  checkOptions(where, options, [...COMMON, 'logY']);
  const { width, height } = size(options, where, 640, 400);
  const { trials, values } = targetValues(study, options, where);
  const logY = options.logY ?? false;
  const m = { l: 70, r: 20, t: 34, b: 50 };
  const x0 = m.l;
  const x1 = width - m.r;
  const y0 = height - m.b;
  const y1 = m.t;
  const numbers = trials.map((t) => t.number);
  const [nlo, nhi] = numbers.length ? [Math.min(...numbers), Math.max(...numbers)] : [0, 1];
  const sx = scale(nlo - 0.5, nhi + 0.5, x0, x1);
  sx.ticks = sx.ticks.filter((t) => Number.isInteger(t));
  const [vlo, vhi] = extent(values, logY);
  const sy = scale(vlo, vhi, y0, y1, logY);
  const body = [...yAxis(sy, x0, y0, y1, options.targetName ?? 'Objective value', x1), ...xAxis(sx, y0, x0, x1, 'Trial')];
  // The running best, in the direction of the first objective unless a custom target is plotted.
  const maximize = !options.target && study.directions[0] === 'maximize';
  let best = Number.NaN;
  const steps: string[] = [];
  trials.forEach((t, i) => {
    const v = values[i];
    if (!Number.isFinite(v) || (logY && v <= 0)) return;
    if (Number.isNaN(best) || (maximize ? v > best : v < best)) {
      if (!Number.isNaN(best)) steps.push(`L${r(sx(t.number))},${r(sy(best))}`);
      best = v;
      steps.push(`${steps.length ? 'L' : 'M'}${r(sx(t.number))},${r(sy(best))}`);
    }
  });
  if (steps.length) {
    steps.push(`L${r(x1)},${r(sy(best))}`);
    body.push(`<path d="${steps.join(' ')}" fill="none" stroke="${PALETTE.best}" stroke-width="2"/>`);
  }
  trials.forEach((t, i) => {
    const v = values[i];
    if (!Number.isFinite(v) || (logY && v <= 0)) return;
    body.push(`<circle cx="${r(sx(t.number))}" cy="${r(sy(v))}" r="3.5" fill="${PALETTE.point}" fill-opacity="0.8"><title>trial ${t.number}: ${esc(fmt(v))}</title></circle>`);
  });
  body.push(text(x1 - 4, y1 + 12, '● objective   — best so far', `text-anchor="end" fill="${PALETTE.muted}"`));
  if (trials.length === 0) body.push(text((x0 + x1) / 2, (y0 + y1) / 2, 'no complete trials yet', `text-anchor="middle" fill="${PALETTE.muted}"`));
  return svg(width, height, options.title ?? 'Optimization history', body);
}

/** One panel per parameter: the objective against the parameter's values (log axes for log parameters). */
export function plotSlice(study: PlotStudy, options: PlotOptions & { params?: string[] } = {}): string {
  const where = 'plotSlice';
  checkOptions(where, options, [...COMMON, 'params']);
  const { trials, values } = targetValues(study, options, where);
  const names = paramNames(trials, options.params, where);
  const cols = Math.min(3, Math.max(1, names.length));
  const rows = Math.max(1, Math.ceil(names.length / cols));
  const { width, height } = size(options, where, 300 * cols + 20, 260 * rows + 30);
  const pw = (width - 20) / cols;
  const ph = (height - 30) / rows;
  const [vlo, vhi] = extent(values);
  const maxNumber = Math.max(1, ...trials.map((t) => t.number));
  const body: string[] = [];
  names.forEach((name, k) => {
    const ox = 10 + (k % cols) * pw;
    const oy = 30 + Math.floor(k / cols) * ph;
    const x0 = ox + 62;
    const x1 = ox + pw - 12;
    const y0 = oy + ph - 46;
    const y1 = oy + 12;
    const d = distributionOf(trials, name);
    const having = trials.map((t, i) => ({ t, v: values[i] })).filter(({ t }) => name in t.params);
    const sy = scale(vlo, vhi, y0, y1);
    body.push(...yAxis(sy, x0, y0, y1, k % cols === 0 ? (options.targetName ?? 'Objective value') : '', x1));
    let px: (v: unknown) => number;
    if (d?.type === 'categorical') {
      const band = (x1 - x0) / d.choices.length;
      const sx = scale(-0.5, d.choices.length - 0.5, x0, x1);
      px = (v) => x0 + band * (d.choices.indexOf(v as never) + 0.5);
      body.push(...xAxis(sx, y0, x0, x1, name, d.choices));
    } else {
      const log = d !== undefined && d.log;
      const [lo, hi] = d ? (log ? [d.low, d.high] : extent([d.low, d.high])) : extent(having.map(({ t }) => t.params[name] as number));
      const sx = scale(lo, hi, x0, x1, log);
      px = (v) => sx(v as number);
      body.push(...xAxis(sx, y0, x0, x1, name));
    }
    for (const { t, v } of having) {
      if (!Number.isFinite(v)) continue;
      body.push(`<circle cx="${r(px(t.params[name]))}" cy="${r(sy(v))}" r="3" fill="${shade(t.number / maxNumber)}" stroke="${PALETTE.point}" stroke-width="0.5"><title>trial ${t.number}: ${esc(name)} = ${esc(t.params[name])}, ${esc(fmt(v))}</title></circle>`);
    }
  });
  if (names.length === 0) body.push(text(width / 2, height / 2, 'no parameters in complete trials', `text-anchor="middle" fill="${PALETTE.muted}"`));
  return svg(width, height, options.title ?? 'Slice plot (darker = later trial)', body);
}

/** Every complete trial as a line across one vertical axis per parameter and one for the objective. */
export function plotParallelCoordinate(study: PlotStudy, options: PlotOptions & { params?: string[] } = {}): string {
  const where = 'plotParallelCoordinate';
  checkOptions(where, options, [...COMMON, 'params']);
  const { trials: all, values: allValues } = targetValues(study, options, where);
  const names = paramNames(all, options.params, where);
  // Conditional parameters: only trials that have every plotted parameter can be drawn as one line.
  const keep = all.map((t, i) => i).filter((i) => names.every((n) => n in all[i].params) && Number.isFinite(allValues[i]));
  const trials = keep.map((i) => all[i]);
  const values = keep.map((i) => allValues[i]);
  const { width, height } = size(options, where, Math.max(420, 130 * (names.length + 1)), 420);
  const x0 = 70;
  const x1 = width - 70;
  const y0 = height - 60;
  const y1 = 50;
  const axes = names.length + 1;
  const ax = (k: number) => (axes === 1 ? (x0 + x1) / 2 : x0 + ((x1 - x0) * k) / (axes - 1));
  const [vlo, vhi] = extent(values);
  const sy0 = scale(vlo, vhi, y0, y1);
  const mapped: ((v: unknown) => number)[] = [(v) => sy0(v as number)];
  const body: string[] = [];
  // Axes go on top of the lines, their labels haloed in white so they stay legible.
  const axisMarks: string[] = [];
  const halo = 'paint-order="stroke" stroke="#fff" stroke-width="3"';
  const axisAt = (k: number, label: string, ticks: { y: number; label: string }[]) => {
    axisMarks.push(line(ax(k), y0, ax(k), y1, PALETTE.axis, 'stroke-width="1.5"'), text(ax(k), y0 + 22, label, 'text-anchor="middle"'));
    for (const t of ticks) axisMarks.push(line(ax(k) - 3, t.y, ax(k), t.y, PALETTE.axis), text(ax(k) - 5, t.y + 4, t.label, `text-anchor="end" font-size="9" ${halo}`));
  };
  axisAt(0, options.targetName ?? 'Objective', sy0.ticks.filter((t) => t >= vlo && t <= vhi).map((t) => ({ y: sy0(t), label: fmt(t) })));
  names.forEach((name, i) => {
    const d = distributionOf(trials.length ? trials : all, name);
    if (d?.type === 'categorical') {
      const step = (y0 - y1) / Math.max(1, d.choices.length - 1);
      const pos = (v: unknown) => (d.choices.length === 1 ? (y0 + y1) / 2 : y0 - step * d.choices.indexOf(v as never));
      mapped.push(pos);
      axisAt(i + 1, name, d.choices.map((c) => ({ y: pos(c), label: String(c) })));
    } else {
      const log = d !== undefined && d.log;
      const lo = d ? d.low : 0;
      const hi = d ? d.high : 1;
      const s = scale(lo, hi === lo ? lo + 1 : hi, y0, y1, log);
      mapped.push((v) => s(v as number));
      axisAt(i + 1, name, s.ticks.filter((t) => t >= lo && t <= hi).map((t) => ({ y: s(t), label: fmt(t) })));
    }
  });
  // Best trials drawn last (on top) and darkest.
  const maximize = !options.target && study.directions[0] === 'maximize';
  const order = values.map((v, i) => i).sort((a, b) => (maximize ? values[a] - values[b] : values[b] - values[a]));
  order.forEach((i, rank) => {
    const t = trials[i];
    const pts = [values[i], ...names.map((n) => t.params[n])].map((v, k) => `${r(ax(k))},${r(mapped[k](v))}`);
    body.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${shade(order.length === 1 ? 1 : rank / (order.length - 1))}" stroke-width="1.5" stroke-opacity="0.85"><title>trial ${t.number}: ${esc(fmt(values[i]))}</title></polyline>`);
  });
  body.push(...axisMarks);
  if (trials.length === 0) body.push(text(width / 2, height / 2, 'no complete trials with these parameters', `text-anchor="middle" fill="${PALETTE.muted}"`));
  return svg(width, height, options.title ?? 'Parallel coordinates (darker = better)', body);
}

/** Horizontal bars of each parameter's importance (shares summing to 1), most important on top. */
export function plotParamImportances(study: PlotStudy, options: PlotOptions & { params?: string[]; evaluator?: ImportanceEvaluator } = {}): string {
  const where = 'plotParamImportances';
  checkOptions(where, options, [...COMMON, 'params', 'evaluator']);
  const importances = paramImportances(study, { params: options.params, evaluator: options.evaluator, target: options.target });
  const entries = Object.entries(importances);
  const { width, height } = size(options, where, 560, Math.max(140, 60 + 28 * entries.length));
  const labelWidth = Math.min(200, 20 + 7 * Math.max(4, ...entries.map(([n]) => n.length)));
  const x0 = labelWidth;
  const x1 = width - 60;
  const body: string[] = [];
  entries.forEach(([name, v], i) => {
    const y = 40 + i * 28;
    const w = Math.max(0, (x1 - x0) * v);
    body.push(
      text(x0 - 8, y + 14, name, 'text-anchor="end"'),
      `<rect x="${r(x0)}" y="${r(y)}" width="${r(w)}" height="20" fill="${PALETTE.bar}"><title>${esc(name)}: ${esc(fmt(v))}</title></rect>`,
      text(x0 + w + 6, y + 14, v.toFixed(2), `fill="${PALETTE.muted}"`),
    );
  });
  if (entries.length === 0) body.push(text(width / 2, height / 2, 'not enough complete trials', `text-anchor="middle" fill="${PALETTE.muted}"`));
  return svg(width, height, options.title ?? 'Hyperparameter importances', body);
}
