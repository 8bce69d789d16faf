import { noGrad, record, releaseWithGraph } from '../autograd.js';
import type { ReduceOp } from '../backend.js';
import { normalizeAxes, normalizeAxis, argError, fmt } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { add, div, equal, exp, isFinite, log, mul, square, sub, where } from './elementwise.js';
import { broadcastTo, reshape } from './layout.js';
import { commonBackend, expectTensor } from './util.js';

export type Axis = number | readonly number[];

const keptShape = (shape: readonly number[], axes: readonly number[]) => shape.map((d, i) => (axes.includes(i) ? 1 : d));

/** A reduction's gradient from the output's gradient `g` and the output (`out`), both with the reduced axes kept. */
type ReduceGrad = (g: Tensor, out: () => Tensor, axes: number[]) => Tensor;

function reduceOp(op: ReduceOp, name: string, x: Tensor, axis: Axis | undefined, keepDims: boolean, grad: ReduceGrad): Tensor {
  expectTensor(name, x);
  const axes = normalizeAxes(name, axis, x.rank);
  if ((op === 'max' || op === 'min') && axes.some((a) => x.shape[a] === 0)) {
    throw argError(name, `cannot reduce over an empty axis (shape ${fmt(x.shape)}, axes ${JSON.stringify(axes)})`);
  }
  const backend = commonBackend(name, x);
  const storage = backend.reduce(op, x.storage, x.shape, axes);
  const shape = keepDims ? keptShape(x.shape, axes) : x.shape.filter((_, i) => !axes.includes(i));
  // Gradients are computed with the reduced axes kept, so they broadcast back over the input. Only max and
  // min read the output (a sum's gradient does not), so its view is made on demand.
  const out: Tensor = record(name, [x], backend, storage, shape, (g) => [grad(reshape(g, keptShape(x.shape, axes)), () => reshape(out, keptShape(x.shape, axes)), axes)]);
  return out;
}

/** Sum over `axis` (all axes when omitted). */
export const sum = (x: Tensor, axis?: Axis, keepDims = false): Tensor => reduceOp('sum', 'sum', x, axis, keepDims, (g) => broadcastTo(g, x.shape));

/**
 * Σx² over every element, a scalar: the squared 2-norm. One pass with no squared copy where the backend has
 * a `sumSquares` kernel (cpu), else `sum(square(x))`; gradient clipping's norm is built on it.
 */
export function sumSquares(x: Tensor): Tensor {
  expectTensor('sumSquares', x);
  const backend = commonBackend('sumSquares', x);
  if (!backend.sumSquares) return sum(square(x));
  return record('sumSquares', [x], backend, backend.sumSquares(x.storage, x.size), [], (g) => [mul(x, mul(g, 2))]);
}

/** Mean over `axis` (all axes when omitted). */
export function mean(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  const axes = normalizeAxes('mean', axis, x.rank);
  const n = axes.reduce((p, a) => p * x.shape[a], 1);
  return div(sum(x, axes, keepDims), n);
}

/** Max over `axis`; the gradient goes to the maximal elements, split evenly between ties (PyTorch's amax). */
export const max = (x: Tensor, axis?: Axis, keepDims = false): Tensor => reduceOp('max', 'max', x, axis, keepDims, (g, out, axes) => extremumGrad(x, g, out(), axes));
/** Min over `axis`; the gradient goes to the minimal elements, split evenly between ties. */
export const min = (x: Tensor, axis?: Axis, keepDims = false): Tensor => reduceOp('min', 'min', x, axis, keepDims, (g, out, axes) => extremumGrad(x, g, out(), axes));

function extremumGrad(x: Tensor, g: Tensor, out: Tensor, axes: number[]): Tensor {
  const hit = equal(x, out);
  return div(mul(g, hit), sum(hit, axes, true));
}

function argReduce(op: 'argmax' | 'argmin', x: Tensor, axis: number | undefined, keepDims: boolean): Tensor {
  expectTensor(op, x);
  if (axis === undefined) {
    const flat = argReduce(op, reshape(x, [x.size]), 0, false);
    // keepDims keeps every axis, with size 1, as numpy's argmax(x, keepdims=True) and the other reductions.
    return keepDims ? reshape(flat, x.shape.map(() => 1)) : flat;
  }
  const ax = normalizeAxis(op, axis, x.rank);
  if (x.shape[ax] === 0) throw argError(op, `cannot take ${op} over an empty axis (shape ${fmt(x.shape)}, axis ${axis})`);
  const backend = commonBackend(op, x);
  const storage = backend.argReduce(op, x.storage, x.shape, ax);
  const shape = keepDims ? keptShape(x.shape, [ax]) : x.shape.filter((_, i) => i !== ax);
  return record(op, [x], backend, storage, shape, undefined, 'int32');
}

/** Index of the largest value along `axis` (of the flattened tensor when omitted); first on ties. */
export const argmax = (x: Tensor, axis?: number, keepDims = false): Tensor => argReduce('argmax', x, axis, keepDims);
/** Index of the smallest value along `axis` (of the flattened tensor when omitted); first on ties. */
export const argmin = (x: Tensor, axis?: number, keepDims = false): Tensor => argReduce('argmin', x, axis, keepDims);

/** Variance over `axis`; `correction` 0 is the population variance (default, as Keras), 1 the unbiased one. */
export function variance(x: Tensor, axis?: Axis, keepDims = false, correction = 0): Tensor {
  const axes = normalizeAxes('variance', axis, x.rank);
  const n = axes.reduce((p, a) => p * x.shape[a], 1);
  const centered = sub(x, mean(x, axes, true));
  return div(sum(square(centered), axes, keepDims), Math.max(n - correction, 0));
}

/**
 * The max of `x` over `axes` (kept), 0 where it is infinite: the shift that makes exp-sums stable. A constant
 * for differentiation (the gradient is softmax(x) either way); its temporaries are released at once and the
 * caller hands the result to its graph (releaseWithGraph).
 */
export function stableShift(x: Tensor, axes: number | number[]): Tensor {
  return noGrad(() => {
    const m = max(x, axes, true);
    const finite = isFinite(m);
    const shift = where(finite, m, 0);
    m.dispose();
    finite.dispose();
    return shift;
  });
}

/** log(sum(exp(x))) over `axis`, computed stably by shifting by the max. */
export function logSumExp(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  const axes = normalizeAxes('logSumExp', axis, x.rank);
  // Over an empty axis the sum is empty: log 0 = -Infinity, as PyTorch (there is no max to shift by).
  if (axes.some((a) => x.shape[a] === 0)) return log(sum(exp(x), axes, keepDims));
  // The shift is a constant for differentiation (the gradient is softmax(x) either way); an infinite max
  // (all -Infinity, or an Infinity) is not shifted, so the result is ±Infinity rather than NaN.
  const safeShift = stableShift(x, axes);
  const out = add(log(sum(exp(sub(x, safeShift)), axes, true)), safeShift);
  return releaseWithGraph(keepDims ? out : reshape(out, x.shape.filter((_, i) => !axes.includes(i))), [safeShift]);
}

/** Sums a broadcast gradient back down to `shape` (the adjoint of broadcasting). */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  return axes.length ? reshape(sum(g, axes), shape) : g;
}
