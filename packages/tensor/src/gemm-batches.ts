import { broadcastStrides, sizeOf, stridesOf, type Shape } from './shape.js';

/** One GEMM of a batched matmul: sizes and the row/column strides of the logical (possibly transposed) operands. */
export interface GemmShape {
  m: number;
  n: number;
  k: number;
  aRow: number;
  aCol: number;
  bRow: number;
  bCol: number;
}

/**
 * Splits a batched matmul (batch dims broadcast, `outShape` computed by the caller) into its GEMMs: calls `gemm`
 * once per batch with the element offsets of that batch's A, B and output matrices. Backends share it so the
 * broadcasting walk is written once; each supplies its own GEMM.
 */
export function forEachGemm(
  aShape: Shape, bShape: Shape, outShape: Shape, transposeA: boolean, transposeB: boolean,
  gemm: (g: GemmShape, aStart: number, bStart: number, outStart: number) => void,
): void {
  const ra = aShape.length;
  const rb = bShape.length;
  const m = outShape[outShape.length - 2];
  const n = outShape[outShape.length - 1];
  const [aRow, aCol] = transposeA ? [1, aShape[ra - 1]] : [aShape[ra - 1], 1];
  const [bRow, bCol] = transposeB ? [1, bShape[rb - 1]] : [bShape[rb - 1], 1];
  const g: GemmShape = { m, n, k: transposeA ? aShape[ra - 2] : aShape[ra - 1], aRow, aCol, bRow, bCol };
  // Two matrices (a dense layer's every matmul): one GEMM, no batch walk.
  if (ra === 2 && rb === 2) {
    gemm(g, 0, 0, 0);
    return;
  }
  const batchShape = outShape.slice(0, -2);
  const batches = sizeOf(batchShape);
  const aBatch = broadcastStrides(aShape.slice(0, -2), batchShape);
  const bBatch = broadcastStrides(bShape.slice(0, -2), batchShape);
  const aMat = aShape[ra - 2] * aShape[ra - 1];
  const bMat = bShape[rb - 2] * bShape[rb - 1];
  const batchStrides = stridesOf(batchShape);
  for (let t = 0; t < batches; t++) {
    let aOff = 0;
    let bOff = 0;
    let rest = t;
    for (let d = 0; d < batchShape.length; d++) {
      const idx = Math.floor(rest / batchStrides[d]);
      rest -= idx * batchStrides[d];
      aOff += idx * aBatch[d];
      bOff += idx * bBatch[d];
    }
    gemm(g, aOff * aMat, bOff * bMat, t * m * n);
  }
}
