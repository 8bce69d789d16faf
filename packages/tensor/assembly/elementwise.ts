// Elementwise kernels over float32 arrays in linear memory. Pointers are byte addresses. The cheap ops run
// four lanes at a time and branch-free (masks and selects, never an `if` per element); the transcendental
// ones compute in float64 and round once, as the cpu reference does.

const ZERO = f32x4.splat(0);
const ONE = f32x4.splat(1);

const SELU_ALPHA: f64 = 1.6732632423543772;
const SELU_SCALE: f64 = 1.0507009873554805;
const TWO_OVER_SQRT_PI: f64 = 1.1283791670955126;

// Op codes: the order of UnaryOp in src/wasm/codes.ts.
export const enum Unary {
  Neg, Abs, Exp, Log, Sqrt, Square, Sin, Cos, Tanh, Sigmoid, Relu, Sign, Step, Reciprocal, Softplus, Erf, Floor,
  Round, Log1p, Expm1, Elu, LeakyRelu, Selu, Gelu, Mish, Swish, HardSigmoid, IsFinite,
}

export const enum Binary {
  Add, Sub, Mul, Div, Pow, Maximum, Minimum, Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual,
}

function erf(x: f64): f64 {
  const ax = Math.abs(x);
  if (ax >= 6) return x > 0 ? 1 : -1;
  if (isNaN(x)) return NaN;
  let term = ax;
  let sum = ax;
  const x2 = ax * ax;
  for (let n = 1; n < 200 && term > sum * 1e-17; n++) {
    term *= (2 * x2) / <f64>(2 * n + 1);
    sum += term;
  }
  const r = TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
  return x < 0 ? -r : r;
}

function softplus(x: f64): f64 {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

function sigmoid(x: f64): f64 {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

// PyTorch's float32 erf (Abramowitz & Stegun 7.1.26), rounded at each step: GELU's forward matches PyTorch.
function erfF32(x: f64): f64 {
  const ax = Math.abs(x);
  const t = <f64><f32>(1 / <f64><f32>(1 + <f64><f32>(0.3275911 * ax)));
  let r = <f64><f32>(<f64><f32>(1.061405429 * t) - 1.453152027);
  r = <f64><f32>(<f64><f32>(r * t) + 1.421413741);
  r = <f64><f32>(<f64><f32>(r * t) - 0.284496736);
  r = <f64><f32>(<f64><f32>(r * t) + 0.254829592);
  r = <f64><f32>(r * t);
  const v = <f64><f32>(1 - <f64><f32>(r * <f64><f32>(Math.exp(-<f64><f32>(ax * ax)))));
  return x > 0 ? v : x < 0 ? -v : 0 * v;
}

function gelu(x: f64): f64 {
  const half = <f64><f32>(0.5 * x);
  return half * <f64><f32>(1 + erfF32(<f64><f32>(x * <f64><f32>(0.7071067811865476))));
}

function roundHalfEven(x: f64): f64 {
  return Math.round(x) - x === 0.5 && Math.round(x) % 2 !== 0 ? Math.round(x) - 1 : Math.round(x);
}

@inline function scalarUnary(op: i32, x: f64, p: f64): f64 {
  switch (op) {
    case Unary.Exp: return Math.exp(x);
    case Unary.Log: return Math.log(x);
    case Unary.Sin: return Math.sin(x);
    case Unary.Cos: return Math.cos(x);
    case Unary.Tanh: return Math.tanh(x);
    case Unary.Sigmoid: return sigmoid(x);
    case Unary.Sign: return x > 0 ? 1 : x < 0 ? -1 : x;
    case Unary.Softplus: return softplus(x);
    case Unary.Erf: return erf(x);
    case Unary.Round: return roundHalfEven(x);
    case Unary.Log1p: return Math.log1p(x);
    case Unary.Expm1: return Math.expm1(x);
    case Unary.Elu: return x > 0 ? x : p * Math.expm1(x);
    case Unary.Selu: return SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x));
    case Unary.Gelu: return gelu(x);
    case Unary.Mish: return x * Math.tanh(softplus(x));
    case Unary.Swish: return x * sigmoid(p * x);
    default: return NaN;
  }
}

