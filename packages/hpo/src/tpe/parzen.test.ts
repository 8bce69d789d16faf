import { describe, expect, it } from 'vitest';
import { RNG } from '../rng.js';
import { normCdf, normPdf } from '../gp/special.js';
import { ParzenEstimator, type ParzenOptions, defaultGamma, defaultWeights } from './parzen.js';
import { logNormMass, truncNormLogPdf, truncNormPpf } from './truncnorm.js';

const OPTS: ParzenOptions = { priorWeight: 1, considerMagicClip: true, considerEndpoints: false, multivariate: false, weights: defaultWeights };

describe('TPE defaults (Optuna)', () => {
  it('gamma is min(ceil(0.1 n), 25)', () => {
    expect([1, 10, 11, 99, 250, 1000].map(defaultGamma)).toEqual([1, 1, 2, 10, 25, 25]);
  });
  it('weights are 1 for the last 25 observations and a linear ramp from 1/n before', () => {
    expect(defaultWeights(3)).toEqual([1, 1, 1]);
    const w = defaultWeights(30);
    expect(w).toHaveLength(30);
    expect(w.slice(0, 5).map((v) => +v.toFixed(12))).toEqual([1 / 30, 1 / 30 + (29 / 30) / 4, 1 / 30 + (29 / 30) / 2, 1 / 30 + (3 * 29) / 120, 1].map((v) => +v.toFixed(12)));
    expect(w.slice(5).every((v) => v === 1)).toBe(true);
  });
});

describe('truncated normal', () => {
  it('quantiles invert the truncated CDF, also deep in a tail', () => {
    expect(truncNormPpf(0.5, -1, 1)).toBeCloseTo(0, 12);
    const u = 0.3;
    const z = truncNormPpf(u, -0.5, 2);
    expect((normCdf(z) - normCdf(-0.5)) / (normCdf(2) - normCdf(-0.5))).toBeCloseTo(u, 12);
    for (const [a, b] of [[30, 31], [-41, -40], [-1e3, -999.5]]) {
      for (const q of [1e-9, 0.25, 0.5, 0.999]) {
        const x = truncNormPpf(q, a, b);
        expect(x).toBeGreaterThanOrEqual(a);
        expect(x).toBeLessThanOrEqual(b);
      }
      // Mass concentrates at the bound nearest the mean: the median lies within ~ln2/|a| of it.
      const nearest = Math.abs(a) < Math.abs(b) ? a : b;
      expect(Math.abs(truncNormPpf(0.5, a, b) - nearest)).toBeLessThan(1 / Math.min(Math.abs(a), Math.abs(b)));
    }
    expect(Number.isFinite(logNormMass(40, 41))).toBe(true);
  });

  it('log density integrates to one over the truncation interval', () => {
    let s = 0;
    const h = 1e-3;
    for (let x = 2 + h / 2; x < 5; x += h) s += Math.exp(truncNormLogPdf(x, 1, 0.7, 2, 5)) * h;
    expect(s).toBeCloseTo(1, 6);
  });
});

describe('ParzenEstimator', () => {
  it('matches the hand-computed univariate mixture (bandwidths from neighbours, magic clip)', () => {
    // Range [0, 10], observations 2 and 5, prior at 5. Sorted with endpoints: 0, 2, 5, 5(prior), 10.
    // Bandwidths: obs 2 → max(2-0, 5-2) = 3, then (no endpoints) the first becomes 5 - 2 = 3; obs 5 →
    // max(5-2, 5-5) = 3. Magic clip floor 10/min(100, 1 + 3) = 2.5 leaves both at 3. Prior σ = 10.
    // Weights 1, 1, 1 (prior weight 1) → 1/3 each.
    const pe = new ParzenEstimator([Float64Array.from([2, 5])], [{ kind: 'numerical', low: 0, high: 10, step: null }], OPTS);
    const tn = (x: number, mu: number, s: number) => normPdf((x - mu) / s) / s / (normCdf((10 - mu) / s) - normCdf((0 - mu) / s));
    for (const x of [0.5, 4, 9.7]) {
      const want = Math.log((tn(x, 2, 3) + tn(x, 5, 3) + tn(x, 5, 10)) / 3);
      expect(pe.logPdf([Float64Array.from([x])], 1)[0]).toBeCloseTo(want, 12);
    }
  });

  it('smooths categorical kernels with the prior weight', () => {
    // Observations 0 and 2 of 3 choices; each kernel row starts at 1/3 (prior weight / 3 kernels), the
    // observed choice gets +1, rows are normalized: [2/3, 1/6, 1/6], [1/6, 1/6, 2/3], prior [1/3, 1/3, 1/3].
    const pe = new ParzenEstimator([Float64Array.from([0, 2])], [{ kind: 'categorical', nChoices: 3 }], OPTS);
    const p = pe.logPdf([Float64Array.from([0, 1, 2])], 3).map(Math.exp);
    expect(p[0]).toBeCloseTo(7 / 18, 14);
    expect(p[1]).toBeCloseTo(4 / 18, 14);
    expect(p[2]).toBeCloseTo(7 / 18, 14);
  });

  it('gives discrete ranges a probability mass function over the grid', () => {
    const pe = new ParzenEstimator([Float64Array.from([2, 4, 4, 9])], [{ kind: 'numerical', low: 0, high: 10, step: 2 }], OPTS);
    const grid = Float64Array.from([0, 2, 4, 6, 8, 10]);
    const total = pe.logPdf([grid], grid.length).reduce((a, v) => a + Math.exp(v), 0);
    expect(total).toBeCloseTo(1, 12);
  });

  it('samples inside the range, on the grid, and near the observations', () => {
    const pe = new ParzenEstimator(
      [Float64Array.from([1, 1.2, 0.9, 1.1]), Float64Array.from([3, 3, 3, 1])],
      [
        { kind: 'numerical', low: 0, high: 10, step: 1 },
        { kind: 'categorical', nChoices: 4 },
      ],
      { ...OPTS, multivariate: true },
    );
    const [x, c] = pe.sample(new RNG(0), 2000);
    let near = 0;
    let three = 0;
    for (let i = 0; i < 2000; i++) {
      expect(Number.isInteger(x[i]) && x[i] >= 0 && x[i] <= 10).toBe(true);
      if (x[i] <= 3) near++;
      if (c[i] === 3) three++;
    }
    expect(near / 2000).toBeGreaterThan(0.6);
    expect(three / 2000).toBeGreaterThan(0.4);
  });
});
