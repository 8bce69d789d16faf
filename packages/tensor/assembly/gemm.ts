// Single-precision GEMM: C = A·B (+ bias, activation) with A, B addressed by row/column element strides, so
// transposed operands are read in place. Goto-style blocking: a KC×NC panel of B and an MC×KC block of A are
// packed into strips laid out for a 5×8 register tile (10 f32x4 accumulators); the epilogue runs on each C
// block right after its last K panel, while it is still in cache.
//
// Tuned against what V8 makes of the micro-kernel on x64 (16 xmm registers, one kept as scratch): 5×8 is the
// largest tile whose accumulators, two B vectors, an A vector and a product stay in registers (6×8 spills,
// and unrolling the k loop makes V8 hoist loads and spill too). A is packed pre-broadcast, each element as
// a whole f32x4, so the kernel reads it with plain vector loads at constant offsets (V8 computes the address
// of every offset load32_splat with an extra lea), and the loop runs on the B pointer alone. Without FMA
// (relaxed SIMD isn't everywhere), 5 rows x 2 vectors of mul+add per k keep the multiply and add pipes busy:
// 15-20% faster than the 4×8 load-splat kernel it replaced, about at the mul+add peak of one core.

export const MR = 5;
export const NR = 8;
export const KC = 256;
/** Rows of A per packed block: a multiple of MR; the block (pre-broadcast, 16 bytes an element) is 240 KB. */
export const MC = 60;
export const NC = 512;

/** Bytes of packing buffer one GEMM caller needs (A block, B panel, a C tile). */
export function packBytes(): i32 {
  return (MC + MR) * KC * 16 + KC * (NC + NR) * 4 + MR * NR * 4;
}

// Epilogue codes: the order of FUSED_ACTIVATIONS in src/wasm/codes.ts.
export const enum Act { Linear, Relu, Sigmoid, Tanh }

/** A kc×nc panel of B as NR-column strips, k-major; columns past nc are 0. */
function packB(b: usize, bRow: i32, bCol: i32, kc: i32, nc: i32, dst: usize): void {
  for (let js = 0; js < nc; js += NR) {
    const w = min(NR, nc - js);
    let d = dst + (<usize>(js * kc) << 2);
    let p = 0;
    if (bCol == 1 && w == NR) {
      for (; p < kc; p++, d += NR * 4) {
        const src = b + (<usize>(p * bRow + js) << 2);
        v128.store(d, v128.load(src));
        v128.store(d, v128.load(src, 16), 16);
      }
    } else if (bRow == 1 && w == NR) {
      // B read transposed (a layer's weights in the backward pass): each column is contiguous in k, so four
      // k of four columns load as four vectors and transpose in registers (the scalar loop cost as much as
      // the product on small layers).
      const col = <usize>bCol << 2;
      for (; p + 4 <= kc; p += 4, d += 4 * NR * 4) {
        for (let half = 0; half < 2; half++) {
          const src = b + (<usize>(p + (js + 4 * half) * bCol) << 2);
          const r0 = v128.load(src), r1 = v128.load(src + col), r2 = v128.load(src + 2 * col), r3 = v128.load(src + 3 * col);
          const lo01 = i32x4.shuffle(r0, r1, 0, 4, 1, 5), hi01 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
          const lo23 = i32x4.shuffle(r2, r3, 0, 4, 1, 5), hi23 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
          const at = d + (<usize>half << 4);
          v128.store(at, i32x4.shuffle(lo01, lo23, 0, 1, 4, 5));
          v128.store(at, i32x4.shuffle(lo01, lo23, 2, 3, 6, 7), NR * 4);
          v128.store(at, i32x4.shuffle(hi01, hi23, 0, 1, 4, 5), 2 * NR * 4);
          v128.store(at, i32x4.shuffle(hi01, hi23, 2, 3, 6, 7), 3 * NR * 4);
        }
      }
    }
    // Any other layout, a ragged last strip, and the rows the transposing loop left.
    for (; p < kc; p++, d += NR * 4) {
      for (let j = 0; j < NR; j++) {
        store<f32>(d + (<usize>j << 2), j < w ? load<f32>(b + (<usize>(p * bRow + (js + j) * bCol) << 2)) : 0);
      }
    }
  }
}

/** An mc×kc block of A as MR-row strips, k-major, each element splatted to an f32x4; rows past mc are 0. */
function packA(a: usize, aRow: i32, aCol: i32, mc: i32, kc: i32, dst: usize): void {
  for (let is = 0; is < mc; is += MR) {
    const h = min(MR, mc - is);
    const base = dst + (<usize>(is * kc) << 4);
    for (let i = 0; i < MR; i++) {
      let d = base + (<usize>i << 4);
      if (i < h) {
        const src = a + (<usize>((is + i) * aRow) << 2);
        for (let p = 0; p < kc; p++, d += MR * 16) v128.store(d, v128.load32_splat(src + (<usize>(p * aCol) << 2)));
      } else {
        for (let p = 0; p < kc; p++, d += MR * 16) v128.store(d, f32x4.splat(0));
      }
    }
  }
}