/**
 * e^c for four floats already in [−87.33654, 88.37626]: Cephes' expf (range reduction by ln 2 in two parts,
 * a degree-6 polynomial, the exponent built in the bits), within 2 ulp of the correctly rounded value.
 * n = round(c·log2 e) comes from adding 1.5·2^23 + 127 (ties to even, as f32x4.nearest): the sum's low bits
 * are then n + 127, the biased exponent of 2^n, with no float-to-int conversion (trunc_sat costs a
 * sequence of instructions on x86).
 */
@inline export function expCore(c: v128): v128 {
  const magic = f32x4.splat(12583039); // 1.5·2^23 + 127
  const biased = f32x4.add(f32x4.mul(c, f32x4.splat(1.44269504088896341)), magic);
  const n = f32x4.sub(biased, magic);
  let r = f32x4.sub(f32x4.sub(c, f32x4.mul(n, f32x4.splat(0.693359375))), f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let y = f32x4.splat(1.9875691500e-4);
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(1.3981999507e-3));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(8.3334519073e-3));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(4.1665795894e-2));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(1.6666665459e-1));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(5.0000001201e-1));
  y = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(y, r), r), r), ONE);
  return f32x4.mul(y, i32x4.shl(biased, 23));
}

/**
 * e^x for four floats: expCore, +Infinity above 88.72, 0 below −87.33 (where e^x is subnormal: an absolute
 * error under 1.2e-38). The clamps are pmin/pmax (one instruction each on x86, where min/max's NaN rules
 * cost several): with x as their first operand they return a NaN x unchanged, so NaN still gives NaN.
 */
@inline export function expV(x: v128): v128 {
  const r = expCore(f32x4.pmin(f32x4.pmax(x, f32x4.splat(-87.33654)), f32x4.splat(88.37626)));
  return v128.andnot(v128.bitselect(f32x4.splat(Infinity), r, f32x4.gt(x, f32x4.splat(88.72283))), f32x4.lt(x, f32x4.splat(-87.33654)));
}

/** e^x for x ≤ 0 (or NaN): expV without the upper clamp and the overflow select. */
@inline export function expNonPositive(x: v128): v128 {
  return v128.andnot(expCore(f32x4.pmax(x, f32x4.splat(-87.33654))), f32x4.lt(x, f32x4.splat(-87.33654)));
}

/**
 * 1/(1 + e^−x) as e^−|x| = z, then 1/(1 + z) for x ≥ 0 and z/(1 + z) below: z never overflows, so the
 * exponential needs no upper clamp, and one division serves both signs. Zero where z would be subnormal.
 */
@inline function sigmoidV(x: v128): v128 {
  // −|x| by setting the sign bit: one or (V8 builds each of abs and neg from three instructions).
  const z = expNonPositive(v128.or(x, f32x4.splat(-0.0)));
  return f32x4.div(v128.bitselect(ONE, z, f32x4.ge(x, ZERO)), f32x4.add(ONE, z));
}

@inline function simdUnary(op: i32, v: v128, p: v128): v128 {
  switch (op) {
    case Unary.Exp: return expV(v);
    case Unary.Sigmoid: return sigmoidV(v);
    case Unary.Neg: return f32x4.neg(v);
    case Unary.Abs: return f32x4.abs(v);
    case Unary.Sqrt: return f32x4.sqrt(v);
    case Unary.Square: return f32x4.mul(v, v);
    // x > 0 ? x : 0 as a mask: NaN and -0 give +0, as the cpu kernel.
    case Unary.Relu: return v128.and(v, f32x4.gt(v, ZERO));
    case Unary.Step: return v128.and(ONE, f32x4.gt(v, ZERO));
    case Unary.Reciprocal: return f32x4.div(ONE, v);
    case Unary.Floor: return f32x4.floor(v);
    case Unary.LeakyRelu: return v128.bitselect(v, f32x4.mul(v, p), f32x4.gt(v, ZERO));
    case Unary.HardSigmoid: return f32x4.min(ONE, f32x4.max(ZERO, f32x4.add(f32x4.div(v, f32x4.splat(6)), f32x4.splat(0.5))));
    // x − x is 0 exactly when x is finite (∞ − ∞ and NaN − NaN are NaN).
    case Unary.IsFinite: return v128.and(ONE, f32x4.eq(f32x4.sub(v, v), ZERO));
    default: return v;
  }
}

