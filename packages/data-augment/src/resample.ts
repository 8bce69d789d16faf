import { applyToPoint, invert, type Mat } from './matrix.js';

export type FillMode = 'constant' | 'reflect' | 'nearest' | 'wrap';
export type Interpolation = 'nearest' | 'bilinear';
export const FILL_MODES: readonly FillMode[] = ['constant', 'reflect', 'nearest', 'wrap'];
export const INTERPOLATIONS: readonly Interpolation[] = ['nearest', 'bilinear'];

/**
 * Where index `i` of an axis of length `n` reads from, or -1 for "use the fill value". The modes are Keras':
 * reflect (d c b a | a b c d | d c b a), nearest (a a a a | a b c d | d d d d), wrap (a b c d | a b c d | a b c d).
 */
export function mapIndex(i: number, n: number, mode: FillMode): number {
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case 'constant':
      return -1;
    case 'nearest':
      return i < 0 ? 0 : n - 1;
    case 'wrap':
      return ((i % n) + n) % n;
    case 'reflect': {
      const period = 2 * n;
      const k = ((i % period) + period) % period;
      return k < n ? k : period - 1 - k;
    }
  }
}

export interface WarpOptions {
  outH: number;
  outW: number;
  interpolation: Interpolation;
  fillMode: FillMode;
  /** One value per channel, used where `fillMode` is 'constant'. */
  fill: Float32Array;
}

/**
 * Resamples an HWC image under the forward map `forward` (input coordinates → output coordinates): each
 * output pixel centre is mapped back through the inverse and read with the chosen interpolation. Plain
 * loops over a Float32Array: correct on any backend, and fast enough on the cpu.
 */
export function warpAffine(src: Float32Array, h: number, w: number, c: number, forward: Mat, o: WarpOptions): Float32Array {
  const inv = invert(forward);
  const { outH, outW, fillMode, fill } = o;
  const out = new Float32Array(outH * outW * c);
  const [a, b, tx, cc, d, ty] = inv;
  if (a === 1 && b === 0 && cc === 0 && d === 1 && Number.isInteger(tx) && Number.isInteger(ty)) return shiftWhole(src, h, w, c, tx, ty, o);
  const bilinear = o.interpolation === 'bilinear';
  for (let i = 0; i < outH; i++) {
    const yo = i + 0.5;
    // u, v: input coordinates in index space (pixel centres at integers).
    let u = a * 0.5 + b * yo + tx - 0.5;
    let v = cc * 0.5 + d * yo + ty - 0.5;
    for (let j = 0; j < outW; j++, u += a, v += cc) {
      const dst = (i * outW + j) * c;
      if (!bilinear) {
        const xi = mapIndex(Math.floor(u + 0.5), w, fillMode);
        const yi = mapIndex(Math.floor(v + 0.5), h, fillMode);
        if (xi < 0 || yi < 0) out.set(fill, dst);
        else {
          const s = (yi * w + xi) * c;
          for (let k = 0; k < c; k++) out[dst + k] = src[s + k];
        }
        continue;
      }
      const x0 = Math.floor(u);
      const y0 = Math.floor(v);
      const fx = u - x0;
      const fy = v - y0;
      if (x0 >= 0 && y0 >= 0 && x0 + 1 < w && y0 + 1 < h) {
        const s00 = (y0 * w + x0) * c;
        const s10 = s00 + c;
        const s01 = s00 + w * c;
        const s11 = s01 + c;
        const w00 = (1 - fx) * (1 - fy);
        const w10 = fx * (1 - fy);
        const w01 = (1 - fx) * fy;
        const w11 = fx * fy;
        for (let k = 0; k < c; k++) out[dst + k] = w00 * src[s00 + k] + w10 * src[s10 + k] + w01 * src[s01 + k] + w11 * src[s11 + k];
        continue;
      }
      // Near or past the border: each of the four taps goes through the fill mode on its own.
      for (let k = 0; k < c; k++) out[dst + k] = 0;
      for (let t = 0; t < 4; t++) {
        const dx = t & 1;
        const dy = t >> 1;
        const wt = (dx ? fx : 1 - fx) * (dy ? fy : 1 - fy);
        if (wt === 0) continue;
        const xi = mapIndex(x0 + dx, w, fillMode);
        const yi = mapIndex(y0 + dy, h, fillMode);
        if (xi < 0 || yi < 0) for (let k = 0; k < c; k++) out[dst + k] += wt * fill[k];
        else {
          const s = (yi * w + xi) * c;
          for (let k = 0; k < c; k++) out[dst + k] += wt * src[s + k];
        }
      }
    }
  }
  return out;
}

/** A whole-pixel shift (crops, padding): rows copied as blocks; either interpolation gives exactly this. */
function shiftWhole(src: Float32Array, h: number, w: number, c: number, tx: number, ty: number, o: WarpOptions): Float32Array {
  const { outH, outW, fillMode, fill } = o;
  const out = new Float32Array(outH * outW * c);
  // output column j reads input column j + tx: inside for j in [j0, j1)
  const j0 = Math.min(outW, Math.max(0, -tx));
  const j1 = Math.max(j0, Math.min(outW, w - tx));
  for (let i = 0; i < outH; i++) {
    const yi = mapIndex(i + ty, h, fillMode);
    const row = i * outW * c;
    if (yi < 0) {
      for (let j = 0; j < outW; j++) out.set(fill, row + j * c);
      continue;
    }
    out.set(src.subarray((yi * w + j0 + tx) * c, (yi * w + j1 + tx) * c), row + j0 * c);
    for (let j = 0; j < outW; j++) {
      if (j === j0) j = j1;
      if (j >= outW) break;
      const xi = mapIndex(j + tx, w, fillMode);
      if (xi < 0) out.set(fill, row + j * c);
      else out.set(src.subarray((yi * w + xi) * c, (yi * w + xi + 1) * c), row + j * c);
    }
  }
  return out;
}

/** Whether a box [x1, y1, x2, y2] has lost its area (what "degenerate" means when dropping boxes). */
export const isDegenerate = (b: readonly number[]): boolean => !(b[2] - b[0] > 1e-6 && b[3] - b[1] > 1e-6);

/**
 * Boxes [x1, y1, x2, y2] (pixels) under `forward`: the four transformed corners' enclosing box, clipped to
 * the output image; boxes left without area are dropped. Returns the kept boxes and their input indices.
 */
export function transformBoxes(boxes: readonly (readonly number[])[], forward: Mat, outW: number, outH: number): { boxes: number[][]; kept: number[] } {
  const out: number[][] = [];
  const kept: number[] = [];
  boxes.forEach((b, idx) => {
    const corners = [applyToPoint(forward, b[0], b[1]), applyToPoint(forward, b[2], b[1]), applyToPoint(forward, b[0], b[3]), applyToPoint(forward, b[2], b[3])];
    const xs = corners.map((p) => p[0]);
    const ys = corners.map((p) => p[1]);
    const box = [
      clamp(Math.min(...xs), 0, outW),
      clamp(Math.min(...ys), 0, outH),
      clamp(Math.max(...xs), 0, outW),
      clamp(Math.max(...ys), 0, outH),
    ].map(tidy);
    if (isDegenerate(box)) return;
    out.push(box);
    kept.push(idx);
  });
  return { boxes: out, kept };
}

const clamp = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);
/** Rounds away float noise (1e-15) so that exact maps (90° turns, whole-pixel shifts) give exact boxes. */
const tidy = (x: number): number => {
  const r = Math.round(x);
  return Math.abs(x - r) < 1e-9 ? r : x;
};
