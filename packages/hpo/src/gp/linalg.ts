/**
 * Dense float64 linear algebra for the GP: row-major n×n matrices in Float64Arrays. Kept to the few
 * operations the GP needs (Cholesky, triangular solves, inverse from the factor) so it stays small and
 * fast without a tensor dependency.
 */

/**
 * Σ_k a[ai + k]·b[bi + k] for k < len, with four independent accumulators: a single running sum is bound
 * by floating-point add latency, and the GP's hot loops are all such dot products.
 */
export function dot(a: Float64Array, ai: number, b: Float64Array, bi: number, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < len; k += 4) {
    s0 += a[ai + k] * b[bi + k];
    s1 += a[ai + k + 1] * b[bi + k + 1];
    s2 += a[ai + k + 2] * b[bi + k + 2];
    s3 += a[ai + k + 3] * b[bi + k + 3];
  }
  for (; k < len; k++) s0 += a[ai + k] * b[bi + k];
  return s0 + s1 + (s2 + s3);
}

/**
 * In-place lower Cholesky factor of a symmetric matrix (upper triangle zeroed). Returns false on a
 * non-positive pivot instead of throwing, so the caller can retry with jitter.
 */
export function choleskyInPlace(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    const d = a[rj + j] - dot(a, rj, a, rj, j);
    if (!(d > 0) || !Number.isFinite(d)) return false;
    const ljj = Math.sqrt(d);
    a[rj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      a[ri + j] = (a[ri + j] - dot(a, ri, a, rj, j)) / ljj;
    }
    for (let k = j + 1; k < n; k++) a[rj + k] = 0;
  }
  return true;
}

/**
 * Cholesky factor of `a`, adding jitter to the diagonal when the matrix is numerically singular
 * (duplicate points, tiny noise): starting at 1e-10·mean(diag) and growing tenfold up to six times.
 * Returns the factor and the jitter that was needed.
 */
export function choleskyWithJitter(a: Float64Array, n: number): { L: Float64Array; jitter: number } {
  const L = new Float64Array(a);
  if (choleskyInPlace(L, n)) return { L, jitter: 0 };
  let meanDiag = 0;
  for (let i = 0; i < n; i++) meanDiag += a[i * n + i];
  meanDiag = Math.max(meanDiag / Math.max(n, 1), 1e-300);
  let jitter = 1e-10 * meanDiag;
  for (let attempt = 0; attempt < 7; attempt++, jitter *= 10) {
    L.set(a);
    for (let i = 0; i < n; i++) L[i * n + i] += jitter;
    if (choleskyInPlace(L, n)) return { L, jitter };
  }
  throw new Error(`Cholesky failed: matrix is not positive definite even with jitter ${jitter / 10}`);
}

/** Solves L x = b (forward substitution), writing into `out` (may alias b). */
export function solveLower(L: Float64Array, n: number, b: Float64Array, out: Float64Array = new Float64Array(n)): Float64Array {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    out[i] = (b[i] - dot(L, ri, out, 0, i)) / L[ri + i];
  }
  return out;
}

/** Solves Lᵀ x = b (back substitution with the lower factor), writing into `out` (may alias b). */
export function solveUpperT(L: Float64Array, n: number, b: Float64Array, out: Float64Array = new Float64Array(n)): Float64Array {
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * out[k];
    out[i] = s / L[i * n + i];
  }
  return out;
}

/**
 * (L Lᵀ)⁻¹ from the lower factor. Column j of L⁻¹ is the forward solve of L x = e_j; stored as row j of
 * M = L⁻ᵀ, both passes then run over contiguous rows: (K⁻¹)_ij = Σ_{k ≥ max(i,j)} M_ik·M_jk. About n³/3
 * multiply-adds, the bulk of a likelihood-gradient evaluation.
 */
export function inverseFromCholesky(L: Float64Array, n: number): Float64Array {
  const M = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    M[rj + j] = 1 / L[rj + j];
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      M[rj + i] = -dot(L, ri + j, M, rj + j, i - j) / L[ri + i];
    }
  }
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      const s = dot(M, ri + i, M, rj + i, n - i);
      inv[ri + j] = s;
      inv[rj + i] = s;
    }
  }
  return inv;
}
