import { describe, expect, it } from 'vitest';
import { logEI, logEIWithGrad, logH, logHGrad } from './logei.js';
import { normCdf, normPdf } from './special.js';

// log h(z) and Φ(z)/h(z) from mpmath at 40 digits (h = φ + zΦ).
const REF: [number, number, number][] = [
  [2, 0.6973835457882284, 0.48655931878528386],
  [0.5, -0.3598276837450638, 0.9909227180041099],
  [0, -0.9189385332046728, 1.2533141373155003],
  [-0.5, -1.6205162643873199, 1.5598731483480797],
  [-1, -2.4851210257126413, 1.9042712333296918],
  [-3, -7.869686059603029, 3.5323375176251606],
  [-5, -16.74430116266099, 5.361816241288088],
  [-10, -55.55312203612235, 10.194383033412553],
  [-20, -206.9178385094251, 20.099262811101283],
  [-38, -730.1961834021138, 38.05252276004133],
  [-40, -808.29856835662, 40.04990665764852],
  [-100, -5010.12957880025, 100.01999400419587],
];

/** log h from its asymptotic series: h = φ(z)/z²·(1 - 3/z² + 15/z⁴ - 105/z⁶ + 945/z⁸ - …). */
function logHAsymptotic(z: number): number {
  const w = 1 / (z * z);
  const series = 1 - 3 * w + 15 * w * w - 105 * w ** 3 + 945 * w ** 4 - 10395 * w ** 5;
  return -0.5 * z * z - 0.5 * Math.log(2 * Math.PI) - 2 * Math.log(-z) + Math.log(series);
}

describe('logEI', () => {
  it('matches high-precision values of log h and its derivative', () => {
    for (const [z, want, wantGrad] of REF) {
      expect(Math.abs(logH(z) - want)).toBeLessThan(1e-12 * Math.max(1, Math.abs(want)));
      expect(Math.abs(logHGrad(z) - wantGrad) / wantGrad).toBeLessThan(1e-10);
    }
  });

  it('agrees with the direct formula where the direct formula is accurate', () => {
    for (let z = -5; z <= 5; z += 0.25) {
      const direct = Math.log(normPdf(z) + z * normCdf(z));
      expect(Math.abs(logH(z) - direct)).toBeLessThan(1e-9);
    }
  });

  it('stays finite, strictly increasing and on the asymptote from z = -5 down to -1e6', () => {
    let prev = Infinity;
    for (let z = -5; z >= -60; z -= 0.05) {
      const v = logH(z);
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeLessThan(prev);
      prev = v;
    }
    for (const z of [-30, -40, -50, -60]) expect(Math.abs(logH(z) - logHAsymptotic(z))).toBeLessThan(1e-10);
    // Across the branch switch at -1e4 and far beyond.
    for (const z of [-9999, -10001, -1e6]) {
      expect(Math.abs(logH(z) - logHAsymptotic(z)) / Math.abs(logHAsymptotic(z))).toBeLessThan(1e-12);
      expect(Math.abs(logHGrad(z) / (-z - 2 / z) - 1)).toBeLessThan(1e-6);
    }
    // The direct formula has long underflowed there.
    expect(normPdf(-40) + -40 * normCdf(-40)).toBe(0);
  });

  it('derivatives with respect to mean and variance match finite differences', () => {
    for (const [mean, variance, best] of [
      [0.2, 0.5, 0.4],
      [-3, 0.01, 1],
      [1, 2, -1],
    ]) {
      const { value, dMean, dVar } = logEIWithGrad(mean, variance, best);
      expect(value).toBeCloseTo(logEI(mean, variance, best), 14);
      const h = 1e-6;
      expect(dMean).toBeCloseTo((logEI(mean + h, variance, best) - logEI(mean - h, variance, best)) / (2 * h), 5);
      expect(dVar).toBeCloseTo((logEI(mean, variance + h * variance, best) - logEI(mean, variance - h * variance, best)) / (2 * h * variance), 4);
    }
  });
});
