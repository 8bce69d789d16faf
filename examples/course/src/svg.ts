// A small function plot for the course's pictures: curves over one x range, axes through the origin.

export interface Curve {
  name: string;
  ys: readonly number[];
  color: string;
  dashed?: boolean;
}

export interface PlotOptions {
  title: string;
  width?: number;
  height?: number;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const r = (v: number) => String(Math.round(v * 100) / 100);

/** Round tick values about every (hi − lo)/5, at 1, 2 or 5 times a power of ten. */
function ticks(lo: number, hi: number): number[] {
  const raw = (hi - lo) / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(Math.abs(v) < 1e-12 ? 0 : Number(v.toPrecision(6)));
  return out;
}

/** An SVG line chart of `curves` over `xs` (one y per x each), with grid, axes through 0 where in view, and a legend. */
export function plotCurves(xs: readonly number[], curves: readonly Curve[], { title, width = 480, height = 320 }: PlotOptions): string {
  const m = { left: 44, right: 16, top: 34, bottom: 30 };
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const all = curves.flatMap((c) => c.ys.filter(Number.isFinite));
  let [y0, y1] = [Math.min(0, ...all), Math.max(0, ...all)];
  const pad = (y1 - y0 || 1) * 0.08;
  [y0, y1] = [y0 - pad, y1 + pad];
  const sx = (x: number) => m.left + ((x - x0) / (x1 - x0)) * (width - m.left - m.right);
  const sy = (y: number) => height - m.bottom - ((y - y0) / (y1 - y0)) * (height - m.top - m.bottom);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="18" text-anchor="middle" font-size="13" font-weight="bold">${esc(title)}</text>`,
  ];
  for (const t of ticks(x0, x1)) {
    out.push(`<line x1="${r(sx(t))}" y1="${m.top}" x2="${r(sx(t))}" y2="${height - m.bottom}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${r(sx(t))}" y="${height - m.bottom + 14}" text-anchor="middle" fill="#444">${t}</text>`);
  }
  for (const t of ticks(y0, y1)) {
    out.push(`<line x1="${m.left}" y1="${r(sy(t))}" x2="${width - m.right}" y2="${r(sy(t))}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${m.left - 6}" y="${r(sy(t) + 4)}" text-anchor="end" fill="#444">${t}</text>`);
  }
  if (x0 <= 0 && x1 >= 0) out.push(`<line x1="${r(sx(0))}" y1="${m.top}" x2="${r(sx(0))}" y2="${height - m.bottom}" stroke="#888"/>`);
  out.push(`<line x1="${m.left}" y1="${r(sy(0))}" x2="${width - m.right}" y2="${r(sy(0))}" stroke="#888"/>`);
  curves.forEach((c, i) => {
    const points = xs.map((x, k) => (Number.isFinite(c.ys[k]) ? `${r(sx(x))},${r(sy(c.ys[k]))}` : '')).filter(Boolean).join(' ');
    out.push(`<polyline fill="none" stroke="${c.color}" stroke-width="2"${c.dashed ? ' stroke-dasharray="6 4"' : ''} points="${points}"><title>${esc(c.name)}</title></polyline>`);
    const ly = m.top + 6 + 16 * i;
    out.push(`<line x1="${m.left + 10}" y1="${ly}" x2="${m.left + 34}" y2="${ly}" stroke="${c.color}" stroke-width="2"${c.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    out.push(`<text x="${m.left + 40}" y="${ly + 4}">${esc(c.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
