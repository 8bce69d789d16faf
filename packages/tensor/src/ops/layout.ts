import { record } from '../autograd.js';
import { argError, assertShape, broadcastShapes, fmt, normalizeAxis, sameShape, shapeError, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { commonBackend, expectTensor } from './util.js';
import { sumToShape } from './reduce.js';

/** The same values in a new shape (one dimension may be -1, inferred). Shares storage; no copy. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  expectTensor('reshape', x);
  // Its own shape (the gradient code's common case) needs no checks.
  if (Array.isArray(shape) && sameShape(shape, x.shape)) return x;
  const inferred = inferShape(x, shape);
  if (inferred.length === x.rank && inferred.every((d, i) => d === x.shape[i])) return x;
  return record('reshape', [x], x.backend, null, inferred, (g) => [reshape(g, x.shape)], x.dtype, x);
}

function inferShape(x: Tensor, shape: readonly number[]): number[] {
  const unknown = shape.filter((d) => d === -1).length;
  if (unknown > 1) throw argError('reshape', `only one dimension may be -1, got ${fmt(shape)}`);
  const known = shape.filter((d) => d !== -1);
  assertShape('reshape', known);
  const knownSize = sizeOf(known);
  if (unknown) {
    if (knownSize === 0 || x.size % knownSize !== 0) throw shapeError('reshape', `cannot reshape ${fmt(x.shape)} (size ${x.size}) to ${fmt(shape)}`);
    return shape.map((d) => (d === -1 ? x.size / knownSize : d));
  }
  if (knownSize !== x.size) throw shapeError('reshape', `cannot reshape ${fmt(x.shape)} (size ${x.size}) to ${fmt(shape)} (size ${knownSize})`);
  return [...shape];
}

/** The same values, cut from the graph: no gradient flows through it. Shares storage. */
export const detach = (x: Tensor): Tensor => new Tensor(x.backend, null, x.shape, x.dtype, x);

/**
 * A copy with its own storage (and a gradient that flows through), made by the backend's `slice` kernel: a
 * device backend copies on the device (a snapshot of the weights, `getWeights()`), without a round trip.
 */
export function clone(x: Tensor): Tensor {
  expectTensor('clone', x);
  const backend = commonBackend('clone', x);
  return record('clone', [x], backend, backend.slice(x.storage, [x.size], [0], [x.size]), x.shape, (g) => [g], x.dtype);
}

/** Inserts a size-1 axis at `axis`. */
export function expandDims(x: Tensor, axis: number): Tensor {
  expectTensor('expandDims', x);
  const ax = normalizeAxis('expandDims', axis, x.rank + 1);
  return reshape(x, [...x.shape.slice(0, ax), 1, ...x.shape.slice(ax)]);
}

/** Removes size-1 axes (all of them, or those listed). */
export function squeeze(x: Tensor, axis?: number | number[]): Tensor {
  expectTensor('squeeze', x);
  const axes = axis === undefined ? x.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : (typeof axis === 'number' ? [axis] : axis).map((a) => normalizeAxis('squeeze', a, x.rank));
  // A 0-d tensor squeezes to itself along its axis 0 / -1, as in PyTorch.
  for (const a of axes) if (x.rank > 0 && x.shape[a] !== 1) throw shapeError('squeeze', `axis ${a} has size ${x.shape[a]}, not 1 (shape ${fmt(x.shape)})`);
  return reshape(x, x.shape.filter((_, i) => !axes.includes(i)));
}

/** Repeats size-1 (and missing leading) axes up to `shape`, numpy style. */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  expectTensor('broadcastTo', x);
  const target = broadcastShapes('broadcastTo', x.shape, shape);
  if (!sameShape(target, shape)) throw shapeError('broadcastTo', `cannot broadcast ${fmt(x.shape)} to ${fmt(shape)}`);
  if (sameShape(target, x.shape)) return x;
  const backend = commonBackend('broadcastTo', x);
  const zeros = backend.fill(sizeOf(shape), 0);
  const storage = backend.binary('add', x.storage, x.shape, zeros, shape, shape);
  backend.release(zeros);
  return record('broadcastTo', [x], backend, storage, shape, (g) => [sumToShape(g, x.shape)], x.dtype);
}

