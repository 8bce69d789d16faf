import { escapeXml, formatTick, niceAxis, roundPx as px } from '@nn/core';
import type { Schedule } from './schedule.js';
import { checkOptions, invalid, positiveInteger } from './validate.js';

export interface RenderSvgOptions {
  /** Width of the picture in px (default 640). */
  width?: number;
  /** Height in px (default 300). */
  height?: number;
  /** A title above the chart. */
  title?: string;
  /** Colour of the lr line (default a blue). */
  lrColor?: string;
  /** Colour of the momentum line (default a red). */
  momentumColor?: string;
  /** Draw momentum when the schedule has it (default true). */
  momentum?: boolean;
  /**
   * Draw each step's value as a flat segment up to the next step (default false: straight lines between
   * steps). Truer for step-wise schedules, whose lr jumps rather than slides.
   */
  stepped?: boolean;
}

/** At most this many points per line: beyond it the chart samples steps evenly (a line is no sharper). */
const MAX_POINTS = 2000;

/** The steps drawn: every step, or an even sample of them for long schedules. */
function sampleSteps(steps: number): number[] {
  if (steps <= MAX_POINTS) return Array.from({ length: steps }, (_, i) => i);
  return Array.from({ length: MAX_POINTS }, (_, i) => Math.round((i * (steps - 1)) / (MAX_POINTS - 1)));
}

/**
 * A plain SVG line chart of `schedule`'s lr over steps 0..steps-1, with momentum on a right-hand axis when
 * the schedule cycles it. Dependency-free, so a README, a notebook or a test can show a schedule's shape.
 */