// One class per vector op, so `unaryLoop<T>` is a separate instantiation per op with the op fixed in its
// code. (Passing the op as a constant argument instead let binaryen fold the thirteen inlined loops into one
// with a br_table on the op inside the loop body: relu ran at half speed.)
@final class ExpOp { @inline apply(v: v128, p: v128): v128 { return simdUnary(Unary.Exp, v, p); } }
@final class SigmoidOp { @inline apply(v: v128, p: v128): v128 { return simdUnary(Unary.Sigmoid, v, p); } }
@final class NegOp { @inline apply(v: v128, p: v128): v128 { return simdUnary(Unary.Neg, v, p); } }
@final class AbsOp { @inline apply(v: v128, p: v128): v128 { return simdUnary(Unary.Abs, v, p); } }
@final class SqrtOp { @inline apply(v: v128, p: v128): v128 { return simdUnary(Unary.Sqrt, v, p); } }
@final class SquareOp { @inline apply(v: v128, p: v128): v128 { return simdUnary(Unary.Square, v, p); } }
@final class ReluOp { @inline apply(v: v128, p: v128): v128 { return simdUnary(Unary.Relu, v, p); } }
@final class StepOp { @inline apply(v: v128, p: v128): v128 { return simdUnary(Unary.Step, v, p); } }
@final class ReciprocalOp { @inline apply(v: v128, p: v128): v128 { return simdUnary(Unary.Reciprocal, v, p); } }
@final class FloorOp { @inline apply(v: v128, p: v128): v128 { return simdUnary(Unary.Floor, v, p); } }
@final class LeakyReluOp { @inline apply(v: v128, p: v128): v128 { return simdUnary(Unary.LeakyRelu, v, p); } }
@final class HardSigmoidOp { @inline apply(v: v128, p: v128): v128 { return simdUnary(Unary.HardSigmoid, v, p); } }
@final class IsFiniteOp { @inline apply(v: v128, p: v128): v128 { return simdUnary(Unary.IsFinite, v, p); } }

/** The loops for one op. `T`'s method never reads `this`, so a null reference stands in: nothing is allocated. */
@inline function unaryLoop<T>(x: usize, out: usize, n: i32, param: f64): void {
  const k = changetype<T>(0);
  const p = f32x4.splat(<f32>param);
  let i = 0;
  // Four vectors an iteration: fewer loop branches, more loads in flight.
  for (; i + 16 <= n; i += 16) {
    const o = <usize>i << 2;
    const a = v128.load(x + o), b = v128.load(x + o, 16), c = v128.load(x + o, 32), d = v128.load(x + o, 48);
    v128.store(out + o, k.apply(a, p));
    v128.store(out + o, k.apply(b, p), 16);
    v128.store(out + o, k.apply(c, p), 32);
    v128.store(out + o, k.apply(d, p), 48);
  }
  for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), k.apply(v128.load(x + (<usize>i << 2)), p));
  // The tail through a vector too: the same code path, so the same rounding.
  for (; i < n; i++) {
    const v = k.apply(f32x4.splat(load<f32>(x + (<usize>i << 2))), p);
    store<f32>(out + (<usize>i << 2), f32x4.extract_lane(v, 0));
  }
}

