import { log1mexp } from '../gp/logei.js';
import { normLogCdf, normLogPdf, normPpf } from '../gp/special.js';

/** log(e^a + e^b) without overflow. */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}

/**
 * log(Φ(b) - Φ(a)) for a < b, accurate in both tails: an interval far in the upper tail is mirrored into
 * the lower one, where log Φ keeps full relative precision. TPE's kernels are narrow (down to 1% of the
 * range) and often sit many σ from a bound, where the plain difference of CDFs is 0 or 1 - 1.
 */
export function logNormMass(a: number, b: number): number {
  if (a >= b) return -Infinity;
  if (a > 0) return logNormMass(-b, -a);
  const lb = normLogCdf(b);
  const la = normLogCdf(a);
  return lb + log1mexp(la - lb);
}

/** Φ⁻¹(exp(logP)), for probabilities far below the smallest double (Newton on log Φ, which is concave). */
export function normPpfLog(logP: number): number {
  if (logP >= 0) return Infinity;
  if (logP > -600) return normPpf(Math.exp(logP));
  let x = -Math.sqrt(-2 * logP);
  for (let i = 0; i < 50; i++) {
    const f = normLogCdf(x) - logP;
    const slope = Math.exp(normLogPdf(x) - normLogCdf(x));
    const step = f / slope;
    x -= step;
    if (Math.abs(step) < 1e-12 * Math.max(1, Math.abs(x))) break;
  }
  return x;
}

/**
 * The u-quantile (u in (0,1)) of the standard normal truncated to [alpha, beta], by inverting the CDF in log
 * space so that intervals deep in a tail still give correct, in-range draws.
 */
export function truncNormPpf(u: number, alpha: number, beta: number): number {
  if (alpha > 0) return -truncNormPpf(1 - u, -beta, -alpha);
  const la = normLogCdf(alpha);
  const logMass = logNormMass(alpha, beta);
  const z = normPpfLog(logAddExp(la, Math.log(u) + logMass));
  return Math.min(beta, Math.max(alpha, z));
}

/** log density at x of N(mu, sigma²) truncated to [low, high]. */
export function truncNormLogPdf(x: number, mu: number, sigma: number, low: number, high: number): number {
  if (x < low || x > high) return -Infinity;
  return normLogPdf((x - mu) / sigma) - Math.log(sigma) - logNormMass((low - mu) / sigma, (high - mu) / sigma);
}
