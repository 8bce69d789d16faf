// Kernel sources for gpu.js, generated per op and per shape. gpu.js transpiles a JavaScript function to GLSL
// (WebGL/headless-gl), WGSL (WebGPU) or WebAssembly, so every kernel here is plain arithmetic on flat 1-D
// inputs: the output is 1-D (gpu.js lays a long 1-D output onto a 2-D texture itself), and each thread turns
// its flat index into coordinates with float division. Shapes and strides are inlined as literals (loops in
// GLSL need constant bounds); per-call scalars (a leakyRelu slope, a fill value) are uniforms, so a new value
// never compiles a new kernel.
import type { BinaryOp, ReduceOp, UnaryOp } from '../backend.js';
import { SELU_ALPHA, SELU_SCALE } from '../math.js';
import { broadcastStrides, stridesOf, type Shape } from '../shape.js';

/** A float literal gpu.js types as Float (never Integer). */
export function lit(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`gpujs codegen: non-finite literal ${n}`);
  const s = String(n);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/**
 * Helper functions added to every kernel. Each works in float32 and avoids what GLSL lacks or gets wrong:
 * no expm1/log1p/erf/isnan in GLSL ES 1.00, pow(x, y) undefined for x < 0, max/min undefined for NaN.
 */
export const HELPERS: readonly string[] = [
  // expm1 and log1p by series near 0, where exp(x) − 1 and log(1 + x) cancel (and where GPU log/exp,
  // accurate only to an absolute ~1e-7, would lose every digit of a tiny result).
  `function nnExpm1(x) {
  if (Math.abs(x) < 0.5) {
    return x * (1.0 + x * (0.5 + x * (0.16666666666666666 + x * (0.041666666666666664 + x * (0.008333333333333333 + x * (0.001388888888888889 + x * (0.0001984126984126984 + x * (0.0000248015873015873 + x * (0.0000027557319223985893 + x * 0.00000027557319223985894)))))))));
  }
  return Math.exp(x) - 1.0;
}`,
  // log(1 + x) = 2·atanh(x / (2 + x)), the odd series in s = x/(2+x), |s| ≤ 1/3 below |x| = 0.5.
  `function nnLog1p(x) {
  if (Math.abs(x) < 0.5) {
    const s = x / (2.0 + x);
    const q = s * s;
    return 2.0 * s * (1.0 + q * (0.3333333333333333 + q * (0.2 + q * (0.14285714285714285 + q * (0.1111111111111111 + q * (0.09090909090909091 + q * (0.07692307692307693 + q * (0.06666666666666667 + q * (0.058823529411764705 + q * 0.05263157894736842)))))))));
  }
  return Math.log(1.0 + x);
}`,
  // sin and cos reduced by a two-part π (Cody–Waite: k·3.140625 is exact) and evaluated by their Taylor
  // series on [−π/2, π/2]: GPU sin/cos builtins are often only ~1e-4 accurate (SwiftShader's are).
  `function nnSin(x) {
  const k = Math.floor(x * 0.3183098861837907 + 0.5);
  const t = (x - k * 3.140625) - k * 0.000967653589793116;
  const q = t * t;
  const v = t + t * q * (-0.16666666666666666 + q * (0.008333333333333333 + q * (-0.0001984126984126984 + q * (0.0000027557319223985893 + q * (-0.00000002505210838544172 + q * 0.00000000016059043836821613)))));
  if (Math.floor(k * 0.5) * 2.0 !== k) return -v;
  return v;
}`,
  `function nnCos(x) {
  const k = Math.floor(x * 0.3183098861837907 + 0.5);
  const t = (x - k * 3.140625) - k * 0.000967653589793116;
  const q = t * t;
  const v = 1.0 + q * (-0.5 + q * (0.041666666666666664 + q * (-0.001388888888888889 + q * (0.0000248015873015873 + q * (-0.00000027557319223985894 + q * (0.0000000020876756987868098 + q * -0.000000000011470745597729725))))));
  if (Math.floor(k * 0.5) * 2.0 !== k) return -v;
  return v;
}`,
  `function nnTanh(x) {
  const a = Math.abs(x);
  if (a > 9.0) return Math.sign(x);
  const t = nnExpm1(2.0 * a);
  return Math.sign(x) * (t / (t + 2.0));
}`,
  `function nnSigmoid(x) {
  if (x >= 0.0) return 1.0 / (1.0 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1.0 + e);
}`,
  `function nnSoftplus(x) {
  if (x > 0.0) return x + nnLog1p(Math.exp(-x));
  return nnLog1p(Math.exp(x));
}`,
  // Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): the formula the cpu backend's gelu uses too.
  `function nnErf(x) {
  const ax = Math.abs(x);
  const t = 1.0 / (1.0 + 0.3275911 * ax);
  let r = 1.061405429 * t - 1.453152027;
  r = r * t + 1.421413741;
  r = r * t - 0.284496736;
  r = r * t + 0.254829592;
  r = r * t;
  return Math.sign(x) * (1.0 - r * Math.exp(-(ax * ax)));
}`,
  `function nnGelu(x) {
  return 0.5 * x * (1.0 + nnErf(x * 0.7071067811865476));
}`,
  `function nnIsFinite(x) {
  if (x !== x) return 0.0;
  if (Math.abs(x) > 3.4028234e38) return 0.0;
  return 1.0;
}`,
  // JavaScript's Math.pow for negative bases: integer exponents give a signed result, others NaN.
  `function nnPow(a, b) {
  if (b === 0.0) return 1.0;
  if (a < 0.0) {
    if (Math.floor(b) !== b) return Math.sqrt(a);
    const m = Math.pow(-a, b);
    const h = b * 0.5;
    if (Math.floor(h) === h) return m;
    return -m;
  }
  if (a === 0.0) {
    if (b > 0.0) return 0.0;
    return 1.0 / a;
  }
  return Math.pow(a, b);
}`,
  `function nnMax(a, b) {
  if (a !== a) return a;
  if (b !== b) return b;
  if (a > b) return a;
  return b;
}`,
  `function nnMin(a, b) {
  if (a !== a) return a;
  if (b !== b) return b;
  if (a < b) return a;
  return b;
}`,
];