export function unary(op: i32, x: usize, out: usize, n: i32, param: f64): void {
  switch (op) {
    case Unary.Exp: unaryLoop<ExpOp>(x, out, n, param); return;
    case Unary.Sigmoid: unaryLoop<SigmoidOp>(x, out, n, param); return;
    case Unary.Neg: unaryLoop<NegOp>(x, out, n, param); return;
    case Unary.Abs: unaryLoop<AbsOp>(x, out, n, param); return;
    case Unary.Sqrt: unaryLoop<SqrtOp>(x, out, n, param); return;
    case Unary.Square: unaryLoop<SquareOp>(x, out, n, param); return;
    case Unary.Relu: unaryLoop<ReluOp>(x, out, n, param); return;
    case Unary.Step: unaryLoop<StepOp>(x, out, n, param); return;
    case Unary.Reciprocal: unaryLoop<ReciprocalOp>(x, out, n, param); return;
    case Unary.Floor: unaryLoop<FloorOp>(x, out, n, param); return;
    case Unary.LeakyRelu: unaryLoop<LeakyReluOp>(x, out, n, param); return;
    case Unary.HardSigmoid: unaryLoop<HardSigmoidOp>(x, out, n, param); return;
    case Unary.IsFinite: unaryLoop<IsFiniteOp>(x, out, n, param); return;
    default:
      for (let i = 0; i < n; i++) {
        const a = <usize>i << 2;
        store<f32>(out + a, <f32>scalarUnary(op, <f64>load<f32>(x + a), param));
      }
  }
}

@inline function simdBinary(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case Binary.Add: return f32x4.add(a, b);
    case Binary.Sub: return f32x4.sub(a, b);
    case Binary.Mul: return f32x4.mul(a, b);
    case Binary.Div: return f32x4.div(a, b);
    // WebAssembly's min/max return NaN when either operand is NaN, as numpy's maximum/minimum.
    case Binary.Maximum: return f32x4.max(a, b);
    case Binary.Minimum: return f32x4.min(a, b);
    case Binary.Equal: return v128.and(ONE, f32x4.eq(a, b));
    case Binary.NotEqual: return v128.and(ONE, f32x4.ne(a, b));
    case Binary.Less: return v128.and(ONE, f32x4.lt(a, b));
    case Binary.LessEqual: return v128.and(ONE, f32x4.le(a, b));
    case Binary.Greater: return v128.and(ONE, f32x4.gt(a, b));
    case Binary.GreaterEqual: return v128.and(ONE, f32x4.ge(a, b));
    default: return f32x4.splat(NaN);
  }
}

function pow(a: f64, b: f64): f64 {
  // C's pow where JavaScript's differs: 1^y = 1 for every y, (−1)^±∞ = 1.
  if (a == 1 || (a == -1 && Math.abs(b) == Infinity)) return 1;
  return Math.pow(a, b);
}

@inline function scalarBinary(op: i32, a: f32, b: f32): f32 {
  if (op == Binary.Pow) return <f32>pow(<f64>a, <f64>b);
  return f32x4.extract_lane(simdBinary(op, f32x4.splat(a), f32x4.splat(b)), 0);
}

/** The vector loops of one run for one op (inlined with a constant `op`: no switch in the loop body). */
@inline function binaryRunSimd(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): i32 {
  let i = 0;
  if (sa == 1 && sb == 1) {
    // Four vectors an iteration, as in unaryLoop.
    for (; i + 16 <= n; i += 16) {
      const o = <usize>i << 2;
      const a0 = v128.load(a + o), a1 = v128.load(a + o, 16), a2 = v128.load(a + o, 32), a3 = v128.load(a + o, 48);
      const b0 = v128.load(b + o), b1 = v128.load(b + o, 16), b2 = v128.load(b + o, 32), b3 = v128.load(b + o, 48);
      v128.store(out + o, simdBinary(op, a0, b0));
      v128.store(out + o, simdBinary(op, a1, b1), 16);
      v128.store(out + o, simdBinary(op, a2, b2), 32);
      v128.store(out + o, simdBinary(op, a3, b3), 48);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, simdBinary(op, v128.load(a + o), v128.load(b + o)));
    }
  } else if (sa == 1 && sb == 0) {
    const vb = v128.load32_splat(b);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, simdBinary(op, v128.load(a + o), vb));
    }
  } else if (sa == 0 && sb == 1) {
    const va = v128.load32_splat(a);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, simdBinary(op, va, v128.load(b + o)));
    }
  }
  return i;
}

