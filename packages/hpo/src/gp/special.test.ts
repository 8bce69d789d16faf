import { describe, expect, it } from 'vitest';
import { erf, erfc, erfcx, normCdf, normLogCdf, normPpf } from './special.js';

// Reference values from mpmath at 40 digits.
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('special functions', () => {
  it('erfc matches mpmath across intervals, with relative accuracy in the tail', () => {
    const cases: [number, number][] = [
      [0.2, 0.7772974107895215],
      [1, 0.15729920705028513],
      [5, 1.537459794428035e-12],
      [20, 5.395865611607901e-176],
      [-0.7, 1.6778011938374184],
    ];
    for (const [x, want] of cases) expect(rel(erfc(x), want)).toBeLessThan(1e-14);
    expect(erf(0.2) + erfc(0.2)).toBeCloseTo(1, 15);
  });

  it('erfcx is finite where exp(x²)·erfc(x) would overflow', () => {
    const cases: [number, number][] = [
      [0.1, 0.8964569799691267],
      [0.3, 0.7345993345676551],
      [1, 0.427583576155807],
      [3, 0.17900115118138996],
      [10, 0.05614099274382259],
      [-1, 5.008980080762283],
    ];
    for (const [x, want] of cases) expect(rel(erfcx(x), want)).toBeLessThan(1e-14);
    expect(rel(erfcx(1e6), 1 / (1e6 * Math.sqrt(Math.PI)))).toBeLessThan(1e-12);
  });

  it('log Φ stays finite far into the lower tail', () => {
    expect(rel(normLogCdf(-50), -1254.8313611394199)).toBeLessThan(1e-14);
    expect(rel(normLogCdf(-5), -15.064998393988725)).toBeLessThan(1e-14);
    expect(normLogCdf(0)).toBeCloseTo(-Math.LN2, 15);
    expect(rel(normLogCdf(3), -0.0013508099647481938)).toBeLessThan(1e-12);
    expect(Number.isFinite(normLogCdf(-1e5))).toBe(true);
  });

  it('Φ⁻¹ inverts Φ', () => {
    for (const p of [1e-300, 1e-12, 0.01, 0.3, 0.5, 0.9, 1 - 1e-10]) {
      expect(rel(normCdf(normPpf(p)), p)).toBeLessThan(1e-9);
    }
    expect(normPpf(0.5)).toBe(0);
  });
});
