import { describe, expect, it } from 'vitest';
import { type GPData, GPPosterior, type KernelParams, MIN_NOISE, fitKernelParams, logMarginalLikelihood, logPrior, paramsToTheta, thetaToParams } from './gp.js';
import { matern52, matern52Grad } from './kernel.js';

const params = (isl: number[], scale: number, noise: number): KernelParams => ({ invSqLengthscales: Float64Array.from(isl), scale, noise });

describe('Matérn-5/2 kernel', () => {
  it('has the closed form (1 + r + r²/3)e^{-r}, r = √(5d²), and a finite slope at 0', () => {
    expect(matern52(0)).toBe(1);
    expect(matern52(1)).toBeCloseTo((1 + Math.sqrt(5) + 5 / 3) * Math.exp(-Math.sqrt(5)), 15);
    expect(matern52Grad(0)).toBeCloseTo(-5 / 6, 15);
    const h = 1e-6;
    expect(matern52Grad(0.3)).toBeCloseTo((matern52(0.3 + h) - matern52(0.3 - h)) / (2 * h), 8);
  });
});

describe('GP posterior', () => {
  it('matches the hand-computed two-point case', () => {
    // X = [0, 1], y = [1, -1], λ = 1, scale = 1, noise σ² = 0.01.
    // c = k(0, 1) = m(1) = (1 + √5 + 5/3)e^{-√5} = 0.52399410883182.
    // K = [[1.01, c], [c, 1.01]], det = 1.01² - c²;  α = K⁻¹y = [1, -1]/(1.01 - c) (y is antisymmetric).
    // At x* = 0.25: k* = [m(0.0625), m(0.5625)] = [k1, k2] = [0.95095992167863, 0.67564780001866].
    // mean = k*·α = (k1 - k2)/(1.01 - c) = 0.56647898032311
    // var = 1 - k*ᵀK⁻¹k* = 1 - (1.01(k1² + k2²) - 2c·k1·k2)/det = 0.05961433298937
    // log p(y) = -½yᵀα - ½log det - log 2π = -2/(2(1.01 - c)) - ½log det - log 2π = -3.74863545813903
    const data: GPData = { X: Float64Array.from([0, 1]), y: Float64Array.from([1, -1]), n: 2, dim: 1, categorical: [false] };
    const p = params([1], 1, 0.01);
    const c = matern52(1);
    const [k1, k2] = [matern52(0.0625), matern52(0.5625)];
    expect(c).toBeCloseTo(0.5239941088318203, 14);
    const gp = new GPPosterior(data, p);
    const { mean, variance } = gp.predict([0.25]);
    expect(mean).toBeCloseTo((k1 - k2) / (1.01 - c), 13);
    expect(mean).toBeCloseTo(0.566478980323107, 13);
    expect(variance).toBeCloseTo(0.0596143329893698, 13);
    expect(logMarginalLikelihood(data, p)).toBeCloseTo(-3.748635458139025, 12);
    // At the training point x = 0: k* = [1, c], mean = (1 - c)/(1.01 - c), var = 1 - (1.01(1 + c²) - 2c²)/det.
    const at0 = gp.predict([0]);
    const det = 1.01 ** 2 - c * c;
    expect(at0.mean).toBeCloseTo((1 - c) / (1.01 - c), 13);
    expect(at0.variance).toBeCloseTo(1 - (1.01 * (1 + c * c) - 2 * c * c) / det, 13);
  });

  it('treats categorical inputs by Hamming distance: every other choice is equally far', () => {
    const data: GPData = { X: Float64Array.from([0, 0, 1, 0, 2, 0]), y: Float64Array.from([1, 0, 0]), n: 3, dim: 2, categorical: [true, false] };
    const gp = new GPPosterior(data, params([2, 1], 1, 1e-4));
    // Choices 1 and 2 are symmetric with respect to the data, choice 3 (unseen) is equally far from all.
    expect(gp.predict([1, 0]).mean).toBeCloseTo(gp.predict([2, 0]).mean, 12);
    const unseen = gp.predict([5, 0]);
    const mismatch = matern52(2);
    expect(unseen.variance).toBeLessThan(1);
    expect(unseen.variance).toBeGreaterThan(1 - 3 * mismatch * mismatch);
  });

  it('input gradients of mean and variance match finite differences', () => {
    const data: GPData = {
      X: Float64Array.from([0.1, 0.2, 0, 0.5, 0.9, 1, 0.8, 0.3, 0, 0.4, 0.6, 2]),
      y: Float64Array.from([0.5, -1, 0.3, 1.2]),
      n: 4,
      dim: 3,
      categorical: [false, false, true],
    };
    const gp = new GPPosterior(data, params([3, 0.5, 1], 1.3, 0.02));
    const x = [0.35, 0.55, 1];
    const dM = new Float64Array(3);
    const dV = new Float64Array(3);
    const r = gp.predictWithGrad(x, dM, dV);
    const plain = gp.predict(x);
    expect(r.mean).toBeCloseTo(plain.mean, 12);
    expect(r.variance).toBeCloseTo(plain.variance, 12);
    const h = 1e-6;
    for (const d of [0, 1]) {
      const xp = [...x];
      const xm = [...x];
      xp[d] += h;
      xm[d] -= h;
      expect(dM[d]).toBeCloseTo((gp.predict(xp).mean - gp.predict(xm).mean) / (2 * h), 6);
      expect(dV[d]).toBeCloseTo((gp.predict(xp).variance - gp.predict(xm).variance) / (2 * h), 6);
    }
    expect(dM[2]).toBe(0);
  });
});

