/** A line chart of best-so-far reward against trials, one line per strategy, as a standalone SVG. */
export function bestSoFarSvg(title: string, curves: Record<string, number[]>): string {
  const [w, h, m] = [640, 360, 50];
  const all = Object.values(curves).flat();
  const n = Math.max(...Object.values(curves).map((c) => c.length));
  const [lo, hi] = [Math.min(...all), Math.max(...all)];
  const span = hi - lo || 1;
  const x = (i: number) => m + (i / Math.max(1, n - 1)) * (w - 2 * m);
  const y = (v: number) => h - m - ((v - lo) / span) * (h - 2 * m);
  const colors = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];
  const lines = Object.entries(curves).map(([name, c], k) => {
    const d = c.map((v, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join('');
    return `<path d="${d}" fill="none" stroke="${colors[k % colors.length]}" stroke-width="2"/><text x="${w - m - 120}" y="${m + 16 * k}" fill="${colors[k % colors.length]}" font-size="12">${name}</text>`;
  });
  const ticks = [lo, lo + span / 2, hi].map((v) => `<text x="${m - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11">${v.toFixed(3)}</text>`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif">`,
    `<rect width="${w}" height="${h}" fill="white"/>`,
    `<text x="${w / 2}" y="22" text-anchor="middle" font-size="14">${title}</text>`,
    `<line x1="${m}" y1="${h - m}" x2="${w - m}" y2="${h - m}" stroke="#333"/><line x1="${m}" y1="${m}" x2="${m}" y2="${h - m}" stroke="#333"/>`,
    `<text x="${w / 2}" y="${h - 14}" text-anchor="middle" font-size="12">trials (1–${n})</text>`,
    `<text x="14" y="${h / 2}" transform="rotate(-90 14 ${h / 2})" text-anchor="middle" font-size="12">best validation accuracy so far</text>`,
    ...ticks,
    ...lines,
    '</svg>',
  ].join('\n');
}
