// Scalar math shared by the cpu kernels and by tests' float64 references.

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/**
 * erf in double precision: the series 2/√π·e^(-x²)·Σ 2ⁿx^(2n+1)/(1·3·…·(2n+1)) has only positive terms
 * (no cancellation), so it is accurate to ~1e-15 wherever erf is not yet ±1 in double precision.
 */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax >= 6) return Math.sign(x);
  if (Number.isNaN(x)) return NaN;
  let term = ax;
  let sum = ax;
  const x2 = ax * ax;
  for (let n = 1; n < 200 && term > sum * 1e-17; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
  }
  return Math.sign(x) * TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/** log(1 + e^x) without overflow for large x or loss of precision for very negative x. */
export const softplus = (x: number): number => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));

export const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

export const SELU_ALPHA = 1.6732632423543772;
export const SELU_SCALE = 1.0507009873554805;

/**
 * erf as PyTorch's vectorized float32 CPU kernel computes it (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7),
 * rounded to float32 at each step. Used only where matching PyTorch's float32 results matters more than the
 * last ulp of accuracy: GELU's forward, whose 1 + erf cancels for x < −3.
 */
export function erfFloat32AS(x: number): number {
  const f = Math.fround;
  const ax = Math.abs(x);
  const t = f(1 / f(1 + f(0.3275911 * ax)));
  let r = f(f(1.061405429 * t) - 1.453152027);
  r = f(f(r * t) + 1.421413741);
  r = f(f(r * t) - 0.284496736);
  r = f(f(r * t) + 0.254829592);
  r = f(r * t);
  return Math.sign(x) * f(1 - f(r * f(Math.exp(-f(ax * ax)))));
}

/** x·Φ(x) computed as PyTorch's float32 kernel does: 0.5·x·(1 + erf(x/√2)), see {@link erfFloat32AS}. */
export const gelu = (x: number): number => Math.fround(0.5 * x) * Math.fround(1 + erfFloat32AS(Math.fround(x * Math.fround(Math.SQRT1_2))));
export const mish = (x: number): number => x * Math.tanh(softplus(x));
export const hardSigmoid = (x: number): number => Math.min(1, Math.max(0, x / 6 + 0.5));
