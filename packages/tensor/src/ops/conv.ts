import { record } from '../autograd.js';
import type { Backend, PatchGeometry } from '../backend.js';
import { argError, fmt, shapeError } from '../shape.js';
import { Tensor } from '../tensor.js';
import { div } from './elementwise.js';
import { expandDims, gather, pad, reshape, slice, squeeze, transpose } from './layout.js';
import { matmul } from './matmul.js';
import { max, sum } from './reduce.js';
import { commonBackend } from './util.js';

// Convolutions and pooling over channels-last (NHWC / NLC) inputs with Keras' kernel layouts. Every op is
// im2col + GEMM: the patches come from a backend's optional `im2col`/`col2im` kernels where it has them, and
// otherwise from pad + gather, so any backend runs (and differentiates) them; gradients come from the ops used.

/** One size for both spatial axes, or `[height, width]`. */
export type Pair = number | readonly [number, number];

/**
 * Spatial padding of a 2-D op: `'valid'` (none), `'same'` (TensorFlow's rule: output = ceil(in / stride), the
 * odd pixel after), a symmetric amount per side as PyTorch (`p`, or `[ph, pw]`), or `[[top, bottom], [left, right]]`.
 */
export type Padding2d = 'valid' | 'same' | number | readonly [number, number] | readonly [readonly [number, number], readonly [number, number]];

/** Padding of a 1-D op: `'valid'`, `'same'`, `'causal'` (all of it before: output t sees inputs <= t), `p` on each side, or `[before, after]`. */
export type Padding1d = 'valid' | 'same' | 'causal' | number | readonly [number, number];

export interface Conv2dOptions {
  strides?: Pair;
  padding?: Padding2d;
  dilation?: Pair;
  /** Channel groups: input and output channels split into `groups` independent convolutions. */
  groups?: number;
}

export interface Conv1dOptions {
  strides?: number;
  padding?: Padding1d;
  dilation?: number;
  groups?: number;
}

export interface Pool2dOptions {
  /** Window size (default 2). */
  poolSize?: Pair;
  /** Step between windows (default: the pool size, as Keras). */
  strides?: Pair;
  padding?: Padding2d;
}

export interface Pool1dOptions {
  poolSize?: number;
  strides?: number;
  padding?: Padding1d;
}

export interface Conv2dTransposeOptions {
  strides?: Pair;
  /** `'valid'`, `'same'` (output = input · stride, as Keras) or PyTorch's symmetric `p` / `[ph, pw]`. */
  padding?: 'valid' | 'same' | number | readonly [number, number];
  dilation?: Pair;
  /** Extra rows/columns at the end of the output (PyTorch's and Keras' `output_padding`). */
  outputPadding?: Pair;
}

type Side = readonly [number, number];

function pair(op: string, name: string, v: Pair | undefined, fallback: number, min = 1): [number, number] {
  const p = v === undefined ? [fallback, fallback] : typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(p) || p.length !== 2 || !p.every((d) => Number.isInteger(d) && d >= min)) {
    throw argError(op, `${name} must be ${min === 1 ? 'a positive' : 'a non-negative'} integer or a pair of them, got ${JSON.stringify(v)}`, { option: name });
  }
  return [p[0], p[1]];
}

/** Padding [before, after] along one axis of size `n`, for a window of `k` with stride `s` and dilation `d`. */
function axisPadding(op: string, spec: 'valid' | 'same' | 'causal' | Side, n: number, k: number, s: number, d: number): [number, number] {
  const span = d * (k - 1) + 1;
  if (spec === 'valid') return [0, 0];
  if (spec === 'causal') return [span - 1, 0];
  if (spec === 'same') {
    const total = Math.max((Math.ceil(n / s) - 1) * s + span - n, 0);
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  }
  if (!spec.every((p) => Number.isInteger(p) && p >= 0)) throw argError(op, `padding must be non-negative integers, got ${JSON.stringify(spec)}`, { option: 'padding' });
  return [spec[0], spec[1]];
}