/** One run of `n` outputs; `sa`/`sb` are the operands' element steps (0 broadcasts a value). */
function binaryRun(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): void {
  let i = 0;
  switch (op) {
    case Binary.Add: i = binaryRunSimd(Binary.Add, a, sa, b, sb, out, n); break;
    case Binary.Sub: i = binaryRunSimd(Binary.Sub, a, sa, b, sb, out, n); break;
    case Binary.Mul: i = binaryRunSimd(Binary.Mul, a, sa, b, sb, out, n); break;
    case Binary.Div: i = binaryRunSimd(Binary.Div, a, sa, b, sb, out, n); break;
    case Binary.Maximum: i = binaryRunSimd(Binary.Maximum, a, sa, b, sb, out, n); break;
    case Binary.Minimum: i = binaryRunSimd(Binary.Minimum, a, sa, b, sb, out, n); break;
    case Binary.Pow: break;
    default: i = binaryRunSimd(op, a, sa, b, sb, out, n);
  }
  for (; i < n; i++) {
    store<f32>(out + (<usize>i << 2), scalarBinary(op, load<f32>(a + (<usize>(i * sa) << 2)), load<f32>(b + (<usize>(i * sb) << 2))));
  }
}

/**
 * out (contiguous, `rank` axes of sizes at `shape`) = a op b with a, b addressed by element strides (0 on
 * broadcast axes). The caller collapses axes first, so the last axis is a long run in the common cases.
 */
export function binary(op: i32, a: usize, b: usize, out: usize, rank: i32, shape: usize, aStrides: usize, bStrides: usize, counter: usize): void {
  const inner = load<i32>(shape + (<usize>(rank - 1) << 2));
  const sa = load<i32>(aStrides + (<usize>(rank - 1) << 2));
  const sb = load<i32>(bStrides + (<usize>(rank - 1) << 2));
  let total: i32 = 1;
  for (let d = 0; d < rank; d++) total *= load<i32>(shape + (<usize>d << 2));
  if (total == 0) return;
  for (let d = 0; d < rank; d++) store<i32>(counter + (<usize>d << 2), 0);
  let ia = 0;
  let ib = 0;
  for (let o = 0; o < total; o += inner) {
    binaryRun(op, a + (<usize>ia << 2), sa, b + (<usize>ib << 2), sb, out + (<usize>o << 2), inner);
    for (let d = rank - 2; d >= 0; d--) {
      const at = counter + (<usize>d << 2);
      const c = load<i32>(at) + 1;
      const size = load<i32>(shape + (<usize>d << 2));
      const stA = load<i32>(aStrides + (<usize>d << 2));
      const stB = load<i32>(bStrides + (<usize>d << 2));
      ia += stA;
      ib += stB;
      if (c < size) {
        store<i32>(at, c);
        break;
      }
      ia -= stA * size;
      ib -= stB * size;
      store<i32>(at, 0);
    }
  }
}

/** out = cond != 0 ? a : b, all three addressed by strides over `shape` (rank >= 1). */
export function where(c: usize, a: usize, b: usize, out: usize, rank: i32, shape: usize, cStrides: usize, aStrides: usize, bStrides: usize, counter: usize): void {
  let total: i32 = 1;
  for (let d = 0; d < rank; d++) total *= load<i32>(shape + (<usize>d << 2));
  for (let d = 0; d < rank; d++) store<i32>(counter + (<usize>d << 2), 0);
  let ic = 0, ia = 0, ib = 0;
  for (let o = 0; o < total; o++) {
    const cv = load<f32>(c + (<usize>ic << 2));
    const av = load<f32>(a + (<usize>ia << 2));
    const bv = load<f32>(b + (<usize>ib << 2));
    store<f32>(out + (<usize>o << 2), select<f32>(av, bv, cv != 0));
    for (let d = rank - 1; d >= 0; d--) {
      const at = counter + (<usize>d << 2);
      const k = load<i32>(at) + 1;
      const size = load<i32>(shape + (<usize>d << 2));
      const sc = load<i32>(cStrides + (<usize>d << 2));
      const sa = load<i32>(aStrides + (<usize>d << 2));
      const sb = load<i32>(bStrides + (<usize>d << 2));
      ic += sc; ia += sa; ib += sb;
      if (k < size) {
        store<i32>(at, k);
        break;
      }
      ic -= sc * size; ia -= sa * size; ib -= sb * size;
      store<i32>(at, 0);
    }
  }
}

export function fill(out: usize, n: i32, value: f32): void {
  const v = f32x4.splat(value);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), v);
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), value);
}