/** Reorders axes (`perm` defaults to reversing them, so a matrix is transposed). */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  expectTensor('transpose', x);
  const p = perm ? perm.map((a) => normalizeAxis('transpose', a, x.rank)) : x.shape.map((_, i) => x.rank - 1 - i);
  if (p.length !== x.rank || new Set(p).size !== x.rank) throw argError('transpose', `perm ${JSON.stringify(perm)} is not a permutation of the ${x.rank} axes of ${fmt(x.shape)}`);
  if (p.every((a, i) => a === i)) return x;
  const backend = commonBackend('transpose', x);
  const inverse = p.map((_, i) => p.indexOf(i));
  return record('transpose', [x], backend, backend.transpose(x.storage, x.shape, p), p.map((a) => x.shape[a]), (g) => [transpose(g, inverse)], x.dtype);
}

/** PyTorch's name for {@link transpose} with an explicit order. */
export const permute = (x: Tensor, perm: readonly number[]): Tensor => transpose(x, perm);

/** A block starting at `begin`, of extent `size` (-1: to the end) along each axis. */
export function slice(x: Tensor, begin: readonly number[], size?: readonly number[]): Tensor {
  expectTensor('slice', x);
  if (begin.length > x.rank) throw argError('slice', `begin ${JSON.stringify(begin)} has more entries than the rank ${x.rank} of ${fmt(x.shape)}`);
  const b = x.shape.map((d, i) => {
    const v = begin[i] ?? 0;
    return v < 0 ? v + d : v;
  });
  const s = x.shape.map((d, i) => (size?.[i] === undefined || size[i] === -1 ? d - b[i] : size[i]));
  for (let i = 0; i < x.rank; i++) {
    if (!Number.isInteger(b[i]) || !Number.isInteger(s[i]) || b[i] < 0 || s[i] < 0 || b[i] + s[i] > x.shape[i]) {
      throw argError('slice', `begin ${JSON.stringify(begin)} size ${JSON.stringify(size ?? [])} is out of bounds for shape ${fmt(x.shape)} (axis ${i})`);
    }
  }
  const backend = commonBackend('slice', x);
  const pads = x.shape.map((d, i) => [b[i], d - b[i] - s[i]] as [number, number]);
  return record('slice', [x], backend, backend.slice(x.storage, x.shape, b, s), s, (g) => [pad(g, pads)], x.dtype);
}

/** Pads each axis with `[before, after]` elements of `value`. */
export function pad(x: Tensor, paddings: readonly (readonly [number, number])[], value = 0): Tensor {
  expectTensor('pad', x);
  if (paddings.length !== x.rank) throw argError('pad', `needs one [before, after] pair per axis: ${paddings.length} pairs for shape ${fmt(x.shape)}`);
  for (const [lo, hi] of paddings) if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi < 0) throw argError('pad', `paddings must be non-negative integers, got ${JSON.stringify(paddings)}`);
  const backend = commonBackend('pad', x);
  const shape = x.shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
  return record('pad', [x], backend, backend.pad(x.storage, x.shape, paddings, value), shape, (g) => [slice(g, paddings.map((p) => p[0]), x.shape)], x.dtype);
}

/** Joins tensors along an existing axis; all other dimensions must agree. */
export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(xs as unknown)) throw argError('concat', `expects an array of tensors, got ${xs === null ? 'null' : typeof xs}`);
  xs.forEach((t, i) => expectTensor('concat', t, `xs[${i}]`));
  if (!xs.length) throw argError('concat', 'needs at least one tensor');
  const rank = xs[0].rank;
  if (rank === 0) throw argError('concat', 'cannot join 0-d tensors (there is no axis to join along); use stack');
  const ax = normalizeAxis('concat', axis, rank);
  for (const t of xs) {
    if (t.rank !== rank || t.shape.some((d, i) => i !== ax && d !== xs[0].shape[i])) {
      throw shapeError('concat', `shapes ${xs.map((u) => fmt(u.shape)).join(', ')} differ outside axis ${ax}`);
    }
  }
  const backend = commonBackend('concat', ...xs);
  const shape = xs[0].shape.map((d, i) => (i === ax ? xs.reduce((n, t) => n + t.shape[ax], 0) : d));
  const storage = backend.concat(xs.map((t) => t.storage), xs.map((t) => t.shape), ax, shape);
  // Mixed dtypes promote to float32 (PyTorch's int + float), so a float input keeps its gradient.
  const dtype = xs.every((t) => t.dtype === xs[0].dtype) ? xs[0].dtype : 'float32';
  return record('concat', xs, backend, storage, shape, (g) => {
    let at = 0;
    return xs.map((t) => {
      const part = slice(g, shape.map((_, i) => (i === ax ? at : 0)), t.shape);
      at += t.shape[ax];
      return part;
    });
  }, dtype);
}

