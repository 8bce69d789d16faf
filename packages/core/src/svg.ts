// The small SVG toolkit the packages' charts share (schedule's renderSvg, hpo's study plots, layers'
// plotHistory): escaping, round ticks and their labels, and a line chart. Dependency-free strings, so a
// README, a notebook, a test or a browser can show the picture.

/** Escapes text for SVG content and attribute values. */
export const escapeXml = (text: unknown): string => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A coordinate rounded to 1/100 px: shorter files, no visible change. */
export const roundPx = (v: number): number => Math.round(v * 100) / 100;

/** Round tick steps (1, 2 or 5 times a power of ten), as a reader expects on an axis. */
function niceStep(range: number, count: number): number {
  const rough = range / count;
  const mag = 10 ** Math.floor(Math.log10(rough));
  const norm = rough / mag;
  return (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
}

/** An axis domain widened to whole tick steps, its ticks (about `count`) and the step. A flat range is padded. */
export function niceAxis(lo: number, hi: number, count: number): { lo: number; hi: number; ticks: number[]; step: number } {
  if (hi - lo <= Math.abs(hi) * 1e-12 || hi === lo) {
    const pad = hi === 0 ? 1 : Math.abs(hi) * 0.1;
    lo = Math.max(0, lo - pad);
    hi = hi + pad;
  }
  const step = niceStep(hi - lo, count);
  const nlo = Math.floor(lo / step + 1e-9) * step;
  const nhi = Math.ceil(hi / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let i = 0; nlo + i * step <= nhi + step * 1e-9; i++) ticks.push(nlo + i * step);
  return { lo: nlo, hi: nhi, ticks, step };
}

/** About `count` round tick values inside [lo, hi] (the domain is not widened). */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  const { ticks, step } = niceAxis(lo, hi, count);
  return ticks.filter((t) => t >= lo - step * 1e-9 && t <= hi + step * 1e-9).map((t) => Number(t.toPrecision(12)));
}

/** A tick label without float noise: `0.30000000000000004` reads `0.3`, tiny values read `2e-6`. */
export function formatTick(v: number, step: number): string {
  if (Math.abs(v) < step * 1e-9) return '0';
  if (step < 1e-3 || Math.abs(v) >= 1e6) return Number(v.toPrecision(6)).toExponential().replace('e+', 'e');
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return v.toFixed(decimals);
}

/** One line of a chart: `y[i]` at `x[i]`; non-finite values break the line. */
export interface ChartSeries {
  name: string;
  x: readonly number[];
  y: readonly number[];
  color: string;
  /** A dash pattern (`'5,3'`), e.g. for validation curves. */
  dash?: string;
}

export interface LineChartOptions {
  series: readonly ChartSeries[];
  width: number;
  height: number;
  title?: string;
  xLabel?: string;
  yLabel?: string;
}

/**
 * A line chart's SVG elements, drawn at the origin in a `width` x `height` box (wrap them in a
 * `<g transform>` to place several), with ticks, grid, axis labels and a legend.
 */
export function lineChart({ series, width, height, title, xLabel = '', yLabel = '' }: LineChartOptions): string[] {
  const margin = { left: 58, right: 16, top: title ? 28 : 12, bottom: 52 };
  const plotW = Math.max(10, width - margin.left - margin.right);
  const plotH = Math.max(10, height - margin.top - margin.bottom);
  const xs = series.flatMap((s) => s.x).filter(Number.isFinite);
  const ys = series.flatMap((s) => s.y).filter(Number.isFinite);
  const xa = niceAxis(xs.length ? Math.min(...xs) : 0, xs.length ? Math.max(...xs) : 1, 8);
  const ya = niceAxis(ys.length ? Math.min(...ys) : 0, ys.length ? Math.max(...ys) : 1, 5);
  const sx = (v: number) => roundPx(margin.left + ((v - xa.lo) / (xa.hi - xa.lo)) * plotW);
  const sy = (v: number) => roundPx(margin.top + plotH - ((v - ya.lo) / (ya.hi - ya.lo)) * plotH);
  const bottom = margin.top + plotH;
  const right = margin.left + plotW;
  const out: string[] = [];
  if (title) out.push(`<text x="${roundPx(width / 2)}" y="18" text-anchor="middle" font-size="13" font-weight="bold">${escapeXml(title)}</text>`);
  for (const t of ya.ticks) {
    out.push(`<line x1="${margin.left}" y1="${sy(t)}" x2="${roundPx(right)}" y2="${sy(t)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${margin.left - 6}" y="${sy(t)}" text-anchor="end" dominant-baseline="middle">${formatTick(t, ya.step)}</text>`);
  }
  for (const t of xa.ticks) {
    out.push(`<line x1="${sx(t)}" y1="${bottom}" x2="${sx(t)}" y2="${bottom + 5}" stroke="#333"/>`);
    out.push(`<text x="${sx(t)}" y="${bottom + 17}" text-anchor="middle">${formatTick(t, xa.step)}</text>`);
  }
  out.push(`<path d="M${margin.left},${margin.top}V${bottom}H${roundPx(right)}" fill="none" stroke="#333"/>`);
  if (xLabel) out.push(`<text x="${roundPx(margin.left + plotW / 2)}" y="${bottom + 32}" text-anchor="middle">${escapeXml(xLabel)}</text>`);
  if (yLabel) out.push(`<text transform="translate(14,${roundPx(margin.top + plotH / 2)}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)}</text>`);
  for (const s of series) {
    let current: string[] = [];
    const flush = () => {
      if (current.length) out.push(`<polyline points="${current.join(' ')}" fill="none" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
      current = [];
    };
    s.x.forEach((x, i) => (Number.isFinite(x) && Number.isFinite(s.y[i]) ? current.push(`${sx(x)},${sy(s.y[i]!)}`) : flush()));
    flush();
  }
  // The legend in the bottom margin, left to right.
  let lx = margin.left;
  const ly = height - 8;
  for (const s of series) {
    out.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 18}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
    out.push(`<text x="${lx + 22}" y="${ly}" dominant-baseline="middle">${escapeXml(s.name)}</text>`);
    lx += 36 + 7 * s.name.length;
  }
  return out;
}

/** A whole SVG document around `body`, white background. */
export function svgDocument(width: number, height: number, body: readonly string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