export function renderSvg(schedule: Schedule, steps: number, options: RenderSvgOptions = {}): string {
  const w = 'renderSvg';
  if (typeof schedule?.lrAt !== 'function') throw invalid(w, 'schedule must be a schedule (an object with lrAt(step))');
  positiveInteger(w, 'steps', steps);
  checkOptions(w, options, ['width', 'height', 'title', 'lrColor', 'momentumColor', 'momentum', 'stepped']);
  const width = positiveInteger(w, 'width', options.width ?? 640);
  const height = positiveInteger(w, 'height', options.height ?? 300);
  const lrColor = options.lrColor ?? '#1f77b4';
  const momentumColor = options.momentumColor ?? '#d62728';

  const xs = sampleSteps(steps);
  const lrs = xs.map((t) => schedule.lrAt(t));
  const moms = options.momentum !== false && schedule.momentumAt ? xs.map((t) => schedule.momentumAt!(t)) : [];
  const hasMomentum = moms.some((m) => m !== undefined);

  const top = options.title ? 34 : 14;
  const margin = { left: 62, right: hasMomentum ? 62 : 18, top, bottom: 42 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  if (plotW < 20 || plotH < 20) throw invalid(w, `a ${width}x${height} picture leaves no room for the chart`, { option: 'width' });

  const xAxis = niceAxis(0, Math.max(1, steps - 1), 8);
  xAxis.hi = Math.max(1, steps - 1);
  xAxis.ticks = xAxis.ticks.filter((t) => t <= xAxis.hi + 1e-9);
  xAxis.lo = 0;
  const finite = lrs.filter(Number.isFinite);
  const yAxis = niceAxis(Math.min(0, ...finite), Math.max(...finite, 0), 5);
  const mvals = moms.filter((m): m is number => m !== undefined && Number.isFinite(m));
  const mAxis = hasMomentum ? niceAxis(Math.min(...mvals), Math.max(...mvals), 5) : undefined;

  const sx = (t: number) => margin.left + ((t - xAxis.lo) / (xAxis.hi - xAxis.lo)) * plotW;
  const sy = (v: number, a: { lo: number; hi: number }) => margin.top + plotH - ((v - a.lo) / (a.hi - a.lo)) * plotH;
  const line = (vals: (number | undefined)[], a: { lo: number; hi: number }) => {
    // Steps where a value is missing (momentum of a schedule segment that has none) break the line.
    const parts: string[] = [];
    let current: string[] = [];
    vals.forEach((v, i) => {
      if (v === undefined || !Number.isFinite(v)) {
        if (current.length) parts.push(current.join(' '));
        current = [];
      } else {
        const y = px(sy(v, a));
        if (options.stepped && current.length) current.push(`${px(sx(xs[i]))},${current[current.length - 1].split(',')[1]}`);
        current.push(`${px(sx(xs[i]))},${y}`);
      }
    });
    if (current.length) parts.push(current.join(' '));
    return parts;
  };

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`);
  out.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  if (options.title) {
    // A long title shrinks (about 0.6 em per bold character) rather than running off the picture.
    const size = Math.max(8, Math.min(13, Math.floor(((width - 16) / (0.6 * options.title.length)) * 10) / 10));
    out.push(`<text x="${px(width / 2)}" y="20" text-anchor="middle" font-size="${size}" font-weight="bold">${escapeXml(options.title)}</text>`);
  }
  const bottom = margin.top + plotH;
  const right = margin.left + plotW;
  for (const t of yAxis.ticks) {
    const y = px(sy(t, yAxis));
    out.push(`<line x1="${margin.left}" y1="${y}" x2="${px(right)}" y2="${y}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${margin.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" fill="${lrColor}">${formatTick(t, yAxis.step)}</text>`);
  }
  for (const t of xAxis.ticks) {
    const x = px(sx(t));
    out.push(`<line x1="${x}" y1="${bottom}" x2="${x}" y2="${bottom + 5}" stroke="#333"/>`);
    out.push(`<text x="${x}" y="${bottom + 17}" text-anchor="middle">${formatTick(t, xAxis.step)}</text>`);
  }
  if (mAxis) {
    for (const t of mAxis.ticks) {
      const y = px(sy(t, mAxis));
      out.push(`<line x1="${px(right)}" y1="${y}" x2="${px(right + 5)}" y2="${y}" stroke="#333"/>`);
      out.push(`<text x="${px(right + 8)}" y="${y}" dominant-baseline="middle" fill="${momentumColor}">${formatTick(t, mAxis.step)}</text>`);
    }
  }
  out.push(`<path d="M${margin.left},${margin.top}V${bottom}H${px(right)}${mAxis ? `V${margin.top}` : ''}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${px(margin.left + plotW / 2)}" y="${height - 8}" text-anchor="middle">step</text>`);
  out.push(`<text transform="translate(14,${px(margin.top + plotH / 2)}) rotate(-90)" text-anchor="middle" fill="${lrColor}">learning rate</text>`);
  if (mAxis) out.push(`<text transform="translate(${width - 10},${px(margin.top + plotH / 2)}) rotate(90)" text-anchor="middle" fill="${momentumColor}">momentum</text>`);
  for (const points of line(lrs, yAxis)) out.push(`<polyline points="${points}" fill="none" stroke="${lrColor}" stroke-width="2" stroke-linejoin="round"/>`);
  if (mAxis) {
    for (const points of line(moms, mAxis)) out.push(`<polyline points="${points}" fill="none" stroke="${momentumColor}" stroke-width="1.5" stroke-dasharray="5,3"/>`);
    // The legend sits in the bottom margin, right-aligned, where no line can run under it.
    const ly = height - 10;
    const lx = right - 118;
    out.push(`<line x1="${px(lx)}" y1="${ly}" x2="${px(lx + 18)}" y2="${ly}" stroke="${lrColor}" stroke-width="2"/>`);
    out.push(`<text x="${px(lx + 22)}" y="${ly}" dominant-baseline="middle">lr</text>`);
    out.push(`<line x1="${px(lx + 44)}" y1="${ly}" x2="${px(lx + 62)}" y2="${ly}" stroke="${momentumColor}" stroke-width="1.5" stroke-dasharray="5,3"/>`);
    out.push(`<text x="${px(lx + 66)}" y="${ly}" dominant-baseline="middle">momentum</text>`);
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}
