import { erfcx, normCdf, normPdf } from './special.js';

const LOG_SQRT_2PI = 0.9189385332046728; // log(2π)/2
const LOG_SQRT_PI_OVER_2 = 0.22579135264472744; // log(π/2)/2
const SQRT_PI_OVER_2 = 1.2533141373155003;
/** Below this z, |z|·erfcx(-z/√2)·√(π/2) rounds to 1 and the closed form switches to its asymptote. */
const Z_ASYMPTOTIC = -1e4;

/** log(1 - exp(x)) for x < 0 without cancellation (Mächler 2012). */
export function log1mexp(x: number): number {
  return x > -Math.LN2 ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x));
}

/**
 * log h(z) with h(z) = φ(z) + z·Φ(z) = E[max(Z + z, 0)], the expected improvement of a unit normal whose
 * mean is z standard deviations from the incumbent. Plain EI underflows to exactly 0 once z < -38, which
 * leaves the acquisition flat (zero gradient) over most of the space late in a run; in log form it stays
 * finite and strictly increasing for every z (Ament et al., "Unexpected improvements to expected
 * improvement", NeurIPS 2023). Three branches:
 * - z > -1: the direct formula, no cancellation (z·Φ(z) is small against φ(z) or both are positive);
 * - -1e4 < z <= -1: h = φ(z)·(1 - |z|·erfcx(-z/√2)·√(π/2)), with log1mexp keeping the difference exact;
 * - z <= -1e4: the asymptote log φ(z) - 2 log|z| (relative error 3/z² < 1e-7 there).
 */
export function logH(z: number): number {
  if (z > -1) return Math.log(normPdf(z) + z * normCdf(z));
  if (z > Z_ASYMPTOTIC) {
    return -0.5 * z * z - LOG_SQRT_2PI + log1mexp(Math.log(erfcx(-z / Math.SQRT2) * -z) + LOG_SQRT_PI_OVER_2);
  }
  return -0.5 * z * z - LOG_SQRT_2PI - 2 * Math.log(-z);
}

/** d log h / dz = Φ(z)/h(z), computed without forming the underflowing Φ and h separately. */
export function logHGrad(z: number): number {
  if (z > -1) return normCdf(z) / (normPdf(z) + z * normCdf(z));
  if (z > Z_ASYMPTOTIC) {
    // Φ(z)/φ(z) = erfcx(-z/√2)·√(π/2) =: m (Mills ratio); h/φ = 1 - |z|·m; so Φ/h = m / (1 - |z|·m).
    const m = erfcx(-z / Math.SQRT2) * SQRT_PI_OVER_2;
    return m / (1 - -z * m);
  }
  return -z - 2 / z;
}

/**
 * Log expected improvement for maximization: log E[max(f - best, 0)] with f ~ N(mean, variance). The
 * sampler maximizes this (its values are negated, standardized objective values), so `best` is the
 * largest observed value.
 */
export function logEI(mean: number, variance: number, best: number): number {
  const sigma = Math.sqrt(variance);
  return Math.log(sigma) + logH((mean - best) / sigma);
}

/**
 * logEI and its partial derivatives with respect to the posterior mean and variance, for the gradient of
 * the acquisition with respect to the inputs (chain rule through the GP's mean and variance).
 */
export function logEIWithGrad(mean: number, variance: number, best: number): { value: number; dMean: number; dVar: number } {
  const sigma = Math.sqrt(variance);
  const z = (mean - best) / sigma;
  const g = logHGrad(z);
  // value = log σ + log h(z); dz/dmean = 1/σ; dz/dvar = -z/(2 var); d log σ/dvar = 1/(2 var).
  return { value: Math.log(sigma) + logH(z), dMean: g / sigma, dVar: (1 - g * z) / (2 * variance) };
}