/** An input of a generated kernel: a device array, or a constant (a `fill`) passed as a uniform. */
export interface KernelInput {
  readonly name: string;
  readonly constant: boolean;
}

/** `name[offset]`, or the uniform itself for a constant input. */
const at = (x: KernelInput, offset: string): string => (x.constant ? x.name : `${x.name}[${offset}]`);

/**
 * Statements splitting the thread index into coordinates `c0…` of `shape` (size-1 axes get 0).
 * A coordinate is floor((r + 0.5) / stride): the half keeps the quotient off integer boundaries, so float
 * division that is an ulp short on some GPUs (9/3 = 2.9999…) still floors correctly.
 */
export function coordinates(shape: Shape, prefix = 'c'): string[] {
  const strides = stridesOf(shape);
  const lines = ['let r = this.thread.x + 0.0;'];
  shape.forEach((d, i) => {
    if (d === 1) lines.push(`const ${prefix}${i} = 0.0;`);
    else if (i === shape.length - 1) lines.push(`const ${prefix}${i} = r;`);
    else lines.push(`const ${prefix}${i} = Math.floor((r + 0.5) / ${lit(strides[i])});`, `r = r - ${prefix}${i} * ${lit(strides[i])};`);
  });
  return lines;
}

/** Σ c_i·strides_i (+ base) as an expression, skipping zero strides. */
export function offset(strides: readonly number[], base = 0, prefix = 'c'): string {
  const terms = strides.flatMap((s, i) => (s === 0 ? [] : [s === 1 ? `${prefix}${i}` : `${prefix}${i} * ${lit(s)}`]));
  if (base !== 0 || terms.length === 0) terms.unshift(lit(base));
  return terms.join(' + ');
}

const kernel = (args: readonly string[], body: readonly string[]): string => `function(${args.join(', ')}) {\n  ${body.join('\n  ')}\n}`;

