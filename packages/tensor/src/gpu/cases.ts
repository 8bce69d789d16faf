// The op-by-op comparison of the gpujs backend against the cpu reference, shared by the Node tests
// (ops.test.ts) and the browser run (browser/entry.ts). No test framework here: just cases and a runner.
import * as nn from '../index.js';
import type { Tensor } from '../index.js';

/** |gpu − cpu| ≤ atol + rtol·|cpu|, elementwise. */
export interface Tolerance {
  atol: number;
  rtol: number;
}

/** Elementwise arithmetic: a few float32 ulps (GL's division and transcendental builtins are not correctly rounded). */
export const ELEMENTWISE: Tolerance = { atol: 1e-6, rtol: 1e-5 };
/** Reductions, matmul: float32 accumulation on the device against the cpu's float64 accumulation. */
export const ACCUMULATING: Tolerance = { atol: 1e-5, rtol: 1e-4 };
/** Compositions of transcendental functions (activations and their derivatives, softmax). */
export const TRANSCENDENTAL: Tolerance = { atol: 1e-5, rtol: 1e-4 };
/** Exact: copies, comparisons, indices. */
export const EXACT: Tolerance = { atol: 0, rtol: 0 };

export interface OpCase {
  name: string;
  /** Input values and shapes (made on each backend from the same numbers). */
  inputs: { values: number[]; shape: number[] }[];
  f: (...xs: Tensor[]) => Tensor;
  /** Whether to compare gradients too (the op must be differentiable at the inputs). */
  backward: boolean;
  tol: Tolerance;
  /** Modes where the case cannot hold, with the reason (documented in the README's precision notes). */
  skip?: Partial<Record<string, string>>;
}

// A small deterministic generator, so both backends and every environment see the same numbers.
let seed = 12345;
const rnd = (): number => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const vals = (n: number, low = -2, high = 2): number[] => Array.from({ length: n }, () => Math.fround(low + (high - low) * rnd()));
const away = (n: number): number[] => vals(n, 0.2, 2).map((v) => (rnd() < 0.5 ? -v : v));
const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
const r = (shape: number[], low = -2, high = 2) => ({ values: vals(size(shape), low, high), shape });
const pos = (shape: number[]) => r(shape, 0.5, 2);
const nz = (shape: number[]) => ({ values: away(size(shape)), shape });
const of = (values: number[], shape = [values.length]) => ({ values, shape });

const diff = (name: string, f: OpCase['f'], inputs: OpCase['inputs'], tol = ELEMENTWISE): OpCase => ({ name, f, inputs, backward: true, tol });
const fwd = (name: string, f: OpCase['f'], inputs: OpCase['inputs'], tol = EXACT): OpCase => ({ name, f, inputs, backward: false, tol });

