import { record } from '../autograd.js';
import type { BinaryOp, UnaryOp } from '../backend.js';
import { broadcastShapes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { asTensor, commonBackend, settleScalars, type TensorLike } from './util.js';

type UnaryGrad = (g: Tensor, x: Tensor, out: Tensor, param: number) => Tensor;

/** @internal An elementwise unary op with its gradient (null: not differentiable, e.g. comparisons). */
export function unaryOp(op: UnaryOp, input: Tensor, grad: UnaryGrad | null, param = 0): Tensor {
  const backend = commonBackend(op, input);
  // A number is a scalar, as in the binary ops; anything else is refused naming the op.
  const x = asTensor(op, input, backend);
  const storage = backend.unary(op, x.storage, x.size, param);
  const out: Tensor = record(op, [x], backend, storage, x.shape, grad ? (g) => [grad(g, x, out, param)] : undefined, grad ? 'float32' : 'bool');
  return settleScalars(out, [input], [x]);
}

function binaryOp(op: BinaryOp, a: TensorLike, b: TensorLike, grad: ((g: Tensor, a: Tensor, b: Tensor, out: Tensor) => [Tensor | null, Tensor | null]) | null): Tensor {
  const backend = commonBackend(op, a, b);
  const ta = asTensor(op, a, backend);
  const tb = asTensor(op, b, backend);
  const shape = broadcastShapes(op, ta.shape, tb.shape);
  const storage = backend.binary(op, ta.storage, ta.shape, tb.storage, tb.shape, shape);
  const out: Tensor = record(op, [ta, tb], backend, storage, shape, grad ? (g) => grad(g, ta, tb, out) : undefined, grad ? 'float32' : 'bool');
  return ta === a && tb === b ? out : settleScalars(out, [a, b], [ta, tb]);
}

// The gradient rules compute a gradient only for an operand that needs one: a loss's targets or a constant
// divisor (a mean's count) would otherwise cost kernels whose results backward throws away.

/** a + b, broadcasting. */
export const add = (a: TensorLike, b: TensorLike): Tensor => binaryOp('add', a, b, (g) => [g, g]);
/** a - b, broadcasting. */
export const sub = (a: TensorLike, b: TensorLike): Tensor => binaryOp('sub', a, b, (g, _x, y) => [g, y.requiresGrad ? neg(g) : null]);
/** a * b elementwise, broadcasting. */
export const mul = (a: TensorLike, b: TensorLike): Tensor =>
  binaryOp('mul', a, b, (g, x, y) => [x.requiresGrad ? mul(g, y) : null, y.requiresGrad ? mul(g, x) : null]);
/** a / b elementwise, broadcasting. */
export const div = (a: TensorLike, b: TensorLike): Tensor =>
  binaryOp('div', a, b, (g, x, y) => [x.requiresGrad ? div(g, y) : null, y.requiresGrad ? neg(div(mul(g, x), square(y))) : null]);
/**
 * a ** b elementwise, broadcasting. The gradient for a is 0 where b = 0 (as PyTorch: b·a^(b−1) would be
 * 0·Infinity at a = 0); the gradient for b uses log(a) and is taken as 0 where a <= 0 and a^b = 0.
 */
export const pow = (a: TensorLike, b: TensorLike): Tensor =>
  binaryOp('pow', a, b, (g, x, y, out) => [
    x.requiresGrad ? mul(g, where(equal(y, 0), 0, mul(y, pow(x, sub(y, 1))))) : null,
    y.requiresGrad ? mul(g, where(greater(x, 0), mul(out, log(x)), 0)) : null,
  ]);
/** Elementwise maximum; at ties the gradient is split evenly, as in PyTorch. */
export const maximum = (a: TensorLike, b: TensorLike): Tensor => binaryOp('maximum', a, b, (g, x, y) => splitGrad(g, greater(x, y), equal(x, y)));
/** Elementwise minimum; at ties the gradient is split evenly, as in PyTorch. */
export const minimum = (a: TensorLike, b: TensorLike): Tensor => binaryOp('minimum', a, b, (g, x, y) => splitGrad(g, less(x, y), equal(x, y)));

function splitGrad(g: Tensor, first: Tensor, tie: Tensor): [Tensor, Tensor] {
  const wFirst = add(first, mul(tie, 0.5));
  return [mul(g, wFirst), mul(g, sub(1, wFirst))];
}

/** Comparisons give bool tensors (1/0) and no gradient. */
export const equal = (a: TensorLike, b: TensorLike): Tensor => binaryOp('equal', a, b, null);
export const notEqual = (a: TensorLike, b: TensorLike): Tensor => binaryOp('notEqual', a, b, null);
export const less = (a: TensorLike, b: TensorLike): Tensor => binaryOp('less', a, b, null);
export const lessEqual = (a: TensorLike, b: TensorLike): Tensor => binaryOp('lessEqual', a, b, null);
export const greater = (a: TensorLike, b: TensorLike): Tensor => binaryOp('greater', a, b, null);
export const greaterEqual = (a: TensorLike, b: TensorLike): Tensor => binaryOp('greaterEqual', a, b, null);

/** Elementwise choice: `a` where `cond` is nonzero, else `b`; all three broadcast. */
export function where(cond: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  const backend = commonBackend('where', cond, a, b);
  const [tc, ta, tb] = [cond, a, b].map((x) => asTensor('where', x, backend));
  const shape = broadcastShapes('where', broadcastShapes('where', tc.shape, ta.shape), tb.shape);
  const storage = backend.where(tc.storage, tc.shape, ta.storage, ta.shape, tb.storage, tb.shape, shape);
  return settleScalars(record('where', [tc, ta, tb], backend, storage, shape, (g) => [null, where(tc, g, 0), where(tc, 0, g)]), [cond, a, b], [tc, ta, tb]);
}

/** Clamps into [min, max]; the gradient passes where the input is inside (bounds included), as in PyTorch. */
export function clip(x: Tensor, min: number, max: number): Tensor {
  const backend = commonBackend('clip', x);
  const [low, high] = [backend.fill(1, min), backend.fill(1, max)];
  const lo = backend.binary('maximum', x.storage, x.shape, low, [], x.shape);
  const storage = backend.binary('minimum', lo, x.shape, high, [], x.shape);
  for (const s of [low, high, lo]) backend.release(s);
  return record('clip', [x], backend, storage, x.shape, (g) => [mul(g, mul(greaterEqual(x, min), lessEqual(x, max)))]);
}

const zerosGrad: UnaryGrad = (g) => mul(g, 0);

export const neg = (x: Tensor): Tensor => unaryOp('neg', x, (g) => neg(g));
export const abs = (x: Tensor): Tensor => unaryOp('abs', x, (g, v) => mul(g, sign(v)));
export const exp = (x: Tensor): Tensor => unaryOp('exp', x, (g, _v, out) => mul(g, out));
export const log = (x: Tensor): Tensor => unaryOp('log', x, (g, v) => div(g, v));
export const sqrt = (x: Tensor): Tensor => unaryOp('sqrt', x, (g, _v, out) => div(g, mul(out, 2)));
export const square = (x: Tensor): Tensor => unaryOp('square', x, (g, v) => mul(g, mul(v, 2)));
export const sin = (x: Tensor): Tensor => unaryOp('sin', x, (g, v) => mul(g, cos(v)));
export const cos = (x: Tensor): Tensor => unaryOp('cos', x, (g, v) => neg(mul(g, sin(v))));
export const reciprocal = (x: Tensor): Tensor => unaryOp('reciprocal', x, (g, v) => neg(div(g, square(v))));
export const log1p = (x: Tensor): Tensor => unaryOp('log1p', x, (g, v) => div(g, add(v, 1)));
export const expm1 = (x: Tensor): Tensor => unaryOp('expm1', x, (g, _v, out) => mul(g, add(out, 1)));
export const erf = (x: Tensor): Tensor => unaryOp('erf', x, (g, v) => mul(g, mul(exp(neg(square(v))), 2 / Math.sqrt(Math.PI))));
/** -1, 0 or 1; its gradient is zero. */
export const sign = (x: Tensor): Tensor => unaryOp('sign', x, zerosGrad);
/** The step (Heaviside) function: 1 where x > 0, else 0; its gradient is zero. */
export const step = (x: Tensor): Tensor => unaryOp('step', x, zerosGrad);
export const floor = (x: Tensor): Tensor => unaryOp('floor', x, zerosGrad);
export const round = (x: Tensor): Tensor => unaryOp('round', x, zerosGrad);
/** 1 where the value is finite, 0 for NaN and ±Infinity. */
export const isFinite = (x: Tensor): Tensor => unaryOp('isFinite', x, null);
