/// <reference lib="dom" />
// Canvas drawing for the app: the heatmap, the unit pictures and the line charts (no chart library needed).

/** Orange for class 0 / negative, blue for class 1 / positive, as TensorFlow Playground. */
const NEG = [245, 147, 34];
const POS = [8, 119, 189];
const MID = [232, 234, 235];

function colour(t: number): [number, number, number] {
  // t in [-1, 1]: orange through light grey to blue.
  const a = Math.max(-1, Math.min(1, t));
  const [from, k] = a < 0 ? [NEG, -a] : [POS, a];
  return [0, 1, 2].map((i) => Math.round(MID[i] + (from[i] - MID[i]) * k)) as [number, number, number];
}

/** Fills a canvas with an n×n field; `toUnit` maps a value to [-1, 1]. */
export function drawField(canvas: HTMLCanvasElement, values: Float32Array, n: number, toUnit: (v: number) => number): void {
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(n, n);
  for (let i = 0; i < n * n; i++) {
    const [r, g, b] = colour(toUnit(values[i]));
    img.data.set([r, g, b, 255], i * 4);
  }
  const off = new OffscreenCanvas(n, n);
  off.getContext('2d')!.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(off, 0, 0, canvas.width, canvas.height);
}

/** Points on [-1, 1]²: train points filled, test points ringed in black. */
export function drawPoints(canvas: HTMLCanvasElement, x: number[][], y: number[], test: boolean, toUnit: (v: number) => number): void {
  const ctx = canvas.getContext('2d')!;
  const s = canvas.width / 2;
  for (let i = 0; i < x.length; i++) {
    const [r, g, b] = colour(toUnit(y[i]) * 1.4);
    ctx.beginPath();
    ctx.arc((x[i][0] + 1) * s, (1 - x[i][1]) * s, Math.max(2.5, canvas.width / 110), 0, 2 * Math.PI);
    ctx.fillStyle = `rgb(${r},${g},${b})`;
    ctx.fill();
    ctx.lineWidth = test ? 1.6 : 0.8;
    ctx.strokeStyle = test ? '#111' : '#fff';
    ctx.stroke();
  }
}

export interface Series {
  label: string;
  colour: string;
  values: number[];
  /** x of each value (default its index). */
  xs?: number[];
  dashed?: boolean;
}

export interface ChartOptions {
  log?: boolean;
  /** A vertical marker at this x (the schedule's current step). */
  marker?: number;
  xMax?: number;
  yMin?: number;
}

/** A small line chart with a y range from the data, a legend and an optional marker. */
export function drawChart(canvas: HTMLCanvasElement, series: Series[], options: ChartOptions = {}): void {
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth || 300;
  const h = canvas.clientHeight || 120;
  if (canvas.width !== Math.round(w * dpr)) canvas.width = Math.round(w * dpr);
  if (canvas.height !== Math.round(h * dpr)) canvas.height = Math.round(h * dpr);
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  const tf = (v: number) => (options.log ? Math.log10(Math.max(v, 1e-30)) : v);
  const all = series.flatMap((s) => s.values.filter((v) => Number.isFinite(v) && (!options.log || v > 0)).map(tf));
  const xMax = Math.max(options.xMax ?? 0, ...series.map((s) => (s.xs ? (s.xs.at(-1) ?? 0) : s.values.length - 1)), 1);
  let lo = Math.min(...all, options.yMin !== undefined ? tf(options.yMin) : Infinity);
  let hi = Math.max(...all);
  if (!all.length) [lo, hi] = [0, 1];
  if (hi - lo < 1e-12) [lo, hi] = [lo - 0.5, hi + 0.5];
  const L = 44;
  const R = 6;
  const T = 16;
  const B = 14;
  const px = (x: number) => L + (x / xMax) * (w - L - R);
  const py = (v: number) => T + (1 - (tf(v) - lo) / (hi - lo)) * (h - T - B);
  ctx.font = '10px system-ui, sans-serif';
  ctx.fillStyle = '#667';
  ctx.strokeStyle = '#dde';
  ctx.lineWidth = 1;
  for (const f of [0, 0.5, 1]) {
    const v = lo + f * (hi - lo);
    const y = T + (1 - f) * (h - T - B);
    ctx.beginPath();
    ctx.moveTo(L, y);
    ctx.lineTo(w - R, y);
    ctx.stroke();
    const label = options.log ? `1e${v.toFixed(1)}` : Math.abs(v) >= 100 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(1) : v.toFixed(3);
    ctx.fillText(label, 2, y + 3);
  }
  ctx.fillText(`${Math.round(xMax)}`, w - R - 24, h - 2);
  let lx = L;
  for (const s of series) {
    ctx.strokeStyle = s.colour;
    ctx.lineWidth = 1.5;
    ctx.setLineDash(s.dashed ? [4, 3] : []);
    ctx.beginPath();
    let started = false;
    const stride = Math.max(1, Math.floor(s.values.length / 600));
    for (let i = 0; i < s.values.length; i += stride) {
      const v = s.values[i];
      if (!Number.isFinite(v) || (options.log && v <= 0)) continue;
      const x = px(s.xs ? s.xs[i] : i);
      const y = Math.max(T, Math.min(h - B, py(v)));
      if (started) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
      started = true;
    }
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = s.colour;
    ctx.fillText(s.label, lx, 10);
    lx += ctx.measureText(s.label).width + 10;
  }
  if (options.marker !== undefined) {
    const x = px(Math.min(options.marker, xMax));
    ctx.strokeStyle = '#d33';
    ctx.beginPath();
    ctx.moveTo(x, T);
    ctx.lineTo(x, h - B);
    ctx.stroke();
  }
}
