/**
 * Special functions for the normal distribution in float64, accurate to about 1e-15 relative: W. J. Cody's
 * rational Chebyshev approximations for erf/erfc (Math. Comp. 23, 1969), the same coefficient sets as
 * SPECFUN `calerf`. LogEI and the truncated normals of TPE need `erfc` and the scaled `erfcx` deep in the
 * tails, where `1 - erf` and `exp(x²)·erfc(x)` computed naively lose every digit or overflow.
 */

const SQRPI = 0.5641895835477563; // 1/sqrt(pi)
const A = [3.1611237438705655, 113.86415415105016, 377.485237685302, 3209.3775891384694, 0.18577770618460315];
const B = [23.601290952344122, 244.02463793444417, 1282.6165260773723, 2844.236833439171];
const C = [
  0.5641884969886701, 8.883149794388377, 66.11919063714163, 298.6351381974001, 881.952221241769,
  1712.0476126340707, 2051.0783778260716, 1230.3393547979972, 2.1531153547440383e-8,
];
const D = [
  15.744926110709835, 117.6939508913125, 537.1811018620099, 1621.3895745666903, 3290.7992357334597,
  4362.619090143247, 3439.3676741437216, 1230.3393548037495,
];
const P = [0.30532663496123236, 0.36034489994980445, 0.12578172611122926, 0.016083785148742275, 0.0006587491615298378, 0.016315387137302097];
const Q = [2.568520192289822, 1.8729528499234604, 0.5279051029514285, 0.06051834131244132, 0.0023352049762686918];

/** erf on |x| <= 0.46875 (first Cody interval). */
function erfSmall(x: number): number {
  const z = x * x;
  let num = A[4] * z;
  let den = z;
  for (let i = 0; i < 3; i++) {
    num = (num + A[i]) * z;
    den = (den + B[i]) * z;
  }
  return (x * (num + A[3])) / (den + B[3]);
}

/** exp(y²)·erfc(y) for y > 0.46875 (second and third Cody intervals). */
function erfcxLarge(y: number): number {
  if (y <= 4) {
    let num = C[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]) * y;
      den = (den + D[i]) * y;
    }
    return (num + C[7]) / (den + D[7]);
  }
  const z = 1 / (y * y);
  let num = P[5] * z;
  let den = z;
  for (let i = 0; i < 4; i++) {
    num = (num + P[i]) * z;
    den = (den + Q[i]) * z;
  }
  const r = (z * (num + P[4])) / (den + Q[4]);
  return (SQRPI - r) / y;
}

/** exp(-y²) computed as exp(-ysq²)·exp(-del) with ysq exact, so the product keeps full relative accuracy. */
function expMinusSquare(y: number): number {
  const ysq = Math.trunc(y * 16) / 16;
  const del = (y - ysq) * (y + ysq);
  return Math.exp(-ysq * ysq) * Math.exp(-del);
}

/** The error function. */
export function erf(x: number): number {
  const y = Math.abs(x);
  if (y <= 0.46875) return erfSmall(x);
  const r = 1 - expMinusSquare(y) * erfcxLarge(y);
  return x < 0 ? -r : r;
}

/** The complementary error function, with full relative accuracy for large positive x (no 1 - erf). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const y = Math.abs(x);
  if (y <= 0.46875) return 1 - erfSmall(x);
  if (y >= 27.3) return x > 0 ? 0 : 2;
  const r = expMinusSquare(y) * erfcxLarge(y);
  return x < 0 ? 2 - r : r;
}

/** The scaled complementary error function exp(x²)·erfc(x); finite and smooth for every positive x. */
export function erfcx(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) {
    if (x < -26.7) return Infinity;
    return 2 * Math.exp(x * x) - erfcx(-x);
  }
  if (x <= 0.46875) return Math.exp(x * x) * (1 - erfSmall(x));
  return erfcxLarge(x);
}

const INV_SQRT_2PI = 0.3989422804014327;
const LOG_SQRT_2PI = 0.9189385332046728;

/** The standard normal density. */
export function normPdf(z: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * z * z);
}

/** log of the standard normal density. */
export function normLogPdf(z: number): number {
  return -0.5 * z * z - LOG_SQRT_2PI;
}

/** The standard normal CDF, accurate in relative terms in the lower tail (via erfc, not 1 + erf). */
export function normCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** log Φ(z), finite for every z (down to -1e150 and beyond) because the lower tail goes through erfcx. */
export function normLogCdf(z: number): number {
  if (z > -1) return Math.log(normCdf(z));
  const t = -z / Math.SQRT2;
  return -t * t + Math.log(0.5 * erfcx(t));
}

/** Φ⁻¹(p) by Acklam's rational approximation plus one Halley step (relative error ~1e-15). */
export function normPpf(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const plow = 0.02425;
  let x: number;
  if (p < plow) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - plow) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  // Halley refinement against the accurate CDF.
  const e = normCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp(0.5 * x * x);
  return x - u / (1 + 0.5 * x * u);
}
