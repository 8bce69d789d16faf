import type { Generator } from '@nn/tensor';

/**
 * Gamma(shape, 1) by Marsaglia & Tsang (2000): a squeeze-accepted transform of one normal, with the
 * boost Gamma(a) = Gamma(a + 1) · U^(1/a) for shape a < 1.
 */
export function sampleGamma(rng: Generator, shape: number): number {
  if (shape < 1) {
    let u = rng.uniform();
    while (u === 0) u = rng.uniform();
    return sampleGamma(rng, shape + 1) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.uniform();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
export function sampleBeta(rng: Generator, a: number, b: number): number {
  const x = sampleGamma(rng, a);
  const y = sampleGamma(rng, b);
  // Tiny shapes can underflow both draws to 0: Beta(a, b) tends to Bernoulli(a / (a + b)) there.
  if (x + y === 0) return rng.uniform() < a / (a + b) ? 1 : 0;
  return x / (x + y);
}