/** The padding spec of each spatial axis of a 2-D op. */
function paddings2d(op: string, padding: Padding2d): ['valid' | 'same' | Side, 'valid' | 'same' | Side] {
  if (padding === 'valid' || padding === 'same') return [padding, padding];
  if (typeof padding === 'number') return [[padding, padding], [padding, padding]];
  const parts = padding as readonly unknown[];
  if (Array.isArray(parts) && parts.length === 2) {
    if (parts.every((p) => typeof p === 'number')) return [[parts[0], parts[0]], [parts[1], parts[1]]] as [Side, Side];
    if (parts.every((p) => Array.isArray(p) && p.length === 2)) return [parts[0], parts[1]] as [Side, Side];
  }
  throw argError(op, `padding must be 'valid', 'same', a number, [ph, pw] or [[top, bottom], [left, right]], got ${JSON.stringify(padding)}`, { option: 'padding' });
}

function paddings1d(op: string, padding: Padding1d): 'valid' | 'same' | 'causal' | Side {
  if (padding === 'valid' || padding === 'same' || padding === 'causal') return padding;
  if (typeof padding === 'number') return [padding, padding];
  if (Array.isArray(padding) && padding.length === 2 && padding.every((p) => typeof p === 'number')) return padding as Side;
  throw argError(op, `padding must be 'valid', 'same', 'causal', a number or [before, after], got ${JSON.stringify(padding)}`, { option: 'padding' });
}

interface Window {
  kernel: [number, number];
  strides: [number, number];
  dilation: [number, number];
  /** Per axis: 'valid' | 'same' | 'causal' | [before, after]. */
  padding: ['valid' | 'same' | 'causal' | Side, 'valid' | 'same' | 'causal' | Side];
}

/** Where the windows of `w` lie over an NHWC input; errors name the op and the shapes. */
function geometryOf(op: string, shape: readonly number[], w: Window): PatchGeometry {
  const before: number[] = [];
  const out: number[] = [];
  for (const a of [0, 1]) {
    const n = shape[1 + a];
    const [lo, hi] = axisPadding(op, w.padding[a], n, w.kernel[a], w.strides[a], w.dilation[a]);
    const span = w.dilation[a] * (w.kernel[a] - 1) + 1;
    if (n + lo + hi < span) {
      throw shapeError(op, `the window (${w.kernel.join('x')}, dilation ${w.dilation.join('x')}) is larger than the padded input along axis ${1 + a}: input ${fmt(shape)}, padding [${lo},${hi}]`, { shape });
    }
    before.push(lo);
    out.push(Math.floor((n + lo + hi - span) / w.strides[a]) + 1);
  }
  return { kernel: w.kernel, strides: w.strides, dilation: w.dilation, padBefore: [before[0], before[1]], out: [out[0], out[1]] };
}

function expectRank(op: string, what: string, t: Tensor, rank: number, layout: string): void {
  if (!(t instanceof Tensor)) throw argError(op, `${what} must be a Tensor`);
  if (t.rank !== rank) throw shapeError(op, `${what} must have rank ${rank} (${layout}), got shape ${fmt(t.shape)}`, { shape: t.shape });
}

const indexCache = new Map<string, Int32Array>();

/** Flat indices into the padded `[Hp·Wp]` image of every patch entry, ordered (oy, ox, ky, kx). */
function patchIndices(g: PatchGeometry, wp: number): Int32Array {
  const key = `${g.kernel}|${g.strides}|${g.dilation}|${g.out}|${wp}`;
  let idx = indexCache.get(key);
  if (idx) return idx;
  const [kh, kw] = g.kernel;
  const [oh, ow] = g.out;
  idx = new Int32Array(oh * ow * kh * kw);
  let i = 0;
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox++) {
      for (let ky = 0; ky < kh; ky++) {
        for (let kx = 0; kx < kw; kx++) idx[i++] = (oy * g.strides[0] + ky * g.dilation[0]) * wp + ox * g.strides[1] + kx * g.dilation[1];
      }
    }
  }
  if (indexCache.size > 64) indexCache.clear();
  indexCache.set(key, idx);
  return idx;
}