const UNARY: Record<UnaryOp, string> = {
  neg: '-v',
  abs: 'Math.abs(v)',
  exp: 'Math.exp(v)',
  log: 'Math.log(v)',
  sqrt: 'Math.sqrt(v)',
  square: 'v * v',
  sin: 'nnSin(v)',
  cos: 'nnCos(v)',
  tanh: 'nnTanh(v)',
  sigmoid: 'nnSigmoid(v)',
  relu: 'v > 0.0 ? v : 0.0',
  sign: 'v > 0.0 ? 1.0 : (v < 0.0 ? -1.0 : v)',
  step: 'v > 0.0 ? 1.0 : 0.0',
  reciprocal: '1.0 / v',
  softplus: 'nnSoftplus(v)',
  erf: 'nnErf(v)',
  floor: 'Math.floor(v)',
  // Halves to even, as the cpu backend (numpy, PyTorch); GLSL's round() leaves halves to the implementation.
  round: '(v - Math.floor(v) == 0.5 ? 2.0 * Math.floor((Math.floor(v) + 1.0) * 0.5) : Math.floor(v + 0.5))',
  log1p: 'nnLog1p(v)',
  expm1: 'nnExpm1(v)',
  elu: 'v > 0.0 ? v : p * nnExpm1(v)',
  leakyRelu: 'v > 0.0 ? v : p * v',
  selu: `v > 0.0 ? ${lit(SELU_SCALE)} * v : ${lit(SELU_SCALE * SELU_ALPHA)} * nnExpm1(v)`,
  gelu: 'nnGelu(v)',
  mish: 'v * nnTanh(nnSoftplus(v))',
  swish: 'v * nnSigmoid(p * v)',
  hardSigmoid: 'Math.min(1.0, Math.max(0.0, v / 6.0 + 0.5))',
  isFinite: 'nnIsFinite(v)',
};

export function unarySource(op: UnaryOp, x: KernelInput): string {
  return kernel([x.name, 'p'], [`const v = ${at(x, 'this.thread.x')};`, `return ${UNARY[op]};`]);
}

const BINARY: Record<BinaryOp, string> = {
  add: 'x + y',
  sub: 'x - y',
  mul: 'x * y',
  div: 'x / y',
  pow: 'nnPow(x, y)',
  maximum: 'nnMax(x, y)',
  minimum: 'nnMin(x, y)',
  equal: 'x === y ? 1.0 : 0.0',
  notEqual: 'x !== y ? 1.0 : 0.0',
  less: 'x < y ? 1.0 : 0.0',
  lessEqual: 'x <= y ? 1.0 : 0.0',
  greater: 'x > y ? 1.0 : 0.0',
  greaterEqual: 'x >= y ? 1.0 : 0.0',
};

/** Reads of broadcast inputs: one flat index when shapes match, coordinates otherwise. */
function broadcastReads(inputs: readonly [KernelInput, Shape][], outShape: Shape, vars: readonly string[]): string[] {
  const same = inputs.every(([x, s]) => x.constant || s.join() === outShape.join());
  if (same) return inputs.map(([x], k) => `const ${vars[k]} = ${at(x, 'this.thread.x')};`);
  return [...coordinates(outShape), ...inputs.map(([x, s], k) => `const ${vars[k]} = ${at(x, offset(broadcastStrides(s, outShape)))};`)];
}

export function binarySource(op: BinaryOp, a: KernelInput, aShape: Shape, b: KernelInput, bShape: Shape, outShape: Shape): string {
  return kernel([a.name, b.name], [...broadcastReads([[a, aShape], [b, bShape]], outShape, ['x', 'y']), `return ${BINARY[op]};`]);
}

export function whereSource(c: KernelInput, cShape: Shape, a: KernelInput, aShape: Shape, b: KernelInput, bShape: Shape, outShape: Shape): string {
  return kernel([c.name, a.name, b.name], [...broadcastReads([[c, cShape], [a, aShape], [b, bShape]], outShape, ['q', 'x', 'y']), 'if (q !== 0.0) return x;', 'return y;']);
}