export const CASES: OpCase[] = [
  diff('add (broadcast [2,3]+[3])', nn.add, [r([2, 3]), r([3])]),
  diff('sub (broadcast [2,1]-[1,3])', nn.sub, [r([2, 1]), r([1, 3])]),
  diff('mul (scalar operand)', (a) => nn.mul(a, 1.5), [r([2, 3])]),
  diff('mul (broadcast [4,1,3]*[2,1])', nn.mul, [r([4, 1, 3]), r([2, 1])]),
  diff('div', nn.div, [r([5]), pos([5])]),
  diff('pow (positive base)', nn.pow, [pos([5]), r([5], -1, 2)], TRANSCENDENTAL),
  fwd('pow (negative base, integer exponents)', nn.pow, [of([-2, -2, -3, -0.5, 0, 0]), of([2, 3, -1, 2, 2, 0])], ELEMENTWISE),
  diff('maximum', nn.maximum, [of([1, -2, 3]), of([0.5, 0.5, 4])]),
  diff('minimum', nn.minimum, [of([1, -2, 3]), of([0.5, 0.5, 4])]),
  diff('where', (a, b) => nn.where(nn.tensor([1, 0, 1]), a, b), [r([3]), r([2, 3])]),
  diff('clip', (a) => nn.clip(a, -1, 1), [of([-1.5, -0.5, 0.2, 0.9, 1.7])]),
  fwd('equal / notEqual / less / lessEqual / greater / greaterEqual', (a, b) => nn.concat([nn.equal(a, b), nn.notEqual(a, b), nn.less(a, b), nn.lessEqual(a, b), nn.greater(a, b), nn.greaterEqual(a, b)]), [of([1, 2, 3, -1]), of([1, 3, 2, -1])]),
  diff('neg', nn.neg, [r([4])]),
  diff('abs', nn.abs, [nz([4])]),
  diff('exp', nn.exp, [r([6])], TRANSCENDENTAL),
  diff('log', nn.log, [pos([6])], TRANSCENDENTAL),
  diff('sqrt', nn.sqrt, [pos([6])]),
  diff('square', nn.square, [r([6])]),
  diff('sin', nn.sin, [r([6])], TRANSCENDENTAL),
  diff('cos', nn.cos, [r([6])], TRANSCENDENTAL),
  diff('sin, cos over [-20, 20]', (a) => nn.concat([nn.sin(a), nn.cos(a)]), [r([16], -20, 20)], TRANSCENDENTAL),
  diff('reciprocal', nn.reciprocal, [pos([6])]),
  diff('log1p (incl. tiny x)', nn.log1p, [of([1e-7, -1e-6, 0.5, 3, -0.5, 2e-4])], TRANSCENDENTAL),
  diff('expm1 (incl. tiny x)', nn.expm1, [of([1e-7, -1e-6, 0.5, 3, -0.5, 2e-4])], TRANSCENDENTAL),
  diff('erf', nn.erf, [r([6])], TRANSCENDENTAL),
  fwd('sign / step / floor / round', (a) => nn.concat([nn.sign(a), nn.step(a), nn.floor(a), nn.round(a)]), [of([-2.5, -0.5, 0, 0.5, 1.5, 2.7, -3.2])]),
  {
    ...fwd('isFinite', (a) => nn.isFinite(nn.div(a, nn.tensor([1, 0, 0, 1]))), [of([1, 1, 0, -2])]),
    skip: { webgpu: 'WGSL lets the compiler assume finite floats: Infinity and NaN are not detected (x/0 is not even guaranteed to be Infinity)' },
  },
  diff('sum (all)', (a) => nn.sum(a), [r([3, 4])], ACCUMULATING),
  diff('sum over axis 1', (a) => nn.sum(a, 1), [r([2, 3])], ACCUMULATING),
  diff('sum keepDims over axis 0', (a) => nn.sum(a, 0, true), [r([2, 3])], ACCUMULATING),
  diff('sum over a long axis (1000)', (a) => nn.sum(a, 1), [r([2, 1000])], ACCUMULATING),
  diff('mean over axes [0,2]', (a) => nn.mean(a, [0, 2]), [r([2, 3, 4])], ACCUMULATING),
  diff('max over axis 1', (a) => nn.max(a, 1), [of([1, 5, 2, 7, -1, 3], [2, 3])]),
  diff('min over axis 0', (a) => nn.min(a, 0), [of([1, 5, 2, 7, -1, 3], [2, 3])]),
  diff('max with ties (gradient split)', (a) => nn.max(a), [of([3, 1, 3, 2])]),
  fwd('argmax / argmin (first on ties)', (a) => nn.concat([nn.argmax(a, 1), nn.argmin(a, 1), nn.argmax(a, 0), nn.reshape(nn.argmin(a), [1])]), [of([1, 5, 5, 7, -1, -1, 0, 0, 0], [3, 3])]),
  diff('variance', (a) => nn.variance(a, 1), [r([2, 5])], ACCUMULATING),
  diff('logSumExp', (a) => nn.logSumExp(a, -1), [r([3, 4])], TRANSCENDENTAL),
  diff('matmul', (a, b) => nn.matmul(a, b), [r([3, 4]), r([4, 2])], ACCUMULATING),
  diff('matmul transposeA', (a, b) => nn.matmul(a, b, { transposeA: true }), [r([4, 3]), r([4, 2])], ACCUMULATING),
  diff('matmul transposeB', (a, b) => nn.matmul(a, b, { transposeB: true }), [r([3, 4]), r([2, 4])], ACCUMULATING),
  diff('matmul both transposed', (a, b) => nn.matmul(a, b, { transposeA: true, transposeB: true }), [r([4, 3]), r([2, 4])], ACCUMULATING),
  diff('matmul batched with broadcast', (a, b) => nn.matmul(a, b), [r([2, 3, 4]), r([4, 2])], ACCUMULATING),
  diff('matmul 33x70 · 70x17', (a, b) => nn.matmul(a, b), [r([33, 70]), r([70, 17])], ACCUMULATING),
  diff('transpose', (a) => nn.transpose(a, [2, 0, 1]), [r([2, 3, 4])]),
  diff('reshape', (a) => nn.reshape(a, [3, -1]), [r([2, 3])]),
  diff('slice', (a) => nn.slice(a, [1, 1], [2, -1]), [r([3, 3])]),
  diff('pad', (a) => nn.pad(a, [[1, 0], [0, 2]]), [r([2, 2])]),
  fwd('pad with a value', (a) => nn.pad(a, [[2, 1]], -7), [r([3])]),
  diff('concat', (a, b) => nn.concat([a, b], 1), [r([2, 2]), r([2, 3])]),
  diff('concat of 11 pieces', (...xs) => nn.concat(xs, 0), Array.from({ length: 11 }, () => r([1, 3]))),
  diff('stack', (a, b) => nn.stack([a, b], 1), [r([2, 3]), r([2, 3])]),
  diff('gather (repeated rows)', (a) => nn.gather(a, [2, 0, 2]), [r([4, 3])]),
  diff('gather along axis 1', (a) => nn.gather(a, [1, 1, 0], 1), [r([2, 3])]),
  fwd('oneHot', () => nn.oneHot([2, 0, 1, 2], 3), []),
  fwd('oneHot with on/off values', () => nn.oneHot([1, 0], 3, 5, -1), []),
  diff('broadcastTo', (a) => nn.broadcastTo(a, [2, 3]), [r([3])]),
  diff('sigmoid', nn.sigmoid, [r([6], -6, 6)], TRANSCENDENTAL),
  diff('tanh', nn.tanh, [r([6], -4, 4)], TRANSCENDENTAL),
  diff('relu', nn.relu, [nz([6])]),
  diff('leakyRelu', (a) => nn.leakyRelu(a, 0.1), [nz([6])]),
  diff('elu', (a) => nn.elu(a, 0.7), [nz([6])], TRANSCENDENTAL),
  diff('selu', nn.selu, [nz([6])], TRANSCENDENTAL),
  diff('softplus', nn.softplus, [r([6], -5, 5)], TRANSCENDENTAL),
  diff('swish', (a) => nn.swish(a, 1.5), [r([6])], TRANSCENDENTAL),
  diff('gelu', nn.gelu, [r([6], -4, 4)], TRANSCENDENTAL),
  diff('mish', nn.mish, [r([6])], TRANSCENDENTAL),
  diff('hardSigmoid', nn.hardSigmoid, [of([-4, -1, 0.5, 2.5])]),
  diff('softmax', (a) => nn.softmax(a, 0), [r([3, 2])], TRANSCENDENTAL),
  diff('softmax (last axis: the wasm kernel)', (a) => nn.softmax(a), [r([3, 5], -8, 8)], TRANSCENDENTAL),
  diff('logSoftmax', (a) => nn.logSoftmax(a), [r([2, 4])], TRANSCENDENTAL),
  // Longer than a texture row (gpu.js lays a 1-D output onto a 2-D texture): indexing across rows.
  diff('exp over 70,001 elements', nn.exp, [r([70001])], TRANSCENDENTAL),
  diff('sum of rows of a [3, 40000] tensor', (a) => nn.sum(a, 1), [r([3, 40000])], { atol: 1e-3, rtol: 1e-4 }),
  diff('transpose of a [300, 257] tensor', (a) => nn.transpose(a), [r([300, 257])]),
  diff('an MLP layer (matmul + bias + relu + logSoftmax)', (x, w, b) => nn.logSoftmax(nn.relu(nn.add(nn.matmul(x, w), b))), [r([8, 5]), r([5, 4]), r([4])], ACCUMULATING),
  // Last, so the inputs of the cases above stay what they were: the cpu kernel against a composite.
  diff('sumSquares over 5,003 elements', nn.sumSquares, [r([5003])], ACCUMULATING),
];

