// Row-wise softmax and logSoftmax over the last axis: three passes over each row (max; e^(x − max) and its
// sum; scale), each while the row is in L1, instead of the op layer's chain of nine full-tensor kernels.

import { expNonPositive, expV } from './elementwise';

/**
 * The row's max (the caller shifts by 0 where it is infinite or NaN, as ops/reduce.ts stableShift).
 * Four independent pmax chains (one maxps each on x86, where f32x4.max's NaN rules cost several
 * instructions): pmax may skip a NaN, but a NaN in the row makes its sum, and so every output, NaN anyway.
 */
@inline function rowShift(x: usize, n: i32): f32 {
  let a = f32x4.splat(-Infinity), b = a, c = a, d = a;
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const p = x + (<usize>i << 2);
    a = f32x4.pmax(a, v128.load(p));
    b = f32x4.pmax(b, v128.load(p, 16));
    c = f32x4.pmax(c, v128.load(p, 32));
    d = f32x4.pmax(d, v128.load(p, 48));
  }
  for (; i + 4 <= n; i += 4) a = f32x4.pmax(a, v128.load(x + (<usize>i << 2)));
  a = f32x4.pmax(f32x4.pmax(a, b), f32x4.pmax(c, d));
  let m = max(max(f32x4.extract_lane(a, 0), f32x4.extract_lane(a, 1)), max(f32x4.extract_lane(a, 2), f32x4.extract_lane(a, 3)));
  for (; i < n; i++) m = max(m, load<f32>(x + (<usize>i << 2)));
  return m;
}

/**
 * Σ e^(x − m) over the row, accumulated in float64 lanes as the reduce kernel's sum; the exponentials are
 * written to `out` when `keep` (softmax scales them next), else only summed (logSoftmax). x − m ≤ 0 when m
 * is the max; only a row holding +Infinity or NaN (m = 0 then) needs the full exponential (`full`).
 */
@inline function expSum(x: usize, out: usize, n: i32, m: f32, keep: bool, full: bool): f64 {
  const vm = f32x4.splat(m);
  let lo = f64x2.splat(0);
  let hi = f64x2.splat(0);
  let i = 0;
  // Four vectors an iteration (about 1.4x one: more independent exponentials in flight per loop branch).
  for (; i + 16 <= n; i += 16) {
    const o = <usize>i << 2;
    const p = x + o;
    const d0 = f32x4.sub(v128.load(p), vm), d1 = f32x4.sub(v128.load(p, 16), vm);
    const d2 = f32x4.sub(v128.load(p, 32), vm), d3 = f32x4.sub(v128.load(p, 48), vm);
    const e0 = full ? expV(d0) : expNonPositive(d0), e1 = full ? expV(d1) : expNonPositive(d1);
    const e2 = full ? expV(d2) : expNonPositive(d2), e3 = full ? expV(d3) : expNonPositive(d3);
    if (keep) {
      v128.store(out + o, e0);
      v128.store(out + o, e1, 16);
      v128.store(out + o, e2, 32);
      v128.store(out + o, e3, 48);
    }
    lo = f64x2.add(lo, f64x2.add(f64x2.promote_low_f32x4(e0), f64x2.promote_low_f32x4(e1)));
    hi = f64x2.add(hi, f64x2.add(f64x2.promote_low_f32x4(i32x4.shuffle(e0, e0, 2, 3, 0, 1)), f64x2.promote_low_f32x4(i32x4.shuffle(e1, e1, 2, 3, 0, 1))));
    lo = f64x2.add(lo, f64x2.add(f64x2.promote_low_f32x4(e2), f64x2.promote_low_f32x4(e3)));
    hi = f64x2.add(hi, f64x2.add(f64x2.promote_low_f32x4(i32x4.shuffle(e2, e2, 2, 3, 0, 1)), f64x2.promote_low_f32x4(i32x4.shuffle(e3, e3, 2, 3, 0, 1))));
  }
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const d = f32x4.sub(v128.load(x + o), vm);
    const e = full ? expV(d) : expNonPositive(d);
    if (keep) v128.store(out + o, e);
    lo = f64x2.add(lo, f64x2.promote_low_f32x4(e));
    hi = f64x2.add(hi, f64x2.promote_low_f32x4(i32x4.shuffle(e, e, 2, 3, 0, 1)));
  }
  let s = f64x2.extract_lane(lo, 0) + f64x2.extract_lane(lo, 1) + f64x2.extract_lane(hi, 0) + f64x2.extract_lane(hi, 1);
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const d = f32x4.splat(load<f32>(x + o) - m);
    const e = f32x4.extract_lane(full ? expV(d) : expNonPositive(d), 0);
    if (keep) store<f32>(out + o, e);
    s += <f64>e;
  }
  return s;
}

/**
 * softmax (`log` false) or logSoftmax (`log` true) of each of `rows` contiguous rows of `n` floats. logSoftmax
 * is the composite's (x − m) − log Σ (Σ summed in float64 in another order, so nearly always the same
 * float32); softmax is e^(x − m) · (1/Σ), within a few ulp of the composite's e^((x − m) − log Σ). Rows of
 * −Infinity give NaN, as the composite.
 */
export function softmaxRows(x: usize, out: usize, rows: i32, n: i32, log: bool): void {
  for (let r = 0; r < rows; r++) {
    const src = x + (<usize>r * <usize>n << 2);
    const dst = out + (<usize>r * <usize>n << 2);
    const max = rowShift(src, n);
    const finite = max - max == 0;
    const m: f32 = finite ? max : 0;
    if (log) {
      const sum = finite ? expSum(src, dst, n, m, false, false) : expSum(src, dst, n, m, false, true);
      const ls = f32x4.splat(<f32>Math.log(<f64><f32>sum));
      const vm = f32x4.splat(m);
      let i = 0;
      for (; i + 4 <= n; i += 4) {
        const o = <usize>i << 2;
        v128.store(dst + o, f32x4.sub(f32x4.sub(v128.load(src + o), vm), ls));
      }
      for (; i < n; i++) store<f32>(dst + (<usize>i << 2), (load<f32>(src + (<usize>i << 2)) - m) - f32x4.extract_lane(ls, 0));
    } else {
      const sum = finite ? expSum(src, dst, n, m, true, false) : expSum(src, dst, n, m, true, true);
      const scale = f32x4.splat(<f32>(1 / <f64><f32>sum));
      let i = 0;
      for (; i + 4 <= n; i += 4) {
        const o = <usize>i << 2;
        v128.store(dst + o, f32x4.mul(v128.load(dst + o), scale));
      }
      for (; i < n; i++) store<f32>(dst + (<usize>i << 2), load<f32>(dst + (<usize>i << 2)) * f32x4.extract_lane(scale, 0));
    }
  }
}
