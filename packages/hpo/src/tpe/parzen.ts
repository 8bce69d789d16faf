import type { RNG } from '../rng.js';
import { logAddExp, logNormMass, truncNormLogPdf, truncNormPpf } from './truncnorm.js';

/**
 * One dimension of the estimator's domain, in TPE's internal representation: numeric ranges on their
 * transformed (log, for log ranges) scale, with `step` set for integer/step ranges (null on a log scale,
 * where Optuna rounds after sampling instead); categoricals as choice indices.
 */
export type ParzenDim = { kind: 'numerical'; low: number; high: number; step: number | null } | { kind: 'categorical'; nChoices: number };

export interface ParzenOptions {
  priorWeight: number;
  considerMagicClip: boolean;
  considerEndpoints: boolean;
  multivariate: boolean;
  /** Weights of the observations (oldest first) before normalization. */
  weights: (n: number) => number[];
}

/** Optuna's default observation weights: 1 for the last 25 trials, a linear ramp down to 1/n for older ones. */
export function defaultWeights(n: number): number[] {
  if (n === 0) return [];
  if (n < 25) return Array(n).fill(1);
  const ramp = Array.from({ length: n - 25 }, (_, i) => (n - 25 === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (n - 26)));
  return [...ramp, ...Array(25).fill(1)];
}

/** Optuna's default split: the best 10% of the trials, at most 25, are "below" (good). */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

type Kernels =
  | { kind: 'numerical'; low: number; high: number; step: number | null; mus: Float64Array; sigmas: Float64Array }
  | { kind: 'categorical'; nChoices: number; probs: Float64Array };

/**
 * A Parzen estimator (kernel density) over a (possibly joint) search space, as in Optuna's TPE: one
 * component per observation plus a prior component (the range's centre, σ = the range), mixed with
 * recency weights. Numeric kernels are truncated normals (discretized over each step for integer/step
 * ranges) whose bandwidths come from the distances to neighbouring observations (univariate) or Scott's
 * rule (multivariate), clipped by the "magic clip" to at least range/min(100, 1 + kernels). Categorical
 * kernels put weight 1 on the observed choice plus priorWeight/kernels smoothing spread over all choices.
 */
export class ParzenEstimator {
  readonly weights: Float64Array;
  private readonly kernels: Kernels[];

  /** `observations[d]` holds the values of dimension d, one per observation, in trial order. */
  constructor(observations: Float64Array[], dims: ParzenDim[], options: ParzenOptions) {
    const n = observations[0]?.length ?? 0;
    const raw = n === 0 ? [1] : [...options.weights(n), options.priorWeight];
    const total = raw.reduce((a, b) => a + b, 0);
    this.weights = Float64Array.from(raw, (w) => w / total);
    this.kernels = dims.map((dim, d) => (dim.kind === 'categorical' ? this.categorical(observations[d] ?? new Float64Array(0), dim.nChoices, options) : this.numerical(observations[d] ?? new Float64Array(0), dim, dims.length, options)));
  }

  private categorical(obs: Float64Array, nChoices: number, options: ParzenOptions): Kernels {
    const nObs = obs.length;
    const nKernels = nObs + 1;
    const probs = new Float64Array(nKernels * nChoices);
    if (nObs === 0) {
      probs.fill(1 / nChoices);
      return { kind: 'categorical', nChoices, probs };
    }
    probs.fill(options.priorWeight / nKernels);
    for (let i = 0; i < nObs; i++) probs[i * nChoices + obs[i]] += 1;
    for (let k = 0; k < nKernels; k++) {
      let s = 0;
      for (let c = 0; c < nChoices; c++) s += probs[k * nChoices + c];
      for (let c = 0; c < nChoices; c++) probs[k * nChoices + c] /= s;
    }
    return { kind: 'categorical', nChoices, probs };
  }

