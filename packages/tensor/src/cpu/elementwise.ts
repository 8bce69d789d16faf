import type { BinaryOp, UnaryOp } from '../backend.js';
import { erf, gelu, hardSigmoid, mish, SELU_ALPHA, SELU_SCALE, sigmoid, softplus } from '../math.js';
import { broadcastStrides, sizeOf, type Shape } from '../shape.js';

type Scalar1 = (x: number, p: number) => number;

const UNARY: Record<UnaryOp, Scalar1> = {
  neg: (x) => -x,
  abs: Math.abs,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  square: (x) => x * x,
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  sigmoid,
  relu: (x) => (x > 0 || Number.isNaN(x) ? x : 0),
  sign: Math.sign,
  step: (x) => +(x > 0),
  reciprocal: (x) => 1 / x,
  softplus,
  erf,
  floor: Math.floor,
  // Halves to even, as numpy and PyTorch (Math.round takes them toward +Infinity: 0.5 -> 1, 2.5 -> 3).
  round: (x) => {
    const r = Math.round(x);
    return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
  },
  log1p: Math.log1p,
  expm1: Math.expm1,
  elu: (x, alpha) => (x > 0 ? x : alpha * Math.expm1(x)),
  leakyRelu: (x, slope) => (x > 0 ? x : slope * x),
  selu: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
  gelu,
  mish,
  swish: (x, beta) => x * sigmoid(beta * x),
  hardSigmoid,
  isFinite: (x) => (Number.isFinite(x) ? 1 : 0),
};

export function unary(op: UnaryOp, x: Float32Array, size: number, param: number): Float32Array {
  const out = new Float32Array(size);
  switch (op) {
    // The hottest ones get their own loops: no call per element.
    case 'relu': {
      // Branch-free on the float's bits: a set sign bit (negatives, −0, −Infinity) masks the value to +0; NaN
      // passes as in PyTorch. A compare-and-branch loop is 5x slower on random signs than on sorted data.
      const xi = new Int32Array(x.buffer, x.byteOffset, size);
      const oi = new Int32Array(out.buffer, 0, size);
      for (let i = 0; i < size; i++) {
        const b = xi[i];
        oi[i] = b & ~(b >> 31);
      }
      return out;
    }
    case 'step':
      // relu's gradient mask: a comparison turned into a number compiles without a branch.
      for (let i = 0; i < size; i++) out[i] = +(x[i] > 0);
      return out;
    case 'neg':
      for (let i = 0; i < size; i++) out[i] = -x[i];
      return out;
    case 'square':
      for (let i = 0; i < size; i++) out[i] = x[i] * x[i];
      return out;
    case 'exp':
      for (let i = 0; i < size; i++) out[i] = Math.exp(x[i]);
      return out;
    default: {
      const f = UNARY[op];
      for (let i = 0; i < size; i++) out[i] = f(x[i], param);
      return out;
    }
  }
}

const BINARY: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  // C's (numpy's, PyTorch's) pow where JavaScript's differs: 1^y = 1 for every y (NaN too), (−1)^±∞ = 1.
  pow: (a, b) => (a === 1 || (a === -1 && Math.abs(b) === Infinity) ? 1 : Math.pow(a, b)),
  maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : a > b ? a : b),
  minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : a < b ? a : b),
  equal: (a, b) => +(a === b),
  notEqual: (a, b) => +(a !== b),
  less: (a, b) => +(a < b),
  lessEqual: (a, b) => +(a <= b),
  greater: (a, b) => +(a > b),
  greaterEqual: (a, b) => +(a >= b),
};

/**
 * Visits every element of `outShape` in row-major order in runs along the last axis, giving for each run
 * the flat offsets (from `bases`) and steps into inputs addressed by `strides`. Every strided cpu kernel
 * (broadcasting, reductions, transposes, slices, padding) is this loop with a different body.
 */
export function forEachStrided(outShape: Shape, strides: number[][], body: (outStart: number, n: number, offsets: number[], steps: number[]) => void, bases?: number[]): void {
  const size = sizeOf(outShape);
  if (size === 0) return;
  const rank = outShape.length;
  if (rank === 0) {
    body(0, 1, bases ? [...bases] : strides.map(() => 0), strides.map(() => 0));
    return;
  }
  const inner = outShape[rank - 1];
  const steps = strides.map((s) => s[rank - 1]);
  const counter = new Array<number>(rank - 1).fill(0);
  const offsets = bases ? [...bases] : strides.map(() => 0);
  for (let start = 0; start < size; start += inner) {
    body(start, inner, offsets, steps);
    for (let ax = rank - 2; ax >= 0; ax--) {
      counter[ax]++;
      for (let k = 0; k < offsets.length; k++) offsets[k] += strides[k][ax];
      if (counter[ax] < outShape[ax]) break;
      for (let k = 0; k < offsets.length; k++) offsets[k] -= strides[k][ax] * outShape[ax];
      counter[ax] = 0;
    }
  }
}

/** {@link forEachStrided} over inputs broadcast to `outShape`. */
export function forEachBroadcast(outShape: Shape, inputs: Shape[], body: (outStart: number, n: number, offsets: number[], steps: number[]) => void): void {
  forEachStrided(outShape, inputs.map((s) => broadcastStrides(s, outShape)), body);
}

export function binary(op: BinaryOp, a: Float32Array, aShape: Shape, b: Float32Array, bShape: Shape, outShape: Shape): Float32Array {
  const out = new Float32Array(sizeOf(outShape));
  const f = BINARY[op];
  // A one-element b (a clipping coefficient, a step size) meets a's elements in order: one flat loop instead
  // of the strided walk, which ran a 1M-element mul by a scalar about 3x slower.
  if (sizeOf(bShape) === 1 && sizeOf(aShape) === out.length) {
    const v = b[0];
    if (op === 'mul') for (let i = 0; i < out.length; i++) out[i] = a[i] * v;
    else if (op === 'add') for (let i = 0; i < out.length; i++) out[i] = a[i] + v;
    else for (let i = 0; i < out.length; i++) out[i] = f(a[i], v);
    return out;
  }
  forEachBroadcast(outShape, [aShape, bShape], (o, n, [ia, ib], [sa, sb]) => {
    if (op === 'add') for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = a[ia] + b[ib];
    else if (op === 'mul') for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = a[ia] * b[ib];
    else if (op === 'sub') for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = a[ia] - b[ib];
    else if (op === 'div') for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = a[ia] / b[ib];
    else for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = f(a[ia], b[ib]);
  });
  return out;
}

export function where(c: Float32Array, cShape: Shape, a: Float32Array, aShape: Shape, b: Float32Array, bShape: Shape, outShape: Shape): Float32Array {
  const out = new Float32Array(sizeOf(outShape));
  forEachBroadcast(outShape, [cShape, aShape, bShape], (o, n, [ic, ia, ib], [sc, sa, sb]) => {
    for (let i = 0; i < n; i++, ic += sc, ia += sa, ib += sb) out[o + i] = c[ic] !== 0 ? a[ia] : b[ib];
  });
  return out;
}