/** Merges neighbouring axes that are both reduced or both kept: fewer loops and index divisions. */
export function mergeAxes(shape: Shape, axes: readonly number[]): { shape: number[]; reduced: boolean[] } {
  const out: number[] = [];
  const reduced: boolean[] = [];
  shape.forEach((d, i) => {
    if (d === 1) return;
    const r = axes.includes(i);
    if (out.length && reduced[reduced.length - 1] === r) out[out.length - 1] *= d;
    else {
      out.push(d);
      reduced.push(r);
    }
  });
  return { shape: out, reduced };
}

/**
 * One thread per output element loops over the reduced elements. Sums are compensated (Kahan): float32
 * accumulation over n terms would otherwise drift by up to n·2⁻²⁴ relative to the cpu's float64 sum.
 */
export function reduceSource(op: ReduceOp, x: KernelInput, shape: Shape, axes: readonly number[]): string {
  const m = mergeAxes(shape, axes);
  const strides = stridesOf(m.shape);
  const keptAxes = m.shape.flatMap((_, i) => (m.reduced[i] ? [] : [i]));
  const redAxes = m.shape.flatMap((_, i) => (m.reduced[i] ? [i] : []));
  const outShape = keptAxes.map((i) => m.shape[i]);
  const body = outShape.length ? [...coordinates(outShape), `const base = ${offset(keptAxes.map((i) => strides[i]))};`] : ['const base = 0.0;'];
  if (!redAxes.length) return kernel([x.name], [...body, `return ${at(x, 'base')};`]);
  const idx = ['base', ...redAxes.map((a, k) => `j${k} * ${lit(strides[a])}`)].join(' + ');
  if (op === 'sum') body.push('let acc = 0.0;', 'let comp = 0.0;');
  else body.push(`let acc = ${at(x, 'base')};`);
  const open = redAxes.map((a, k) => `for (let j${k} = 0.0; j${k} < ${lit(m.shape[a])}; j${k}++) {`);
  const step =
    op === 'sum'
      ? [`const yk = ${at(x, idx)} - comp;`, 'const tk = acc + yk;', 'comp = (tk - acc) - yk;', 'acc = tk;']
      : [`const v = ${at(x, idx)};`, `if (acc === acc && (v ${op === 'max' ? '>' : '<'} acc || v !== v)) acc = v;`];
  body.push(...open, ...step, ...redAxes.map(() => '}'), 'return acc;');
  return kernel([x.name], body);
}

export function argReduceSource(op: 'argmax' | 'argmin', x: KernelInput, shape: Shape, axis: number): string {
  const n = shape[axis];
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  return kernel([x.name], [
    `const o = Math.floor((this.thread.x + 0.5) / ${lit(inner)});`,
    `const k = this.thread.x - o * ${lit(inner)};`,
    `const base = o * ${lit(n * inner)} + k;`,
    'let best = 0.0;',
    `let bestV = ${at(x, 'base')};`,
    `for (let j = 1.0; j < ${lit(n)}; j++) {`,
    `const v = ${at(x, `base + j * ${lit(inner)}`)};`,
    `if (bestV === bestV && (v ${op === 'argmax' ? '>' : '<'} bestV || v !== v)) {`,
    'best = j;',
    'bestV = v;',
    '}',
    '}',
    'return best;',
  ]);
}

/** Batched matmul with broadcast batch dims; transposed operands are read through swapped strides. */
export function matmulSource(a: KernelInput, aShape: Shape, b: KernelInput, bShape: Shape, transposeA: boolean, transposeB: boolean, outShape: Shape): string {
  const ra = aShape.length;
  const rb = bShape.length;
  const k = transposeA ? aShape[ra - 2] : aShape[ra - 1];
  const batchShape = outShape.slice(0, -2);
  const aBatch = broadcastStrides(aShape.slice(0, -2), batchShape).map((s) => s * aShape[ra - 2] * aShape[ra - 1]);
  const bBatch = broadcastStrides(bShape.slice(0, -2), batchShape).map((s) => s * bShape[rb - 2] * bShape[rb - 1]);
  const [aRow, aCol] = transposeA ? [1, aShape[ra - 1]] : [aShape[ra - 1], 1];
  const [bRow, bCol] = transposeB ? [1, bShape[rb - 1]] : [bShape[rb - 1], 1];
  const aStrides = [...aBatch, aRow, 0];
  const bStrides = [...bBatch, 0, bCol];
  return kernel([a.name, b.name], [
    ...coordinates(outShape),
    `const aBase = ${offset(aStrides)};`,
    `const bBase = ${offset(bStrides)};`,
    'let acc = 0.0;',
    `for (let j = 0.0; j < ${lit(k)}; j++) {`,
    `acc += ${at(a, `aBase + j * ${lit(aCol)}`)} * ${at(b, `bBase + j * ${lit(bRow)}`)};`,
    '}',
    'return acc;',
  ]);
}

