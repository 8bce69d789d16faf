import { ErrorCode, NNError } from '@nn/core';

export type Shape = readonly number[];

/** The number of elements of `shape` (a loop: every tensor's construction computes it). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

export const fmt = (shape: Shape): string => `[${shape.join(',')}]`;

/** Row-major strides: the step in the flat buffer for one step along each axis. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/**
 * Strides of `shape` seen from `outShape` under numpy broadcasting: 0 along broadcast axes, leading axes padded.
 * The CPU kernels and the GPU code generator both index broadcast inputs through it.
 */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const n = outShape.length;
  const lead = n - shape.length;
  const out = new Array<number>(n);
  let s = 1;
  for (let i = n - 1; i >= 0; i--) {
    const j = i - lead;
    out[i] = j < 0 || shape[j] === 1 ? 0 : s;
    if (j >= 0) s *= shape[j];
  }
  return out;
}

export function shapeError(op: string, message: string, details: Record<string, unknown> = {}): NNError {
  return new NNError(ErrorCode.ShapeMismatch, `${op}: ${message}`, { op, ...details });
}

export function argError(op: string, message: string, details: Record<string, unknown> = {}): NNError {
  return new NNError(ErrorCode.InvalidArgument, `${op}: ${message}`, { op, ...details });
}

/** numpy broadcasting of two shapes; the error names the op and both shapes. */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw shapeError(op, `shapes ${fmt(a)} and ${fmt(b)} cannot be broadcast (axis ${i - n}: ${da} vs ${db})`, { shapes: [a, b] });
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** A possibly negative axis as a non-negative one; the error names the op, the axis and the rank. */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  // A 0-d tensor takes axis 0 or -1, as in PyTorch.
  const n = Math.max(rank, 1);
  if (!Number.isInteger(axis) || axis < -n || axis >= n) {
    throw argError(op, `axis ${axis} is out of range for a tensor of rank ${rank}`, { axis, rank });
  }
  return axis < 0 ? axis + n : axis;
}

/** Sorted, unique, non-negative axes; `undefined` means all axes. */
export function normalizeAxes(op: string, axis: number | readonly number[] | undefined, rank: number): number[] {
  if (axis === undefined || axis === null) {
    const all = new Array<number>(rank);
    for (let i = 0; i < rank; i++) all[i] = i;
    return all;
  }
  if (typeof axis === 'number') return [normalizeAxis(op, axis, rank)];
  const list: readonly number[] = Array.isArray(axis) ? axis : [...axis];
  const out = list.map((a) => normalizeAxis(op, a, rank)).sort((x, y) => x - y);
  for (let i = 1; i < out.length; i++) {
    if (out[i] === out[i - 1]) throw argError(op, `axes ${JSON.stringify(list)} repeat an axis`, { axis: [...list] });
  }
  return out;
}

export function assertShape(op: string, shape: readonly number[]): void {
  if (!Array.isArray(shape)) throw argError(op, `expected a shape (an array of non-negative integers), got ${shape === null ? 'null' : typeof shape}`, { shape });
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw argError(op, `invalid shape ${fmt(shape)}: dimensions must be non-negative integers`, { shape });
  }
  assertSize(op, shape);
}

/**
 * The most elements one tensor may hold: 2^31 − 1 (8 GiB of float32), past which typed arrays and WebGL
 * textures fail with raw RangeErrors or silently wrap indices. Refused before anything is allocated.
 */
export const MAX_TENSOR_SIZE = 2 ** 31 - 1;

/** Refuses a shape with more than {@link MAX_TENSOR_SIZE} elements, naming the op and the shape. */
export function assertSize(op: string, shape: readonly number[]): void {
  const size = sizeOf(shape);
  if (size > MAX_TENSOR_SIZE) {
    throw new NNError('SIZE_LIMIT', `${op}: shape ${fmt(shape)} has ${size.toExponential(3)} elements, more than the ${MAX_TENSOR_SIZE} one tensor can hold`, { op, shape, size });
  }
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