/** Patches from primitives (pad, reshape, gather): what backends without an `im2col` kernel run. */
export function patchesComposite(x: Tensor, g: PatchGeometry, padValue: number): Tensor {
  const [n, h, w, c] = x.shape;
  const [kh, kw] = g.kernel;
  const [top, left] = g.padBefore;
  // Pad only as far as the last window reaches; rows and columns past it are never read.
  const bottom = Math.max(0, (g.out[0] - 1) * g.strides[0] + (kh - 1) * g.dilation[0] + 1 - top - h);
  const right = Math.max(0, (g.out[1] - 1) * g.strides[1] + (kw - 1) * g.dilation[1] + 1 - left - w);
  const padded = top || bottom || left || right ? pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]], padValue) : x;
  const wp = w + left + right;
  const flat = reshape(padded, [n, (h + top + bottom) * wp, c]);
  return reshape(gather(flat, patchIndices(g, wp), 1), [n, g.out[0], g.out[1], kh * kw * c]);
}

/** `[N, H, W, C]` → `[N, oh, ow, kh·kw·C]`: a backend's im2col kernel where it has one, else the composite. */
function patches(op: string, x: Tensor, g: PatchGeometry, padValue: number): Tensor {
  const backend = commonBackend(op, x);
  if (!backend.im2col || !backend.col2im) return patchesComposite(x, g, padValue);
  const col2im = backend.col2im.bind(backend);
  const shape = [x.shape[0], g.out[0], g.out[1], g.kernel[0] * g.kernel[1] * x.shape[3]];
  return record('im2col', [x], backend, backend.im2col(x.storage, x.shape, g, padValue), shape, (grad) => [
    record('col2im', [], backend, col2im(grad.storage, x.shape, g), x.shape),
  ]);
}

/** The convolution of patches `[N, oh, ow, kh·kw·C]` with a kernel `[kh, kw, C/groups, out]`. */
function convolvePatches(cols: Tensor, kernel: Tensor, groups: number): Tensor {
  const [n, oh, ow, k] = cols.shape;
  const [kh, kw, cg, out] = kernel.shape;
  const m = n * oh * ow;
  if (groups === 1) return reshape(matmul(reshape(cols, [m, k]), reshape(kernel, [k, out])), [n, oh, ow, out]);
  // One batched matmul over the groups: patches [g, M, kh·kw·C/g] times kernels [g, kh·kw·C/g, out/g].
  const a = reshape(transpose(reshape(cols, [m, kh * kw, groups, cg]), [2, 0, 1, 3]), [groups, m, kh * kw * cg]);
  const b = transpose(reshape(kernel, [kh * kw * cg, groups, out / groups]), [1, 0, 2]);
  return reshape(transpose(matmul(a, b), [1, 0, 2]), [n, oh, ow, out]);
}

function conv2dWith(op: string, x: Tensor, kernel: Tensor, strides: [number, number], padding: Window['padding'], dilation: [number, number], groups: number): Tensor {
  const [, , , c] = x.shape;
  const [kh, kw, cg, out] = kernel.shape;
  if (!Number.isInteger(groups) || groups < 1) throw argError(op, `groups must be a positive integer, got ${groups}`, { option: 'groups' });
  if (c % groups !== 0 || out % groups !== 0) {
    throw shapeError(op, `groups ${groups} must divide the input channels (${c}) and the output channels (${out}); x ${fmt(x.shape)}, kernel ${fmt(kernel.shape)}`);
  }
  if (cg * groups !== c) {
    throw shapeError(op, `kernel ${fmt(kernel.shape)} [kh, kw, in/groups, out] takes ${cg * groups} input channels (groups ${groups}), x ${fmt(x.shape)} has ${c}`, { shapes: [x.shape, kernel.shape] });
  }
  const g = geometryOf(op, x.shape, { kernel: [kh, kw], strides, dilation, padding });
  return convolvePatches(patches(op, x, g, 0), kernel, groups);
}