export interface CaseResult {
  /** The forward values, then each input's gradient. */
  outputs: Float32Array[];
}

/**
 * Runs a case on `backend` (made current for the whole case: backward makes its seed there). The scalar
 * that backward starts from weights every output element by a fixed pseudo-random number, so every
 * element's gradient path is exercised.
 */
export async function runCase(c: OpCase, backend: string): Promise<CaseResult> {
  const prev = nn.getBackend();
  nn.setBackend(backend);
  try {
    const xs = c.inputs.map(({ values, shape }) => {
      const t = nn.tensor(Float32Array.from(values), shape);
      if (c.backward) t.requiresGrad = true;
      return t;
    });
    const y = c.f(...xs);
    const outputs = [await y.data()];
    if (c.backward) {
      let s = 777;
      const weights = Float32Array.from({ length: y.size }, () => {
        s = (s * 48271) % 2147483647;
        return 0.5 + s / 2147483647;
      });
      nn.sum(nn.mul(y, nn.tensor(weights, y.shape))).backward();
      for (const x of xs) outputs.push(await x.grad!.data());
    }
    return { outputs };
  } finally {
    nn.setBackend(prev.name);
  }
}

/** The worst violation of `tol` between two results: null when within tolerance. */
export function compare(cpu: CaseResult, gpu: CaseResult, tol: Tolerance): { where: string; cpu: number; gpu: number; error: number } | null {
  let worst: { where: string; cpu: number; gpu: number; error: number } | null = null;
  cpu.outputs.forEach((expected, k) => {
    const got = gpu.outputs[k];
    if (got.length !== expected.length) {
      worst = { where: `${k === 0 ? 'value' : `grad ${k - 1}`} length`, cpu: expected.length, gpu: got.length, error: Infinity };
      return;
    }
    for (let i = 0; i < expected.length; i++) {
      const e = expected[i];
      const g = got[i];
      const same = (Number.isNaN(e) && Number.isNaN(g)) || e === g;
      const error = same ? 0 : Math.abs(g - e);
      if (!same && !(error <= tol.atol + tol.rtol * Math.abs(e)) && (!worst || !(error <= worst.error))) {
        worst = { where: `${k === 0 ? 'value' : `grad of input ${k - 1}`}[${i}]`, cpu: e, gpu: g, error };
      }
    }
  });
  return worst;
}

/** Largest absolute and relative difference, for the precision table. */
export function measure(cpu: CaseResult, gpu: CaseResult): { abs: number; rel: number } {
  let abs = 0;
  let rel = 0;
  cpu.outputs.forEach((expected, k) => {
    for (let i = 0; i < expected.length; i++) {
      const e = expected[i];
      const g = gpu.outputs[k][i];
      if (e === g || (Number.isNaN(e) && Number.isNaN(g))) continue;
      const d = Math.abs(g - e);
      abs = Math.max(abs, d);
      if (e !== 0) rel = Math.max(rel, d / Math.abs(e));
    }
  });
  return { abs, rel };
}
