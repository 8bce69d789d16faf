// Reductions over a tensor seen as [outer, n, inner] (the caller moves the reduced axes into one block).

// Op codes: the order of ReduceOp in src/wasm/codes.ts.
export const enum Reduce { Sum, Max, Min }

/** Sum of `n` contiguous floats, accumulated in float64 lanes (as exact as the cpu's float64 loop allows). */
function sumRun(x: usize, n: i32): f64 {
  let lo = f64x2.splat(0);
  let hi = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    lo = f64x2.add(lo, f64x2.promote_low_f32x4(v));
    hi = f64x2.add(hi, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)));
  }
  let s = f64x2.extract_lane(lo, 0) + f64x2.extract_lane(lo, 1) + f64x2.extract_lane(hi, 0) + f64x2.extract_lane(hi, 1);
  for (; i < n; i++) s += <f64>load<f32>(x + (<usize>i << 2));
  return s;
}

function extremeRun(op: i32, x: usize, n: i32): f32 {
  let acc = f32x4.splat(op == Reduce.Max ? -Infinity : Infinity);
  let i = 0;
  // WebAssembly's min/max propagate NaN, as the cpu kernel does.
  if (op == Reduce.Max) for (; i + 4 <= n; i += 4) acc = f32x4.max(acc, v128.load(x + (<usize>i << 2)));
  else for (; i + 4 <= n; i += 4) acc = f32x4.min(acc, v128.load(x + (<usize>i << 2)));
  const a0 = f32x4.extract_lane(acc, 0), a1 = f32x4.extract_lane(acc, 1), a2 = f32x4.extract_lane(acc, 2), a3 = f32x4.extract_lane(acc, 3);
  let r = op == Reduce.Max ? max(max(a0, a1), max(a2, a3)) : min(min(a0, a1), min(a2, a3));
  for (; i < n; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    r = op == Reduce.Max ? max(r, v) : min(r, v);
  }
  return r;
}

export function reduce(op: i32, x: usize, out: usize, outer: i32, n: i32, inner: i32): void {
  if (inner == 1) {
    for (let o = 0; o < outer; o++) {
      const src = x + (<usize>(o * n) << 2);
      store<f32>(out + (<usize>o << 2), op == Reduce.Sum ? <f32>sumRun(src, n) : extremeRun(op, src, n));
    }
    return;
  }
  // Reducing a leading axis: whole rows of `inner` at a time, four lanes at once.
  const init = f32x4.splat(op == Reduce.Sum ? 0 : op == Reduce.Max ? -Infinity : Infinity);
  for (let o = 0; o < outer; o++) {
    const dst = out + (<usize>(o * inner) << 2);
    let j = 0;
    for (; j + 4 <= inner; j += 4) {
      let acc = init;
      let src = x + (<usize>(o * n * inner + j) << 2);
      const step = <usize>inner << 2;
      if (op == Reduce.Sum) for (let i = 0; i < n; i++, src += step) acc = f32x4.add(acc, v128.load(src));
      else if (op == Reduce.Max) for (let i = 0; i < n; i++, src += step) acc = f32x4.max(acc, v128.load(src));
      else for (let i = 0; i < n; i++, src += step) acc = f32x4.min(acc, v128.load(src));
      v128.store(dst + (<usize>j << 2), acc);
    }
    for (; j < inner; j++) {
      let acc = f32x4.extract_lane(init, 0);
      for (let i = 0; i < n; i++) {
        const v = load<f32>(x + (<usize>((o * n + i) * inner + j) << 2));
        acc = op == Reduce.Sum ? acc + v : op == Reduce.Max ? max(acc, v) : min(acc, v);
      }
      store<f32>(dst + (<usize>j << 2), acc);
    }
  }
}

/** Index of the first max (or min) along the middle axis; a NaN wins at once, as in the cpu kernel. */
export function argReduce(isMax: bool, x: usize, out: usize, outer: i32, n: i32, inner: i32): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      let best = 0;
      let bestV = load<f32>(x + (<usize>(o * n * inner + j) << 2));
      for (let i = 1; i < n && !isNaN(bestV); i++) {
        const v = load<f32>(x + (<usize>((o * n + i) * inner + j) << 2));
        if ((isMax ? v > bestV : v < bestV) || isNaN(v)) {
          best = i;
          bestV = v;
        }
      }
      store<f32>(out + (<usize>(o * inner + j) << 2), <f32>best);
    }
  }
}
