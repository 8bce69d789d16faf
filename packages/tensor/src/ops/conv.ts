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

/** One size for every spatial axis, or one per axis (`[height, width]`; 1-D ops take a number). */
export type Pair = number | readonly [number, number];

/**
 * Spatial padding: `'valid'` (none), `'same'` (TensorFlow's rule: output = ceil(in / stride), the odd pixel
 * after), a symmetric amount per side as PyTorch (`p`; in 2-D also `[ph, pw]`), or explicit sides: in 1-D
 * `[before, after]`, in 2-D `[[top, bottom], [left, right]]`. 1-D ops also take `'causal'` (all of it before:
 * output t sees inputs <= t).
 */
export type Padding = 'valid' | 'same' | 'causal' | number | readonly [number, number] | readonly [readonly [number, number], readonly [number, number]];

export interface ConvolutionOptions {
  strides?: Pair;
  padding?: Padding;
  dilation?: Pair;
  /** Channel groups: input and output channels split into `groups` independent convolutions. */
  groups?: number;
}

export interface PoolOptions {
  /** Window size (default 2). */
  poolSize?: Pair;
  /** Step between windows (default: the pool size, as Keras). */
  strides?: Pair;
  padding?: Padding;
}

export interface TransposedConvolutionOptions {
  strides?: Pair;
  /** `'valid'`, `'same'` (output = input · stride, as Keras) or PyTorch's symmetric `p` (2-D: also `[ph, pw]`). */
  padding?: 'valid' | 'same' | number | readonly [number, number];
  dilation?: Pair;
  /** Extra positions at the end of the output (PyTorch's and Keras' `output_padding`). */
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
function paddings2d(op: string, padding: Padding): ['valid' | 'same' | Side, 'valid' | 'same' | Side] {
  if (padding === 'valid' || padding === 'same') return [padding, padding];
  if (padding === 'causal') throw argError(op, `padding 'causal' is for 1-D inputs [N, L, C]`, { option: 'padding' });
  if (typeof padding === 'number') return [[padding, padding], [padding, padding]];
  const parts = padding as readonly unknown[];
  if (Array.isArray(parts) && parts.length === 2) {
    if (parts.every((p) => typeof p === 'number')) return [[parts[0], parts[0]], [parts[1], parts[1]]] as [Side, Side];
    if (parts.every((p) => Array.isArray(p) && p.length === 2)) return [parts[0], parts[1]] as [Side, Side];
  }
  throw argError(op, `padding must be 'valid', 'same', a number, [ph, pw] or [[top, bottom], [left, right]], got ${JSON.stringify(padding)}`, { option: 'padding' });
}

function paddings1d(op: string, padding: Padding): 'valid' | 'same' | 'causal' | Side {
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

/** Whether `x` is a 1-D (`[N, L, C]`) or a 2-D (`[N, H, W, C]`) input; other ranks are refused. */
function isOneD(op: string, x: Tensor): boolean {
  if (!(x instanceof Tensor)) throw argError(op, 'x must be a Tensor');
  if (x.rank !== 3 && x.rank !== 4) throw shapeError(op, `x must have rank 3 ([N, L, C]) or 4 ([N, H, W, C]), got shape ${fmt(x.shape)}`, { shape: x.shape });
  return x.rank === 3;
}

/** A size option as the 2-D ops take it: a 1-D op's number becomes [1, n] (its input is one row). */
function sizes(op: string, name: string, v: Pair | undefined, fallback: number, oneD: boolean, min = 1): [number, number] {
  if (!oneD) return pair(op, name, v, fallback, min);
  if (v !== undefined && typeof v !== 'number') throw argError(op, `${name} of a 1-D op must be a number, got ${JSON.stringify(v)}`, { option: name });
  return [min === 0 ? 0 : 1, pair(op, name, v, fallback, min)[1]];
}

const spatialPadding = (op: string, padding: Padding, oneD: boolean): Window['padding'] => (oneD ? ['valid', paddings1d(op, padding)] : paddings2d(op, padding));

/**
 * Convolution (cross-correlation, as every framework) over channels-last inputs: 2-D `x` `[N, H, W, C]` with
 * `kernel` `[kh, kw, C/groups, out]` gives `[N, oh, ow, out]`; 1-D `x` `[N, L, C]` with `[k, C/groups, out]`
 * gives `[N, ol, out]`. Kernels are in Keras' layout: PyTorch's weight `[out, in/groups, kh, kw]` is the
 * kernel's `permute(2, 3, 1, 0)`. No bias: add it.
 */
export function convolution(x: Tensor, kernel: Tensor, { strides, padding = 'valid', dilation, groups = 1 }: ConvolutionOptions = {}): Tensor {
  const op = 'convolution';
  const oneD = isOneD(op, x);
  expectRank(op, 'kernel', kernel, x.rank, oneD ? '[k, in/groups, out]' : '[kh, kw, in/groups, out]');
  const y = conv2dWith(op, oneD ? expandDims(x, 1) : x, oneD ? expandDims(kernel, 0) : kernel, sizes(op, 'strides', strides, 1, oneD), spatialPadding(op, padding, oneD), sizes(op, 'dilation', dilation, 1, oneD), groups);
  return oneD ? squeeze(y, 1) : y;
}

/**
 * Depthwise convolution: each input channel convolved with its own `depthMultiplier` filters. `kernel` is
 * Keras' `[kh, kw, C, depthMultiplier]` (1-D: `[k, C, depthMultiplier]`); output channel `c·depthMultiplier + m`.
 */
export function depthwiseConvolution(x: Tensor, kernel: Tensor, { strides, padding = 'valid', dilation }: Omit<ConvolutionOptions, 'groups'> = {}): Tensor {
  const op = 'depthwiseConvolution';
  const oneD = isOneD(op, x);
  expectRank(op, 'kernel', kernel, x.rank, oneD ? '[k, C, depthMultiplier]' : '[kh, kw, C, depthMultiplier]');
  const k4 = oneD ? expandDims(kernel, 0) : kernel;
  const [kh, kw, c, dm] = k4.shape;
  if (c !== x.shape[x.rank - 1]) throw shapeError(op, `kernel ${fmt(kernel.shape)} is for ${c} channels, x ${fmt(x.shape)} has ${x.shape[x.rank - 1]}`);
  // Channel c's filters are output channels c·dm … c·dm + dm − 1: a grouped convolution with one channel per group.
  const y = conv2dWith(op, oneD ? expandDims(x, 1) : x, reshape(k4, [kh, kw, 1, c * dm]), sizes(op, 'strides', strides, 1, oneD), spatialPadding(op, padding, oneD), sizes(op, 'dilation', dilation, 1, oneD), c);
  return oneD ? squeeze(y, 1) : y;
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
 * Transposed convolution (the gradient of `convolution` with respect to its input; "deconvolution"): 2-D `x`
 * `[N, H, W, in]` with `kernel` in Keras' layout `[kh, kw, out, in]`, or 1-D `[N, L, in]` with `[k, out, in]`.
 * Output size per axis: `(H − 1)·stride + dilation·(k − 1) + 1 − 2·padding + outputPadding`; `'same'` gives
 * `H·stride`, `'valid'` `H·stride + max(k − stride, 0)` (Keras').
 */
export function transposedConvolution(x: Tensor, kernel: Tensor, options: TransposedConvolutionOptions = {}): Tensor {
  const op = 'transposedConvolution';
  const oneD = isOneD(op, x);
  expectRank(op, 'kernel', kernel, x.rank, oneD ? '[k, out, in]' : '[kh, kw, out, in]');
  const { strides, padding = 'valid', dilation, outputPadding } = options;
  if (oneD && typeof padding !== 'number' && padding !== 'valid' && padding !== 'same') throw argError(op, `padding of a 1-D op must be 'valid', 'same' or a number, got ${JSON.stringify(padding)}`, { option: 'padding' });
  const y = transposed2d(op, oneD ? expandDims(x, 1) : x, oneD ? expandDims(kernel, 0) : kernel, {
    strides: sizes(op, 'strides', strides, 1, oneD),
    padding: oneD && typeof padding === 'number' ? [0, padding] : padding,
    dilation: sizes(op, 'dilation', dilation, 1, oneD),
    outputPadding: outputPadding === undefined ? undefined : sizes(op, 'outputPadding', outputPadding, 0, oneD, 0),
  });
  return oneD ? squeeze(y, 1) : y;
}

/** Padding (negative: cropping) of the zero-stuffed `[N, H·s, W·s, C]` input that turns a transposed convolution into a plain one. */
function transposedSides(op: string, kernel: readonly number[], { strides, padding = 'valid', dilation, outputPadding }: TransposedConvolutionOptions): { sides: [number, number][]; s: [number, number]; d: [number, number] } {
  const s = pair(op, 'strides', strides, 1);
  const d = pair(op, 'dilation', dilation, 1);
  const extra = outputPadding === undefined ? undefined : pair(op, 'outputPadding', outputPadding, 0, 0);
  const spec = padding === 'valid' || padding === 'same' ? [padding, padding] : paddings2d(op, padding);
  const sides = [0, 1].map((a): [number, number] => {
    const span = d[a] * (kernel[a] - 1) + 1;
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
  return { sides, s, d };
}

function transposed2d(op: string, x: Tensor, kernel: Tensor, options: TransposedConvolutionOptions): Tensor {
  const [kh, kw, , cin] = kernel.shape;
  if (cin !== x.shape[3]) throw shapeError(op, `kernel ${fmt(kernel.shape)} [kh, kw, out, in] takes ${cin} input channels, x ${fmt(x.shape)} has ${x.shape[3]}`);
  const { sides, s, d } = transposedSides(op, [kh, kw], options);
  const [n, h, w, c] = x.shape;
  const stuffed = s[0] === 1 && s[1] === 1 ? x : reshape(pad(reshape(x, [n, h, 1, w, 1, c]), [[0, 0], [0, 0], [0, s[0] - 1], [0, 0], [0, s[1] - 1], [0, 0]]), [n, h * s[0], w * s[1], c]);
  const input = padOrCrop(stuffed, sides);
  if (input.shape[1] < d[0] * (kh - 1) + 1 || input.shape[2] < d[1] * (kw - 1) + 1) {
    throw shapeError(op, `padding ${JSON.stringify(options.padding)} leaves no output for x ${fmt(x.shape)} and kernel ${fmt(kernel.shape)}`);
  }
  // Flipped spatially, with in/out swapped: [kh, kw, in, out].
  const flipped = gather(gather(kernel, reversed(kh), 0), reversed(kw), 1);
  return conv2dWith(op, input, transpose(flipped, [0, 1, 3, 2]), [1, 1], ['valid', 'valid'], d, 1);
}

/** A window's extent: its size, strides, dilation and padding, as the ops take them. */
export interface WindowOptions extends Omit<ConvolutionOptions, 'groups'> {
  kernelSize: Pair;
}

/**
 * The spatial output size of {@link convolution} (and of pooling, with `kernelSize` the pool size and
 * `strides` given) over an input of spatial size `input` (`[L]` or `[H, W]`), computed as the ops compute it,
 * so a layer can report shapes before it runs. `op` names the caller in errors.
 */
export function convolutionOutputSize(input: readonly number[], { kernelSize, strides, dilation, padding = 'valid' }: WindowOptions, op = 'convolution'): number[] {
  const oneD = input.length === 1;
  const g = geometryOf(op, oneD ? [1, 1, input[0], 1] : [1, input[0], input[1], 1], {
    kernel: sizes(op, 'kernelSize', kernelSize, 1, oneD),
    strides: sizes(op, 'strides', strides, 1, oneD),
    dilation: sizes(op, 'dilation', dilation, 1, oneD),
    padding: spatialPadding(op, padding, oneD),
  });
  return oneD ? [g.out[1]] : [...g.out];
}

/** The spatial output size of {@link transposedConvolution} over an input of spatial size `input`. */
export function transposedConvolutionOutputSize(input: readonly number[], { kernelSize, ...options }: TransposedConvolutionOptions & { kernelSize: Pair }, op = 'transposedConvolution'): number[] {
  const oneD = input.length === 1;
  const k = sizes(op, 'kernelSize', kernelSize, 1, oneD);
  const { sides, s, d } = transposedSides(op, k, {
    ...options,
    strides: sizes(op, 'strides', options.strides, 1, oneD),
    dilation: sizes(op, 'dilation', options.dilation, 1, oneD),
    padding: oneD && typeof options.padding === 'number' ? [0, options.padding] : options.padding,
    outputPadding: options.outputPadding === undefined ? undefined : sizes(op, 'outputPadding', options.outputPadding, 0, oneD, 0),
  });
  const out = (oneD ? [1, input[0]] : input).map((n, a) => n * s[a] + sides[a][0] + sides[a][1] - d[a] * (k[a] - 1));
  return oneD ? [out[1]] : out;
}

const reversed = (n: number): number[] => Array.from({ length: n }, (_, i) => n - 1 - i);

/** The windows of `x` `[N, H, W, C]` as `[N, oh, ow, kh·kw, C]`. */
function windows(op: string, x: Tensor, g: PatchGeometry, padValue: number): Tensor {
  const [n, , , c] = x.shape;
  return reshape(patches(op, x, g, padValue), [n, g.out[0], g.out[1], g.kernel[0] * g.kernel[1], c]);
}

// Padding reads as the lowest float32, not -Infinity: it never wins against a finite value, and every backend
// passes it to kernels as an ordinary number (a shader uniform of -Infinity is not portable).
const LOWEST = -3.4028234663852886e38;

function pool(op: string, x: Tensor, { poolSize, strides, padding = 'valid' }: PoolOptions, reduce: (x4: Tensor, g: PatchGeometry) => Tensor): Tensor {
  const oneD = isOneD(op, x);
  const k = sizes(op, 'poolSize', poolSize, 2, oneD);
  const x4 = oneD ? expandDims(x, 1) : x;
  const g = geometryOf(op, x4.shape, { kernel: k, strides: strides === undefined ? k : sizes(op, 'strides', strides, 1, oneD), dilation: [1, 1], padding: spatialPadding(op, padding, oneD) });
  const y = reduce(x4, g);
  return oneD ? squeeze(y, 1) : y;
}

/**
 * Max over each window of `x` (`[N, H, W, C]`, or `[N, L, C]` along the steps); padding never wins. The
 * gradient is split evenly between tied maxima (PyTorch's `amax` rule).
 */
export const maxPool = (x: Tensor, options: PoolOptions = {}): Tensor => pool('maxPool', x, options, (x4, g) => max(windows('maxPool', x4, g, LOWEST), 3));

/** Mean over each window of `x` (`[N, H, W, C]` or `[N, L, C]`), counting only positions inside the input (padding excluded). */
export const avgPool = (x: Tensor, options: PoolOptions = {}): Tensor =>
  pool('avgPool', x, options, (x4, g) => div(sum(windows('avgPool', x4, g, 0), 3), windowCounts(x4.backend, g, x4.shape[1], x4.shape[2])));

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