/** Joins same-shaped tensors along a new axis. */
export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(xs as unknown)) throw argError('stack', `expects an array of tensors, got ${xs === null ? 'null' : typeof xs}`);
  xs.forEach((t, i) => expectTensor('stack', t, `xs[${i}]`));
  if (!xs.length) throw argError('stack', 'needs at least one tensor');
  for (const t of xs) if (t.shape.join() !== xs[0].shape.join()) throw shapeError('stack', `shapes differ: ${xs.map((u) => fmt(u.shape)).join(', ')}`);
  const ax = normalizeAxis('stack', axis, xs[0].rank + 1);
  return concat(xs.map((t) => expandDims(t, ax)), ax);
}

/** Takes the entries at `indices` along `axis` (rows by default: batching). Indices are checked. */
export function gather(x: Tensor, indices: Tensor | readonly number[] | Int32Array, axis = 0): Tensor {
  expectTensor('gather', x);
  if (x.rank === 0) throw argError('gather', 'needs a tensor of rank >= 1 (a 0-d tensor has no axis to take entries from)');
  const ax = normalizeAxis('gather', axis, x.rank);
  const backend = commonBackend('gather', x);
  const idx = indices instanceof Tensor ? indices : new Tensor(backend, backend.upload(Float32Array.from(indices as ArrayLike<number>)), [indices.length], 'int32');
  const values = idx.backend.read(idx.storage, idx.size);
  for (let i = 0; i < idx.size; i++) {
    const v = values[i];
    if (!Number.isInteger(v)) throw argError('gather', `index ${v} is not an integer (indices of axis ${ax} of shape ${fmt(x.shape)})`);
    if (v < 0 || v >= x.shape[ax]) throw argError('gather', `index ${v} is out of range for axis ${ax} of size ${x.shape[ax]} (shape ${fmt(x.shape)})`);
  }
  const shape = [...x.shape.slice(0, ax), ...idx.shape, ...x.shape.slice(ax + 1)];
  const storage = backend.gather(x.storage, x.shape, idx.storage, idx.size, ax);
  return record('gather', [x], backend, storage, shape, (g) => {
    const flat = reshape(g, [...x.shape.slice(0, ax), idx.size, ...x.shape.slice(ax + 1)]);
    return [record('scatterAdd', [], backend, backend.scatterAdd(flat.storage, idx.storage, idx.size, ax, x.shape), x.shape)];
  }, x.dtype);
}

/** One-hot rows for integer class indices: shape `[...indices.shape, depth]`. */
export function oneHot(indices: Tensor | readonly number[], depth: number, onValue = 1, offValue = 0): Tensor {
  if (!Number.isInteger(depth) || depth <= 0) throw argError('oneHot', `depth must be a positive integer, got ${depth}`);
  const backend = commonBackend('oneHot', ...(indices instanceof Tensor ? [indices] : []));
  const idx = indices instanceof Tensor ? indices : new Tensor(backend, backend.upload(Float32Array.from(indices)), [indices.length], 'int32');
  const values = idx.backend.read(idx.storage, idx.size);
  for (let i = 0; i < idx.size; i++) {
    if (!Number.isInteger(values[i]) || values[i] < 0 || values[i] >= depth) throw argError('oneHot', `index ${values[i]} is not an integer in [0, ${depth})`);
  }
  return record('oneHot', [], backend, backend.oneHot(idx.storage, idx.size, depth, onValue, offValue), [...idx.shape, depth]);
}
