import { checkOptions } from '../options.js';
import type { StudyView, TrialState } from '../types.js';
import { esc, extent, fmt, PALETTE, r, scale, size, svg, text, xAxis, yAxis, type PlotOptions } from './svg.js';

const STATE_COLORS: Partial<Record<TrialState, string>> = { complete: PALETTE.point, pruned: PALETTE.best, running: '#2ca02c', fail: PALETTE.muted };

/**
 * The learning curves: every trial's reported intermediate values against their step, coloured by state
 * (complete, pruned, running, failed) — Optuna's plot_intermediate_values, where pruned trials show where
 * they were stopped.
 */
export function plotIntermediateValues(study: Pick<StudyView, 'getTrials'>, options: Omit<PlotOptions, 'target' | 'targetName'> & { logY?: boolean } = {}): string {
  const where = 'plotIntermediateValues';
  checkOptions(where, options, ['width', 'height', 'title', 'logY']);
  const { width, height } = size(options, where, 640, 400);
  const logY = options.logY ?? false;
  const curves = study
    .getTrials()
    .map((t) => ({ t, points: Object.entries(t.intermediateValues).map(([s, v]) => [Number(s), v] as [number, number]).filter(([, v]) => Number.isFinite(v) && (!logY || v > 0)).sort((a, b) => a[0] - b[0]) }))
    .filter((c) => c.points.length > 0);
  const m = { l: 70, r: 20, t: 34, b: 50 };
  const [x0, x1, y0, y1] = [m.l, width - m.r, height - m.b, m.t];
  const steps = curves.flatMap((c) => c.points.map((p) => p[0]));
  const [slo, shi] = steps.length ? [Math.min(...steps), Math.max(...steps)] : [0, 1];
  const sx = scale(slo, shi, x0, x1);
  const [vlo, vhi] = extent(curves.flatMap((c) => c.points.map((p) => p[1])), logY);
  const sy = scale(vlo, vhi, y0, y1, logY);
  const body = [...yAxis(sy, x0, y0, y1, 'Intermediate value', x1), ...xAxis(sx, y0, x0, x1, 'Step')];
  for (const { t, points } of curves) {
    const color = STATE_COLORS[t.state] ?? PALETTE.muted;
    const d = points.map(([s, v], i) => `${i ? 'L' : 'M'}${r(sx(s))},${r(sy(v))}`).join(' ');
    const last = points[points.length - 1];
    body.push(
      `<path class="curve ${t.state}" d="${d}" fill="none" stroke="${color}" stroke-width="1.5" stroke-opacity="0.8"><title>trial ${t.number} (${t.state}): ${esc(fmt(last[1]))} at step ${last[0]}</title></path>`,
    );
    if (points.length === 1) body.push(`<circle cx="${r(sx(last[0]))}" cy="${r(sy(last[1]))}" r="2.5" fill="${color}"/>`);
  }
  body.push(text(x1 - 4, y1 + 12, '— complete   — pruned   — running   — failed', `text-anchor="end" fill="${PALETTE.muted}"`));
  if (curves.length === 0) body.push(text((x0 + x1) / 2, (y0 + y1) / 2, 'no intermediate values reported yet', `text-anchor="middle" fill="${PALETTE.muted}"`));
  return svg(width, height, options.title ?? 'Intermediate values', body);
}