/**
 * 2-D convolution (cross-correlation, as every framework) of `x` `[N, H, W, C]` with `kernel`
 * `[kh, kw, C/groups, out]` (Keras' layout; PyTorch's weight `[out, in/groups, kh, kw]` is its
 * `permute(2, 3, 1, 0)`): `[N, oh, ow, out]`. No bias: add it.
 */
export function conv2d(x: Tensor, kernel: Tensor, { strides, padding = 'valid', dilation, groups = 1 }: Conv2dOptions = {}): Tensor {
  expectRank('conv2d', 'x', x, 4, '[N, H, W, C]');
  expectRank('conv2d', 'kernel', kernel, 4, '[kh, kw, in/groups, out]');
  return conv2dWith('conv2d', x, kernel, pair('conv2d', 'strides', strides, 1), paddings2d('conv2d', padding), pair('conv2d', 'dilation', dilation, 1), groups);
}

/** 1-D convolution of `x` `[N, L, C]` with `kernel` `[k, C/groups, out]`: `[N, ol, out]`. */
export function conv1d(x: Tensor, kernel: Tensor, { strides = 1, padding = 'valid', dilation = 1, groups = 1 }: Conv1dOptions = {}): Tensor {
  expectRank('conv1d', 'x', x, 3, '[N, L, C]');
  expectRank('conv1d', 'kernel', kernel, 3, '[k, in/groups, out]');
  const s = pair('conv1d', 'strides', strides, 1)[0];
  const d = pair('conv1d', 'dilation', dilation, 1)[0];
  const y = conv2dWith('conv1d', expandDims(x, 1), expandDims(kernel, 0), [1, s], ['valid', paddings1d('conv1d', padding)], [1, d], groups);
  return squeeze(y, 1);
}

/**
 * Depthwise 2-D convolution: each input channel convolved with its own `depthMultiplier` filters.
 * `kernel` is Keras' `[kh, kw, C, depthMultiplier]`; output channel `c·depthMultiplier + m`.
 */
export function depthwiseConv2d(x: Tensor, kernel: Tensor, { strides, padding = 'valid', dilation }: Omit<Conv2dOptions, 'groups'> = {}): Tensor {
  expectRank('depthwiseConv2d', 'x', x, 4, '[N, H, W, C]');
  expectRank('depthwiseConv2d', 'kernel', kernel, 4, '[kh, kw, C, depthMultiplier]');
  const [kh, kw, c, dm] = kernel.shape;
  if (c !== x.shape[3]) throw shapeError('depthwiseConv2d', `kernel ${fmt(kernel.shape)} [kh, kw, C, depthMultiplier] is for ${c} channels, x ${fmt(x.shape)} has ${x.shape[3]}`);
  // Channel c's filters are output channels c·dm … c·dm + dm − 1: a grouped convolution with one channel per group.
  return conv2dWith('depthwiseConv2d', x, reshape(kernel, [kh, kw, 1, c * dm]), pair('depthwiseConv2d', 'strides', strides, 1), paddings2d('depthwiseConv2d', padding), pair('depthwiseConv2d', 'dilation', dilation, 1), c);
}

/** Pads (positive) or crops (negative) the two spatial axes of an NHWC tensor. */
function padOrCrop(x: Tensor, sides: [number, number][]): Tensor {
  const padded = pad(x, [[0, 0], ...sides.map(([a, b]) => [Math.max(a, 0), Math.max(b, 0)] as [number, number]), [0, 0]]);
  if (sides.every(([a, b]) => a >= 0 && b >= 0)) return padded;
  const begin = [0, ...sides.map(([a]) => Math.max(-a, 0)), 0];
  const size = padded.shape.map((d, i) => (i === 1 || i === 2 ? d - Math.max(-sides[i - 1][0], 0) - Math.max(-sides[i - 1][1], 0) : d));
  return slice(padded, begin, size);
}

