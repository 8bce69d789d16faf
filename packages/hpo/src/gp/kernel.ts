/**
 * The Matérn-5/2 kernel with one length scale per input (ARD). Continuous inputs contribute
 * (x_d - x'_d)² / ℓ_d² to the scaled squared distance; categorical inputs (stored as choice indices)
 * contribute [x_d ≠ x'_d] / ℓ_d² — a Hamming distance, so no order is imposed on the choices.
 * Parameterized by inverse squared length scales λ_d = 1/ℓ_d², as Optuna's GPSampler is, so that λ_d → 0
 * switches a dimension off smoothly.
 */

const SQRT5 = Math.sqrt(5);

/** Matérn-5/2 as a function of the scaled squared distance d²: (1 + r + r²/3)·e^{-r} with r = √(5d²). */
export function matern52(d2: number): number {
  const r = SQRT5 * Math.sqrt(d2);
  return (1 + r + (r * r) / 3) * Math.exp(-r);
}

/**
 * d matern52 / d(d²) = -(5/6)(1 + r)e^{-r}. Finite at d² = 0 (unlike the derivative with respect to r·…),
 * which is why gradients are taken through d² rather than through the distance.
 */
export function matern52Grad(d2: number): number {
  const r = SQRT5 * Math.sqrt(d2);
  return (-5 / 6) * (1 + r) * Math.exp(-r);
}

/** Per-dimension contribution to the unscaled distance: squared difference, or mismatch indicator. */
export function dimDistance(a: number, b: number, categorical: boolean): number {
  if (categorical) return a === b ? 0 : 1;
  const t = a - b;
  return t * t;
}

/** Scaled squared distance Σ_d λ_d·dist_d(a, b) between two rows of length `dim`. */
export function scaledSqDist(
  a: ArrayLike<number>,
  aOff: number,
  b: ArrayLike<number>,
  bOff: number,
  dim: number,
  isl: ArrayLike<number>,
  categorical: ArrayLike<boolean>,
): number {
  let s = 0;
  for (let d = 0; d < dim; d++) s += isl[d] * dimDistance(a[aOff + d], b[bOff + d], categorical[d]);
  return s;
}
