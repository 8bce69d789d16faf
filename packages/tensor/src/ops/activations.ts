import { SELU_ALPHA, SELU_SCALE } from '../math.js';
import type { Tensor } from '../tensor.js';
import { add, erf, exp, greater, less, log, mul, square, step, sub, unaryOp, where } from './elementwise.js';
import { clone } from './layout.js';
import { expectTensor } from './util.js';
import { stableShift, sum } from './reduce.js';
import { record, releaseWithGraph } from '../autograd.js';
import { argError, normalizeAxis } from '../shape.js';

// Each activation is one fused kernel forward; its derivative, defined here once, is built from other ops.

/** The logistic function 1/(1+e^-x), computed without overflow. */
export const sigmoid = (x: Tensor): Tensor => unaryOp('sigmoid', x, (g, _x, y) => mul(g, mul(y, sub(1, y))));
export const tanh = (x: Tensor): Tensor => unaryOp('tanh', x, (g, _x, y) => mul(g, sub(1, square(y))));
/** max(0, x); the derivative at 0 is 0, as in PyTorch. */
export const relu = (x: Tensor): Tensor => unaryOp('relu', x, (g, v) => mul(g, step(v)));
/** x for x > 0, slope·x otherwise. */
export const leakyRelu = (x: Tensor, slope = 0.01): Tensor => unaryOp('leakyRelu', x, (g, v, _y, s) => mul(g, where(greater(v, 0), 1, s)), slope);
/** x for x > 0, alpha·(e^x − 1) otherwise. */
export const elu = (x: Tensor, alpha = 1): Tensor => unaryOp('elu', x, (g, v, y, a) => mul(g, where(greater(v, 0), 1, add(y, a))), alpha);
/** Scaled ELU with the self-normalizing constants (Klambauer et al.). */
export const selu = (x: Tensor): Tensor => unaryOp('selu', x, (g, v) => mul(g, where(greater(v, 0), SELU_SCALE, mul(exp(v), SELU_SCALE * SELU_ALPHA))));
/** log(1 + e^x), stable for large |x|. */
export const softplus = (x: Tensor): Tensor => unaryOp('softplus', x, (g, v) => mul(g, sigmoid(v)));
/** x·σ(βx) (β = 1: SiLU). */
export const swish = (x: Tensor, beta = 1): Tensor =>
  unaryOp('swish', x, (g, v, _y, b) => {
    const s = sigmoid(mul(v, b));
    return mul(g, add(s, mul(mul(v, b), mul(s, sub(1, s)))));
  }, beta);
/** x·Φ(x) with the exact normal CDF (PyTorch's default, not the tanh approximation). */
export const gelu = (x: Tensor): Tensor =>
  unaryOp('gelu', x, (g, v) => {
    const cdf = mul(add(erf(mul(v, Math.SQRT1_2)), 1), 0.5);
    const pdf = mul(exp(mul(square(v), -0.5)), 1 / Math.sqrt(2 * Math.PI));
    return mul(g, add(cdf, mul(v, pdf)));
  });
/** x·tanh(softplus(x)). */
export const mish = (x: Tensor): Tensor =>
  unaryOp('mish', x, (g, v) => {
    const t = tanh(softplus(v));
    return mul(g, add(t, mul(mul(v, sub(1, square(t))), sigmoid(v))));
  });
/** relu6(x + 3)/6, PyTorch's hard sigmoid; derivative 1/6 strictly inside (−3, 3). */
export const hardSigmoid = (x: Tensor): Tensor => unaryOp('hardSigmoid', x, (g, v) => mul(g, mul(mul(greater(v, -3), less(v, 3)), 1 / 6)));

/**
 * log(softmax(x)) along `axis` as (x − m) − log Σ e^(x−m) with m the max: exact for large equal logits,
 * where x − logSumExp(x) would lose the difference to float32 rounding of the sum.
 */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  expectTensor('logSoftmax', x);
  const ax = normalizeAxis('logSoftmax', axis, x.rank);
  // Nothing to normalize (and no max to shift by): the result is as empty as the input, as PyTorch.
  if (x.size === 0) return clone(x);
  const fused = fusedSoftmax(x, ax, true);
  if (fused) return fused;
  // The shift is constant per slice, so treating it as a constant leaves the gradient exact.
  const shift = stableShift(x, ax);
  const shifted = sub(x, shift);
  return releaseWithGraph(sub(shifted, log(sum(exp(shifted), ax, true))), [shift]);
}

/** e^x / Σe^x along `axis`, via the stable log form. */
export function softmax(x: Tensor, axis = -1): Tensor {
  expectTensor('softmax', x);
  if (x.rank === 0) throw argError('softmax', 'needs a tensor of rank >= 1');
  const ax = normalizeAxis('softmax', axis, x.rank);
  return (x.size > 0 && fusedSoftmax(x, ax, false)) || exp(logSoftmax(x, ax));
}

/**
 * The backend's one-kernel softmax/logSoftmax over the last axis, or null where it has none (or another
 * axis is asked for): the caller composes the ops then. Its gradient, from the output y, is
 * y·(g − Σ g·y) for softmax and g − e^y·Σ g for logSoftmax.
 */
function fusedSoftmax(x: Tensor, ax: number, isLog: boolean): Tensor | null {
  const { backend } = x;
  if (!backend.softmax || ax !== x.rank - 1) return null;
  const n = x.shape[ax];
  const storage = backend.softmax(x.storage, x.size / n, n, isLog);
  const out: Tensor = record(isLog ? 'logSoftmax' : 'softmax', [x], backend, storage, x.shape, (g) => [
    isLog ? sub(g, mul(exp(out), sum(g, ax, true))) : mul(out, sub(g, sum(mul(g, out), ax, true))),
  ]);
  return out;
}