/** A 5×8 tile of C (+)= the packed strips' product over kc; `h`×`w` of it is inside C. */
function micro(kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, h: i32, w: i32, accumulate: bool, tile: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  const end = pb + (<usize>kc << 5);
  while (pb < end) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load(pa);
    c00 = f32x4.add(c00, f32x4.mul(a, b0));
    c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load(pa, 16);
    c10 = f32x4.add(c10, f32x4.mul(a, b0));
    c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load(pa, 32);
    c20 = f32x4.add(c20, f32x4.mul(a, b0));
    c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load(pa, 48);
    c30 = f32x4.add(c30, f32x4.mul(a, b0));
    c31 = f32x4.add(c31, f32x4.mul(a, b1));
    a = v128.load(pa, 64);
    c40 = f32x4.add(c40, f32x4.mul(a, b0));
    c41 = f32x4.add(c41, f32x4.mul(a, b1));
    pa += MR * 16;
    pb += NR * 4;
  }
  const row = <usize>ldc << 2;
  if (h == MR && w == NR) {
    if (accumulate) {
      v128.store(c, f32x4.add(v128.load(c), c00)); v128.store(c, f32x4.add(v128.load(c, 16), c01), 16); c += row;
      v128.store(c, f32x4.add(v128.load(c), c10)); v128.store(c, f32x4.add(v128.load(c, 16), c11), 16); c += row;
      v128.store(c, f32x4.add(v128.load(c), c20)); v128.store(c, f32x4.add(v128.load(c, 16), c21), 16); c += row;
      v128.store(c, f32x4.add(v128.load(c), c30)); v128.store(c, f32x4.add(v128.load(c, 16), c31), 16); c += row;
      v128.store(c, f32x4.add(v128.load(c), c40)); v128.store(c, f32x4.add(v128.load(c, 16), c41), 16);
    } else {
      v128.store(c, c00); v128.store(c, c01, 16); c += row;
      v128.store(c, c10); v128.store(c, c11, 16); c += row;
      v128.store(c, c20); v128.store(c, c21, 16); c += row;
      v128.store(c, c30); v128.store(c, c31, 16); c += row;
      v128.store(c, c40); v128.store(c, c41, 16);
    }
    return;
  }
  v128.store(tile, c00); v128.store(tile, c01, 16);
  v128.store(tile, c10, 32); v128.store(tile, c11, 48);
  v128.store(tile, c20, 64); v128.store(tile, c21, 80);
  v128.store(tile, c30, 96); v128.store(tile, c31, 112);
  v128.store(tile, c40, 128); v128.store(tile, c41, 144);
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      const at = c + (<usize>(i * ldc + j) << 2);
      const v = load<f32>(tile + (<usize>(i * NR + j) << 2));
      store<f32>(at, accumulate ? load<f32>(at) + v : v);
    }
  }
}

function sigmoid(x: f64): f64 {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** C[rows, cols] = act(C + bias[col]) on an mc×nc block of C. */
function epilogue(c: usize, ldc: i32, mc: i32, nc: i32, bias: usize, act: i32): void {
  const zero = f32x4.splat(0);
  for (let i = 0; i < mc; i++) {
    const row = c + (<usize>(i * ldc) << 2);
    let j = 0;
    if (act == Act.Linear || act == Act.Relu) {
      for (; j + 4 <= nc; j += 4) {
        const at = row + (<usize>j << 2);
        let v = v128.load(at);
        if (bias) v = f32x4.add(v, v128.load(bias + (<usize>j << 2)));
        if (act == Act.Relu) v = v128.and(v, f32x4.gt(v, zero));
        v128.store(at, v);
      }
    }
    for (; j < nc; j++) {
      const at = row + (<usize>j << 2);
      let v = load<f32>(at);
      if (bias) v += load<f32>(bias + (<usize>j << 2));
      if (act == Act.Relu) v = v > 0 ? v : 0;
      else if (act == Act.Sigmoid) v = <f32>sigmoid(<f64>v);
      else if (act == Act.Tanh) v = <f32>Math.tanh(<f64>v);
      store<f32>(at, v);
    }
  }
}

/**
 * C (m×n, row stride ldc) = act(A·B + bias) for A m×k at `a` (element strides aRow, aCol) and B k×n at `b`
 * (bRow, bCol). `bias` is 0 for none, else n floats. `pack` holds packBytes() of scratch.
 */
export function gemm(m: i32, n: i32, k: i32, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, c: usize, ldc: i32, bias: usize, act: i32, pack: usize): void {
  if (m <= 0 || n <= 0) return;
  const pA = pack;
  const pB = pack + (<usize>((MC + MR) * KC) << 4);
  const tile = pB + (<usize>(KC * (NC + NR)) << 2);
  if (k == 0) {
    for (let i = 0; i < m; i++) memory.fill(c + (<usize>(i * ldc) << 2), 0, <usize>n << 2);
    if (bias || act != Act.Linear) epilogue(c, ldc, m, n, bias, act);
    return;
  }
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const last = pc + kc >= k;
      packB(b + (<usize>(pc * bRow + jc * bCol) << 2), bRow, bCol, kc, nc, pB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(a + (<usize>(ic * aRow + pc * aCol) << 2), aRow, aCol, mc, kc, pA);
        for (let js = 0; js < nc; js += NR) {
          const w = min(NR, nc - js);
          const pb = pB + (<usize>(js * kc) << 2);
          for (let is = 0; is < mc; is += MR) {
            micro(kc, pA + (<usize>(is * kc) << 4), pb, c + (<usize>((ic + is) * ldc + jc + js) << 2), ldc, min(MR, mc - is), w, pc > 0, tile);
          }
        }
        if (last && (bias || act != Act.Linear)) {
          epilogue(c + (<usize>(ic * ldc + jc) << 2), ldc, mc, nc, bias ? bias + (<usize>jc << 2) : 0, act);
        }
      }
    }
  }
}
