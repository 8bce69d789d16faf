import { getBackend } from '../backend.js';
import { globalGenerator, type Generator } from '../rng.js';
import { argError, assertShape, fmt, sizeOf } from '../shape.js';
import { fromValues, Tensor, type DType, type NestedArray } from '../tensor.js';

/**
 * A tensor from nested arrays, a flat array or a Float32Array (with `shape`, or inferred from the nesting).
 * Ragged nesting and a shape that does not match the data are errors.
 */
export function tensor(data: NestedArray | readonly number[] | ArrayLike<number>, shape?: readonly number[], dtype: DType = 'float32'): Tensor {
  let flat: Float32Array;
  let inferred: number[];
  if (typeof data === 'number') {
    flat = Float32Array.of(data);
    inferred = [];
  } else if (ArrayBuffer.isView(data)) {
    // One copy (a memcpy for Float32Array): the tensor must not change when the caller's array does.
    flat = data instanceof Float32Array ? data.slice() : Float32Array.from(data as ArrayLike<number>);
    inferred = [flat.length];
  } else if (Array.isArray(data)) {
    inferred = [];
    for (let level: unknown = data; Array.isArray(level); level = level[0]) inferred.push(level.length);
    const values: number[] = [];
    const walk = (v: unknown, depth: number, path: number[]) => {
      if (depth === inferred.length) {
        if (typeof v !== 'number' && typeof v !== 'boolean') throw argError('tensor', `entry at [${path.join(',')}] is ${Array.isArray(v) ? 'an array' : typeof v}, expected a number`);
        values.push(Number(v));
        return;
      }
      if (!Array.isArray(v) || v.length !== inferred[depth]) throw argError('tensor', `ragged nested array: entry at [${path.join(',')}] should have length ${inferred[depth]}`);
      v.forEach((u, i) => walk(u, depth + 1, [...path, i]));
    };
    walk(data, 0, []);
    flat = Float32Array.from(values);
  } else {
    throw argError('tensor', `cannot make a tensor from ${data === null ? 'null' : typeof data}`);
  }
  if (shape) {
    assertShape('tensor', shape);
    if (sizeOf(shape) !== flat.length) throw argError('tensor', `shape ${fmt(shape)} needs ${sizeOf(shape)} values, got ${flat.length}`);
    return fromValues(flat, shape, dtype);
  }
  return fromValues(flat, inferred, dtype);
}

/** A 0-d tensor. */
export const scalar = (value: number): Tensor => tensor(value);

/** A tensor of `shape` filled with `value`. */
export function full(shape: readonly number[], value: number, dtype: DType = 'float32'): Tensor {
  assertShape('full', shape);
  const backend = getBackend();
  return new Tensor(backend, backend.fill(sizeOf(shape), value), shape, dtype);
}

export const zeros = (shape: readonly number[]): Tensor => full(shape, 0);
export const ones = (shape: readonly number[]): Tensor => full(shape, 1);
/** Zeros of `x`'s shape on `x`'s backend (PyTorch's zeros_like keeps the device), whatever the current backend. */
export const zerosLike = (x: Tensor): Tensor => new Tensor(x.backend, x.backend.fill(x.size, 0), x.shape);
/** Ones of `x`'s shape on `x`'s backend. */
export const onesLike = (x: Tensor): Tensor => new Tensor(x.backend, x.backend.fill(x.size, 1), x.shape);

/** 0, 1, …, n−1 (or start, start+step, … below stop). */
export function arange(start: number, stop?: number, step = 1): Tensor {
  if (stop === undefined) [start, stop] = [0, start];
  if (step === 0 || !Number.isFinite(step)) throw argError('arange', `step must be finite and nonzero, got ${step}`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  return fromValues(Float32Array.from({ length: n }, (_, i) => start + i * step), [n]);
}

/** `num` evenly spaced values from start to stop inclusive. */
export function linspace(start: number, stop: number, num: number): Tensor {
  if (!Number.isInteger(num) || num < 0) throw argError('linspace', `num must be a non-negative integer, got ${num}`);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  return fromValues(Float32Array.from({ length: num }, (_, i) => (i === num - 1 && num > 1 ? stop : start + i * step)), [num]);
}

/** The n x n identity. */
export function eye(n: number): Tensor {
  assertShape('eye', [n]);
  const values = new Float32Array(n * n);
  for (let i = 0; i < n; i++) values[i * n + i] = 1;
  return fromValues(values, [n, n]);
}

export interface RandomOptions {
  /** The stream to draw from; the global one (see `setSeed`) by default. */
  generator?: Generator;
}

function draw(op: string, shape: readonly number[], sample: (g: Generator) => number, generator: Generator = globalGenerator, dtype: DType = 'float32'): Tensor {
  assertShape(op, shape);
  const n = sizeOf(shape);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = sample(generator);
  return fromValues(values, shape, dtype);
}

/** The largest float32 below `x`. */
function float32Below(x: number): number {
  const f = Float32Array.of(x);
  if (f[0] < x) return f[0];
  const bits = new Int32Array(f.buffer);
  if (f[0] === 0) bits[0] = 0x80000001;
  else bits[0] += f[0] > 0 ? -1 : 1;
  return f[0];
}

/** Uniform on [low, high). */
export function rand(shape: readonly number[], { low = 0, high = 1, generator }: RandomOptions & { low?: number; high?: number } = {}): Tensor {
  if (!(high >= low)) throw argError('rand', `high (${high}) must be >= low (${low})`);
  // A draw within half a float32 ulp of high would round up to it: keep the interval half-open.
  const top = high > low ? float32Below(high) : low;
  return draw('rand', shape, (g) => {
    const v = low + (high - low) * g.uniform();
    return Math.fround(v) >= high ? top : v;
  }, generator);
}

/** Normal with the given mean and standard deviation. */
export function randn(shape: readonly number[], { mean = 0, std = 1, generator }: RandomOptions & { mean?: number; std?: number } = {}): Tensor {
  if (!(std >= 0)) throw argError('randn', `std must be >= 0, got ${std}`);
  return draw('randn', shape, (g) => mean + std * g.normal(), generator);
}

/** Normal redrawn until within two standard deviations of the mean (Keras' and tf's truncated normal). */
export function truncatedNormal(shape: readonly number[], { mean = 0, std = 1, generator }: RandomOptions & { mean?: number; std?: number } = {}): Tensor {
  if (!(std >= 0)) throw argError('truncatedNormal', `std must be >= 0, got ${std}`);
  return draw('truncatedNormal', shape, (g) => {
    let z = g.normal();
    while (Math.abs(z) > 2) z = g.normal();
    return mean + std * z;
  }, generator);
}

/** Integers uniform on [low, high). */
export function randint(shape: readonly number[], low: number, high: number, { generator }: RandomOptions = {}): Tensor {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) throw argError('randint', `needs integers low < high, got ${low}, ${high}`);
  return draw('randint', shape, (g) => low + g.int(high - low), generator, 'int32');
}

/** A random permutation of 0..n−1 (for shuffling rows with `gather`). */
export function shuffle(n: number, { generator = globalGenerator }: RandomOptions = {}): Tensor {
  assertShape('shuffle', [n]);
  return fromValues(Float32Array.from(generator.permutation(n)), [n], 'int32');
}