/**
 * Transposed 2-D convolution (the gradient of conv2d with respect to its input; "deconvolution"): `x`
 * `[N, H, W, in]`, `kernel` in Keras' layout `[kh, kw, out, in]`. Output size per axis:
 * `(H − 1)·stride + dilation·(k − 1) + 1 − 2·padding + outputPadding`; `'same'` gives `H·stride`.
 */
export function conv2dTranspose(x: Tensor, kernel: Tensor, { strides, padding = 'valid', dilation, outputPadding }: Conv2dTransposeOptions = {}): Tensor {
  const op = 'conv2dTranspose';
  expectRank(op, 'x', x, 4, '[N, H, W, in]');
  expectRank(op, 'kernel', kernel, 4, '[kh, kw, out, in]');
  const [kh, kw, , cin] = kernel.shape;
  if (cin !== x.shape[3]) throw shapeError(op, `kernel ${fmt(kernel.shape)} [kh, kw, out, in] takes ${cin} input channels, x ${fmt(x.shape)} has ${x.shape[3]}`);
  const s = pair(op, 'strides', strides, 1);
  const d = pair(op, 'dilation', dilation, 1);
  const extra = outputPadding === undefined ? undefined : pair(op, 'outputPadding', outputPadding, 0, 0);
  const spec = padding === 'valid' || padding === 'same' ? [padding, padding] : paddings2d(op, padding);
  const sides: [number, number][] = [0, 1].map((a) => {
    const k = [kh, kw][a];
    const span = d[a] * (k - 1) + 1;
    // [top, bottom] of the convolution this op is the transpose of, and the extra output at the end.
    let lo: number, hi: number, more: number;
    const pa = spec[a];
    if (pa === 'valid') [lo, hi, more] = [0, 0, extra?.[a] ?? Math.max(s[a] - span, 0)];
    else if (pa === 'same' && extra === undefined) {
      const total = Math.max(span - s[a], 0);
      [lo, hi, more] = [Math.floor(total / 2), total - Math.floor(total / 2), Math.max(s[a] - span, 0)];
    } else if (pa === 'same') [lo, hi, more] = [Math.floor(span / 2), Math.floor(span / 2), extra![a]];
    else {
      if (!(pa as Side).every((p) => Number.isInteger(p) && p >= 0)) throw argError(op, `padding must be non-negative integers, got ${JSON.stringify(padding)}`, { option: 'padding' });
      [lo, hi, more] = [(pa as Side)[0], (pa as Side)[1], extra?.[a] ?? 0];
    }
    if (extra && extra[a] >= Math.max(s[a], d[a])) throw argError(op, `outputPadding ${extra[a]} must be smaller than the stride or the dilation (${s[a]}, ${d[a]})`, { option: 'outputPadding' });
    // The zero-stuffed input is H·s long (s − 1 zeros after the last row): full padding span − 1 minus the conv's.
    return [span - 1 - lo, span - 1 - hi + more - (s[a] - 1)];
  });
  const [n, h, w, c] = x.shape;
  const stuffed = s[0] === 1 && s[1] === 1 ? x : reshape(pad(reshape(x, [n, h, 1, w, 1, c]), [[0, 0], [0, 0], [0, s[0] - 1], [0, 0], [0, s[1] - 1], [0, 0]]), [n, h * s[0], w * s[1], c]);
  const input = padOrCrop(stuffed, sides);
  if (input.shape[1] < d[0] * (kh - 1) + 1 || input.shape[2] < d[1] * (kw - 1) + 1) {
    throw shapeError(op, `padding ${JSON.stringify(padding)} leaves no output for x ${fmt(x.shape)} and kernel ${fmt(kernel.shape)}`);
  }
  // Flipped spatially, with in/out swapped: [kh, kw, in, out].
  const flipped = gather(gather(kernel, reversed(kh), 0), reversed(kw), 1);
  return conv2dWith(op, input, transpose(flipped, [0, 1, 3, 2]), [1, 1], ['valid', 'valid'], d, 1);
}

const reversed = (n: number): number[] => Array.from({ length: n }, (_, i) => n - 1 - i);