describe('log marginal likelihood', () => {
  const data: GPData = {
    X: Float64Array.from([0.1, 0.7, 0, 0.4, 0.2, 1, 0.9, 0.5, 2, 0.3, 0.95, 0, 0.65, 0.05, 1, 0.5, 0.5, 2]),
    y: Float64Array.from([0.3, -1.1, 1.4, 0.2, -0.6, -0.2]),
    n: 6,
    dim: 3,
    categorical: [false, false, true],
  };

  it('gradient with respect to the log-hyperparameters matches central differences', () => {
    for (const p of [params([2, 0.5, 1.5], 0.8, 0.05), params([20, 0.01, 0.2], 2.5, 1e-3)]) {
      const theta = paramsToTheta(p);
      const grad = new Float64Array(theta.length);
      logMarginalLikelihood(data, p, grad);
      const h = 1e-6;
      for (let j = 0; j < theta.length; j++) {
        const tp = Float64Array.from(theta);
        const tm = Float64Array.from(theta);
        tp[j] += h;
        tm[j] -= h;
        const fd = (logMarginalLikelihood(data, thetaToParams(tp, 3)) - logMarginalLikelihood(data, thetaToParams(tm, 3))) / (2 * h);
        expect(Math.abs(grad[j] - fd)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
      }
    }
  });

  it('gradient of the log prior matches central differences', () => {
    const p = params([0.3, 4], 1.7, 0.02);
    const theta = paramsToTheta(p);
    const grad = new Float64Array(theta.length);
    logPrior(p, grad);
    const h = 1e-6;
    for (let j = 0; j < theta.length; j++) {
      const tp = Float64Array.from(theta);
      const tm = Float64Array.from(theta);
      tp[j] += h;
      tm[j] -= h;
      expect(grad[j]).toBeCloseTo((logPrior(thetaToParams(tp, 2)) - logPrior(thetaToParams(tm, 2))) / (2 * h), 6);
    }
  });

  it('the fit raises the marginal likelihood above the default and finds the irrelevant dimension', () => {
    // y depends on x0 only; 25 points on a grid. The fitted length scale of x1 should be much longer.
    const n = 25;
    const X = new Float64Array(n * 2);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      X[2 * i] = (i % 5) / 4;
      X[2 * i + 1] = Math.floor(i / 5) / 4;
      y[i] = Math.sin(6 * X[2 * i]);
    }
    let mu = 0;
    for (const v of y) mu += v / n;
    let sd = 0;
    for (const v of y) sd += (v - mu) ** 2 / n;
    for (let i = 0; i < n; i++) y[i] = (y[i] - mu) / Math.sqrt(sd);
    const d: GPData = { X, y, n, dim: 2, categorical: [false, false] };
    let s = 1;
    const random = () => ((s = (s * 16807) % 2147483647) / 2147483647);
    const fitted = fitKernelParams(d, { random });
    const at = (p: KernelParams) => logMarginalLikelihood(d, p) + logPrior(p);
    expect(at(fitted)).toBeGreaterThan(at(params([1, 1], 1, 0.01)));
    expect(fitted.invSqLengthscales[0]).toBeGreaterThan(10 * fitted.invSqLengthscales[1]);
    expect(fitted.noise).toBeLessThan(0.01);
    // A deterministic objective pins the noise at its floor.
    expect(fitKernelParams(d, { random, deterministic: true }).noise).toBeCloseTo(MIN_NOISE, 15);
    // A warm start alone converges to (nearly) the same optimum.
    const warm = fitKernelParams(d, { warmStart: fitted, onlyWarmStart: true });
    expect(at(warm)).toBeGreaterThanOrEqual(at(fitted) - 1e-6);
  });
});