/** out[c] = x[base + Σ c_i·strides_i]: transpose and slice. */
export function stridedCopySource(x: KernelInput, outShape: Shape, strides: readonly number[], base: number): string {
  return kernel([x.name], [...coordinates(outShape), `return ${at(x, offset(strides, base))};`]);
}

export function padSource(x: KernelInput, shape: Shape, paddings: readonly (readonly [number, number])[]): string {
  const outShape = shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
  const strides = stridesOf(shape);
  const body = coordinates(outShape);
  shape.forEach((d, i) => {
    const [lo, hi] = paddings[i];
    if (lo === 0 && hi === 0) body.push(`const s${i} = c${i};`);
    else body.push(`const s${i} = c${i} - ${lit(lo)};`, `if (s${i} < 0.0 || s${i} > ${lit(d - 1)}) return p;`);
  });
  body.push(`return ${at(x, offset(strides, 0, 's'))};`);
  return kernel([x.name, 'p'], body);
}

export function concatSource(xs: readonly KernelInput[], shapes: readonly Shape[], axis: number, outShape: Shape): string {
  const body = coordinates(outShape);
  let start = 0;
  xs.forEach((x, k) => {
    const strides = stridesOf(shapes[k]);
    const end = start + shapes[k][axis];
    const idx = offset(strides, -start * strides[axis]);
    const read = `return ${at(x, idx)};`;
    body.push(k === xs.length - 1 ? read : `if (c${axis} < ${lit(end)}) { ${read} }`);
    start = end;
  });
  return kernel(xs.map((x) => x.name), body);
}

export function gatherSource(x: KernelInput, indices: KernelInput, n: number, count: number, inner: number): string {
  return kernel([x.name, indices.name], [
    `const o = Math.floor((this.thread.x + 0.5) / ${lit(count * inner)});`,
    `let r = this.thread.x - o * ${lit(count * inner)};`,
    `const j = Math.floor((r + 0.5) / ${lit(inner)});`,
    `const k = r - j * ${lit(inner)};`,
    `const row = ${at(indices, 'j')};`,
    `return ${at(x, `(o * ${lit(n)} + row) * ${lit(inner)} + k`)};`,
  ]);
}

/** The adjoint of gather, written gather-style: each output element sums the updates aimed at it, in index order. */
export function scatterAddSource(updates: KernelInput, indices: KernelInput, n: number, count: number, inner: number): string {
  return kernel([updates.name, indices.name], [
    `const o = Math.floor((this.thread.x + 0.5) / ${lit(n * inner)});`,
    `let r = this.thread.x - o * ${lit(n * inner)};`,
    `const row = Math.floor((r + 0.5) / ${lit(inner)});`,
    `const k = r - row * ${lit(inner)};`,
    'let acc = 0.0;',
    `for (let j = 0.0; j < ${lit(count)}; j++) {`,
    `if (${at(indices, 'j')} === row) acc += ${at(updates, `(o * ${lit(count)} + j) * ${lit(inner)} + k`)};`,
    '}',
    'return acc;',
  ]);
}

export function oneHotSource(indices: KernelInput, depth: number): string {
  return kernel([indices.name, 'on', 'off'], [
    `const row = Math.floor((this.thread.x + 0.5) / ${lit(depth)});`,
    `const k = this.thread.x - row * ${lit(depth)};`,
    `if (${at(indices, 'row')} === k) return on;`,
    'return off;',
  ]);
}

export const IDENTITY_SOURCE = kernel(['a'], ['return a[this.thread.x];']);