  private numerical(obs: Float64Array, dim: Extract<ParzenDim, { kind: 'numerical' }>, nParams: number, options: ParzenOptions): Kernels {
    const { low, high, step } = dim;
    const s0 = step ?? 0;
    const nObs = obs.length;
    const range = high - low + s0;
    let sigmas: Float64Array;
    if (options.multivariate) {
      const sigma = 0.2 * Math.max(nObs, 1) ** (-1 / (nParams + 4)) * range;
      sigmas = new Float64Array(nObs).fill(sigma);
    } else {
      // Bandwidth = the larger gap to a neighbour among the observations and the prior's centre.
      const prior = 0.5 * (low + high);
      const withPrior = [...obs, prior];
      const order = withPrior.map((_, i) => i).sort((a, b) => withPrior[a] - withPrior[b]);
      const sorted = [low - s0 / 2, ...order.map((i) => withPrior[i]), high + s0 / 2];
      const m = withPrior.length;
      const sortedSigmas = new Float64Array(m);
      for (let i = 0; i < m; i++) sortedSigmas[i] = Math.max(sorted[i + 1] - sorted[i], sorted[i + 2] - sorted[i + 1]);
      if (!options.considerEndpoints && sorted.length >= 4) {
        sortedSigmas[0] = sorted[2] - sorted[1];
        sortedSigmas[m - 1] = sorted[m] - sorted[m - 1];
      }
      sigmas = new Float64Array(nObs);
      order.forEach((orig, rank) => {
        if (orig < nObs) sigmas[orig] = sortedSigmas[rank];
      });
    }
    const maxSigma = range;
    const minSigma = options.considerMagicClip ? range / Math.min(100, 1 + nObs + 1) : 1e-12;
    const mus = new Float64Array(nObs + 1);
    const sig = new Float64Array(nObs + 1);
    for (let i = 0; i < nObs; i++) {
      mus[i] = obs[i];
      sig[i] = Math.min(maxSigma, Math.max(minSigma, sigmas[i]));
    }
    mus[nObs] = 0.5 * (low + high);
    sig[nObs] = range;
    return { kind: 'numerical', low, high, step, mus, sigmas: sig };
  }

  /** `count` draws, as one Float64Array per dimension (numeric values on the internal grid, categorical indices). */
  sample(rng: RNG, count: number): Float64Array[] {
    const out = this.kernels.map(() => new Float64Array(count));
    for (let i = 0; i < count; i++) {
      let r = rng.random();
      let k = 0;
      while (k < this.weights.length - 1 && r >= this.weights[k]) r -= this.weights[k++];
      this.kernels.forEach((kern, d) => {
        if (kern.kind === 'categorical') {
          let u = rng.random();
          let c = 0;
          const off = k * kern.nChoices;
          while (c < kern.nChoices - 1 && u >= kern.probs[off + c]) u -= kern.probs[off + c++];
          out[d][i] = c;
          return;
        }
        const { low, high, step, mus, sigmas } = kern;
        const lo = step === null ? low : low - step / 2;
        const hi = step === null ? high : high + step / 2;
        let u = rng.random();
        if (u === 0) u = Number.MIN_VALUE;
        const z = truncNormPpf(u, (lo - mus[k]) / sigmas[k], (hi - mus[k]) / sigmas[k]);
        let x = mus[k] + sigmas[k] * z;
        if (step !== null) x = low + Math.round((x - low) / step) * step;
        out[d][i] = Math.min(high, Math.max(low, x));
      });
    }
    return out;
  }

  /** log density (log probability for discrete dimensions) of each of `count` points. */
  logPdf(samples: Float64Array[], count: number): Float64Array {
    const out = new Float64Array(count);
    const K = this.weights.length;
    const comp = new Float64Array(K);
    for (let i = 0; i < count; i++) {
      for (let k = 0; k < K; k++) comp[k] = Math.log(this.weights[k]);
      this.kernels.forEach((kern, d) => {
        const x = samples[d][i];
        if (kern.kind === 'categorical') {
          for (let k = 0; k < K; k++) comp[k] += Math.log(kern.probs[k * kern.nChoices + x]);
          return;
        }
        const { low, high, step, mus, sigmas } = kern;
        for (let k = 0; k < K; k++) {
          const mu = mus[k];
          const s = sigmas[k];
          if (step === null) comp[k] += truncNormLogPdf(x, mu, s, low, high);
          else comp[k] += logNormMass((x - step / 2 - mu) / s, (x + step / 2 - mu) / s) - logNormMass((low - step / 2 - mu) / s, (high + step / 2 - mu) / s);
        }
      });
      let acc = -Infinity;
      for (let k = 0; k < K; k++) acc = logAddExp(acc, comp[k]);
      out[i] = acc;
    }
    return out;
  }
}