function poolGeometry(op: string, x: Tensor, { poolSize, strides, padding = 'valid' }: Pool2dOptions): PatchGeometry {
  expectRank(op, 'x', x, 4, '[N, H, W, C]');
  const k = pair(op, 'poolSize', poolSize, 2);
  return geometryOf(op, x.shape, { kernel: k, strides: strides === undefined ? k : pair(op, 'strides', strides, 1), dilation: [1, 1], padding: paddings2d(op, padding) });
}

/** The windows of `x` `[N, H, W, C]` as `[N, oh, ow, kh·kw, C]`. */
function windows(op: string, x: Tensor, g: PatchGeometry, padValue: number): Tensor {
  const [n, , , c] = x.shape;
  return reshape(patches(op, x, g, padValue), [n, g.out[0], g.out[1], g.kernel[0] * g.kernel[1], c]);
}

// Padding reads as the lowest float32, not -Infinity: it never wins against a finite value, and every backend
// passes it to kernels as an ordinary number (a shader uniform of -Infinity is not portable).
const LOWEST = -3.4028234663852886e38;
const maxPoolWith = (op: string, x: Tensor, g: PatchGeometry): Tensor => max(windows(op, x, g, LOWEST), 3);
const avgPoolWith = (op: string, x: Tensor, g: PatchGeometry): Tensor => div(sum(windows(op, x, g, 0), 3), windowCounts(x.backend, g, x.shape[1], x.shape[2]));

/** Max over each window of `x` `[N, H, W, C]`; padding never wins. The gradient is split between tied maxima. */
export const maxPool2d = (x: Tensor, options: Pool2dOptions = {}): Tensor => maxPoolWith('maxPool2d', x, poolGeometry('maxPool2d', x, options));

/** Mean over each window of `x` `[N, H, W, C]`, counting only positions inside the image (padding excluded). */
export const avgPool2d = (x: Tensor, options: Pool2dOptions = {}): Tensor => avgPoolWith('avgPool2d', x, poolGeometry('avgPool2d', x, options));

/** How many positions of each window `[oh, ow, 1]` lie inside an `h` x `w` image. */
function windowCounts(backend: Backend, g: PatchGeometry, h: number, w: number): Tensor {
  const inside = (o: number, a: number, n: number) => {
    let count = 0;
    for (let k = 0; k < g.kernel[a]; k++) {
      const i = o * g.strides[a] + k * g.dilation[a] - g.padBefore[a];
      if (i >= 0 && i < n) count++;
    }
    return count;
  };
  const counts = new Float32Array(g.out[0] * g.out[1]);
  for (let oy = 0; oy < g.out[0]; oy++) for (let ox = 0; ox < g.out[1]; ox++) counts[oy * g.out[1] + ox] = inside(oy, 0, h) * inside(ox, 1, w);
  return new Tensor(backend, backend.upload(counts), [g.out[0], g.out[1], 1]);
}

function pool1d(op: string, poolWith: typeof maxPoolWith, x: Tensor, { poolSize, strides, padding = 'valid' }: Pool1dOptions): Tensor {
  expectRank(op, 'x', x, 3, '[N, L, C]');
  const k = pair(op, 'poolSize', poolSize, 2)[0];
  const s = strides === undefined ? k : pair(op, 'strides', strides, 1)[0];
  const x4 = expandDims(x, 1);
  const g = geometryOf(op, x4.shape, { kernel: [1, k], strides: [1, s], dilation: [1, 1], padding: ['valid', paddings1d(op, padding)] });
  return squeeze(poolWith(op, x4, g), 1);
}

/** Max over windows of `x` `[N, L, C]` along the steps. */
export const maxPool1d = (x: Tensor, options: Pool1dOptions = {}): Tensor => pool1d('maxPool1d', maxPoolWith, x, options);
/** Mean over windows of `x` `[N, L, C]` along the steps, padding excluded from the count. */
export const avgPool1d = (x: Tensor, options: Pool1dOptions = {}): Tensor => pool1d('avgPool1d', avgPoolWith, x, options);
