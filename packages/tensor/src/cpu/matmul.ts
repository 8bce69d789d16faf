import { forEachGemm } from '../gemm-batches.js';
import { sizeOf, type Shape } from '../shape.js';

// Cache blocking: a KC x NC panel of B and an MC x KC panel of A are packed into contiguous buffers laid out
// for a 4x4 register-tile micro-kernel (4 loads of A and 4 of B per 16 multiply-adds). Packing also absorbs
// transposed operands, so every layout runs the same inner loop.
const MR = 4;
const NR = 4;
const KC = 256;
const MC = 128;
const NC = 1024;

let packA = new Float64Array(MC * KC);
let packB = new Float64Array(KC * NC);

/**
 * C[m,n] (+)= sum_k A[i,k] B[k,j], with A and B addressed by arbitrary row/column strides (transposes are
 * just swapped strides). C is contiguous m x n at `cOff` and is overwritten.
 */
export function gemm(
  m: number, n: number, k: number,
  a: Float32Array, aOff: number, aRow: number, aCol: number,
  b: Float32Array, bOff: number, bRow: number, bCol: number,
  c: Float32Array, cOff: number,
): void {
  c.fill(0, cOff, cOff + m * n);
  if (k === 0) return;
  if (packB.length < KC * (NC + NR)) packB = new Float64Array(KC * (NC + NR));
  if (packA.length < (MC + MR) * KC) packA = new Float64Array((MC + MR) * KC);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      // Pack B[pc:pc+kc, jc:jc+nc] into column strips of width NR: strip s, row p, lane j at (s*kc+p)*NR+j.
      for (let js = 0; js < nc; js += NR) {
        const base = (js / NR) * kc * NR;
        const w = Math.min(NR, nc - js);
        for (let p = 0; p < kc; p++) {
          const src = bOff + (pc + p) * bRow + (jc + js) * bCol;
          const dst = base + p * NR;
          for (let j = 0; j < w; j++) packB[dst + j] = b[src + j * bCol];
          for (let j = w; j < NR; j++) packB[dst + j] = 0;
        }
      }
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        // Pack A[ic:ic+mc, pc:pc+kc] into row strips of height MR: strip s, col p, lane i at (s*kc+p)*MR+i.
        for (let is = 0; is < mc; is += MR) {
          const base = (is / MR) * kc * MR;
          const h = Math.min(MR, mc - is);
          for (let i = 0; i < h; i++) {
            const src = aOff + (ic + is + i) * aRow + pc * aCol;
            for (let p = 0; p < kc; p++) packA[base + p * MR + i] = a[src + p * aCol];
          }
          for (let i = h; i < MR; i++) for (let p = 0; p < kc; p++) packA[base + p * MR + i] = 0;
        }
        for (let js = 0; js < nc; js += NR) {
          const bBase = (js / NR) * kc * NR;
          const w = Math.min(NR, nc - js);
          for (let is = 0; is < mc; is += MR) {
            microKernel(kc, packA, (is / MR) * kc * MR, packB, bBase, c, cOff + (ic + is) * n + jc + js, n, Math.min(MR, mc - is), w);
          }
        }
      }
    }
  }
}

function microKernel(kc: number, pa: Float64Array, ai: number, pb: Float64Array, bi: number, c: Float32Array, ci: number, ldc: number, h: number, w: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kc; p++, ai += 4, bi += 4) {
    const a0 = pa[ai], a1 = pa[ai + 1], a2 = pa[ai + 2], a3 = pa[ai + 3];
    const b0 = pb[bi], b1 = pb[bi + 1], b2 = pb[bi + 2], b3 = pb[bi + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  if (h === 4 && w === 4) {
    c[ci] += c00; c[ci + 1] += c01; c[ci + 2] += c02; c[ci + 3] += c03; ci += ldc;
    c[ci] += c10; c[ci + 1] += c11; c[ci + 2] += c12; c[ci + 3] += c13; ci += ldc;
    c[ci] += c20; c[ci + 1] += c21; c[ci + 2] += c22; c[ci + 3] += c23; ci += ldc;
    c[ci] += c30; c[ci + 1] += c31; c[ci + 2] += c32; c[ci + 3] += c33;
    return;
  }
  const tile = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
  for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) c[ci + i * ldc + j] += tile[i * 4 + j];
}

/** Batched matmul over broadcast batch dims; each batch is one {@link gemm}. */
export function matmul(a: Float32Array, aShape: Shape, b: Float32Array, bShape: Shape, transposeA: boolean, transposeB: boolean, outShape: Shape): Float32Array {
  const out = new Float32Array(sizeOf(outShape));
  forEachGemm(aShape, bShape, outShape, transposeA, transposeB, (g, aStart, bStart, outStart) =>
    gemm(g.m, g.n, g.k, a, aStart, g.aRow, g.aCol, b, bStart, g.bRow, g.bCol, out, outStart));
  return out;
}
