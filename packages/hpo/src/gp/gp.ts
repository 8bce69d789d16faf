import { choleskyWithJitter, dot, inverseFromCholesky, solveLower, solveUpperT } from './linalg.js';
import { type LbfgsbResult, multiStartLbfgsb } from './lbfgsb.js';
import { dimDistance, matern52, matern52Grad } from './kernel.js';

/**
 * Hyperparameters of k(x, x') = scale·matern52(Σ λ_d dist_d) plus `noise` on the diagonal. Values are in
 * the units of the standardized objective (mean 0, variance 1).
 */
export interface KernelParams {
  invSqLengthscales: Float64Array;
  scale: number;
  noise: number;
}

/** Training data: `n` rows of `dim` inputs in [0,1] (categoricals as indices), and standardized targets. */
export interface GPData {
  X: Float64Array;
  y: Float64Array;
  n: number;
  dim: number;
  categorical: boolean[];
}

/** The noise floor (Optuna's default): keeps K well conditioned when the objective is deterministic. */
export const MIN_NOISE = 1e-6;
/** Box for the log-hyperparameters during the fit: λ ∈ [e⁻⁷, e¹⁰], scale ∈ [e⁻⁷, e⁷], noise ∈ [1e-6, e²]. */
const LOG_ISL_BOUNDS: [number, number] = [-7, 10];
const LOG_SCALE_BOUNDS: [number, number] = [-7, 7];
const LOG_NOISE_BOUNDS: [number, number] = [Math.log(MIN_NOISE), 2];
const LOG_2PI = Math.log(2 * Math.PI);

/** The parameter vector the fit works on: [log λ_1..log λ_dim, log scale, log noise]. */
export function paramsToTheta(p: KernelParams): Float64Array {
  const dim = p.invSqLengthscales.length;
  const theta = new Float64Array(dim + 2);
  for (let d = 0; d < dim; d++) theta[d] = Math.log(p.invSqLengthscales[d]);
  theta[dim] = Math.log(p.scale);
  theta[dim + 1] = Math.log(p.noise);
  return theta;
}

export function thetaToParams(theta: ArrayLike<number>, dim: number): KernelParams {
  const isl = new Float64Array(dim);
  for (let d = 0; d < dim; d++) isl[d] = Math.exp(theta[d]);
  return { invSqLengthscales: isl, scale: Math.exp(theta[dim]), noise: Math.max(MIN_NOISE, Math.exp(theta[dim + 1])) };
}

/** Default starting point: unit length scales and scale, noise 1e-2. */
export function defaultKernelParams(dim: number): KernelParams {
  return { invSqLengthscales: new Float64Array(dim).fill(1), scale: 1, noise: 1e-2 };
}

/**
 * Log prior of the hyperparameters (Optuna's weak priors, up to a constant): -(0.1/λ + 0.1λ) per length
 * scale keeps λ away from 0 and ∞ without preferring a value in between, Gamma(2, 1) on the scale and
 * Gamma(1.1, 30) on the noise favour a smooth, nearly noise-free fit unless the data say otherwise.
 * Adds d(log prior)/dθ into `grad`.
 */
export function logPrior(p: KernelParams, grad?: Float64Array): number {
  const dim = p.invSqLengthscales.length;
  let lp = 0;
  for (let d = 0; d < dim; d++) {
    const l = p.invSqLengthscales[d];
    lp -= 0.1 / l + 0.1 * l;
    if (grad) grad[d] += 0.1 / l - 0.1 * l;
  }
  lp += Math.log(p.scale) - p.scale;
  lp += 0.1 * Math.log(p.noise) - 30 * p.noise;
  if (grad) {
    grad[dim] += 1 - p.scale;
    grad[dim + 1] += 0.1 - 30 * p.noise;
  }
  return lp;
}

/** Per-pair, per-dimension distances of the training inputs (i < j), reused by every likelihood evaluation. */
export function pairDistances(data: GPData): Float64Array {
  const { X, n, dim, categorical } = data;
  const out = new Float64Array(((n * (n - 1)) / 2) * dim);
  let p = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      for (let d = 0; d < dim; d++) out[p++] = dimDistance(X[i * dim + d], X[j * dim + d], categorical[d]);
    }
  }
  return out;
}

/** The training covariance K + noise·I (row-major) and, per pair, dk/d(d²) for gradients. */
function covariance(p: KernelParams, n: number, dim: number, dist: Float64Array, dk?: Float64Array): Float64Array {
  const K = new Float64Array(n * n);
  const isl = p.invSqLengthscales;
  let pair = 0;
  for (let i = 0; i < n; i++) {
    K[i * n + i] = p.scale + p.noise;
    for (let j = i + 1; j < n; j++, pair++) {
      let d2 = 0;
      const off = pair * dim;
      for (let d = 0; d < dim; d++) d2 += isl[d] * dist[off + d];
      const k = p.scale * matern52(d2);
      K[i * n + j] = k;
      K[j * n + i] = k;
      if (dk) dk[pair] = p.scale * matern52Grad(d2);
    }
  }
  return K;
}

/**
 * Log marginal likelihood log p(y | X, θ) = -½yᵀK⁻¹y - ½log|K| - (n/2)log 2π, and (when `grad` is given,
 * length dim + 2) its gradient with respect to θ = [log λ, log scale, log noise]:
 * ∂/∂θ_j = ½ tr((ααᵀ - K⁻¹) ∂K/∂θ_j) with α = K⁻¹y, where ∂K/∂log λ_d = scale·m'(d²)·λ_d·dist_d,
 * ∂K/∂log scale = K - noise·I and ∂K/∂log noise = noise·I.
 */
export function logMarginalLikelihood(data: GPData, p: KernelParams, grad?: Float64Array, dist?: Float64Array): number {
  const { n, dim, y } = data;
  const distances = dist ?? pairDistances(data);
  const dk = grad ? new Float64Array((n * (n - 1)) / 2) : undefined;
  const K = covariance(p, n, dim, distances, dk);
  const { L } = choleskyWithJitter(K, n);
  const alpha = solveUpperT(L, n, solveLower(L, n, y));
  let lml = -0.5 * n * LOG_2PI;
  for (let i = 0; i < n; i++) lml -= 0.5 * y[i] * alpha[i] + Math.log(L[i * n + i]);
  if (!grad || !dk) return lml;

  grad.fill(0);
  const Kinv = inverseFromCholesky(L, n);
  const isl = p.invSqLengthscales;
  let gScale = 0;
  let trW = 0;
  let pair = 0;
  for (let i = 0; i < n; i++) {
    const wii = alpha[i] * alpha[i] - Kinv[i * n + i];
    trW += wii;
    gScale += 0.5 * wii * p.scale;
    for (let j = i + 1; j < n; j++, pair++) {
      // Off-diagonal pairs appear twice in the trace, cancelling the ½.
      const w = alpha[i] * alpha[j] - Kinv[i * n + j];
      gScale += w * K[i * n + j];
      const c = w * dk[pair];
      const off = pair * dim;
      for (let d = 0; d < dim; d++) grad[d] += c * distances[off + d];
    }
  }
  for (let d = 0; d < dim; d++) grad[d] *= isl[d];
  grad[dim] = gScale;
  grad[dim + 1] = 0.5 * p.noise * trW;
  return lml;
}

export interface FitOptions {
  /** The previous fit, tried first (the posterior changes little from one trial to the next). */
  warmStart?: KernelParams | null;
  /** Start from the warm start alone (when there is one): a cheap refit between full multi-start fits. */
  onlyWarmStart?: boolean;
  /** Extra random starts drawn from `random` (default 2). */
  nRestarts?: number;
  random?: () => number;
  /** Fix the noise at its floor, for deterministic objectives. */
  deterministic?: boolean;
  maxIter?: number;
  /** Filled with the number of likelihood evaluations and starts, for benchmarks. */
  stats?: { evaluations: number; starts: number };
}

/**
 * Fits the kernel hyperparameters by maximizing log marginal likelihood + log prior (a MAP estimate) with
 * multi-start projected L-BFGS-B on the log-parameters: from the warm start, the default, and a few random
 * points. Returns the best parameters found.
 */
export function fitKernelParams(data: GPData, options: FitOptions = {}): KernelParams {
  const { dim } = data;
  const dist = pairDistances(data);
  const nTheta = dim + 2;
  const lower = new Float64Array(nTheta);
  const upper = new Float64Array(nTheta);
  for (let d = 0; d < dim; d++) [lower[d], upper[d]] = LOG_ISL_BOUNDS;
  [lower[dim], upper[dim]] = LOG_SCALE_BOUNDS;
  [lower[dim + 1], upper[dim + 1]] = LOG_NOISE_BOUNDS;
  if (options.deterministic) upper[dim + 1] = lower[dim + 1];

  const gLml = new Float64Array(nTheta);
  const objective = (theta: Float64Array, grad: Float64Array): number => {
    if (options.stats) options.stats.evaluations++;
    const p = thetaToParams(theta, dim);
    let value: number;
    try {
      value = logMarginalLikelihood(data, p, gLml, dist);
    } catch {
      return Infinity;
    }
    grad.set(gLml);
    value += logPrior(p, grad);
    for (let i = 0; i < nTheta; i++) grad[i] = -grad[i];
    // The noise is floored at MIN_NOISE: no gradient below the floor.
    if (theta[dim + 1] < lower[dim + 1]) grad[dim + 1] = 0;
    return -value;
  };

  const starts: Float64Array[] = [];
  if (options.warmStart && options.warmStart.invSqLengthscales.length === dim) starts.push(paramsToTheta(options.warmStart));
  const warmOnly = options.onlyWarmStart === true && starts.length === 1;
  if (!warmOnly) starts.push(paramsToTheta(defaultKernelParams(dim)));
  const random = options.random ?? Math.random;
  const nRestarts = warmOnly ? 0 : (options.nRestarts ?? 2);
  for (let r = 0; r < nRestarts; r++) {
    const t = new Float64Array(nTheta);
    for (let d = 0; d < dim; d++) t[d] = -3 + 6 * random();
    t[dim] = -1 + 2 * random();
    t[dim + 1] = -8 + 6 * random();
    starts.push(t);
  }
  if (options.stats) options.stats.starts += starts.length;
  const result: LbfgsbResult = multiStartLbfgsb(objective, starts, { lower, upper, maxIter: options.maxIter ?? 100, pgtol: 1e-4, ftol: 1e-9 });
  return thetaToParams(result.x, dim);
}

/**
 * A fitted GP posterior. Precomputes the Cholesky factor, α = K⁻¹y and K⁻¹, so that each prediction costs
 * O(n·dim + n²) and gradients with respect to the input come almost for free.
 */
export class GPPosterior {
  readonly data: GPData;
  readonly params: KernelParams;
  private readonly L: Float64Array;
  private readonly alpha: Float64Array;
  private Kinv: Float64Array | null = null;
  private readonly k: Float64Array;
  private readonly v: Float64Array;

  constructor(data: GPData, params: KernelParams) {
    this.data = data;
    this.params = params;
    const K = covariance(params, data.n, data.dim, pairDistances(data));
    this.L = choleskyWithJitter(K, data.n).L;
    this.alpha = solveUpperT(this.L, data.n, solveLower(this.L, data.n, data.y));
    this.k = new Float64Array(data.n);
    this.v = new Float64Array(data.n);
  }

  private kernelVector(x: ArrayLike<number>, dk?: Float64Array): void {
    const { X, n, dim, categorical } = this.data;
    const isl = this.params.invSqLengthscales;
    for (let i = 0; i < n; i++) {
      let d2 = 0;
      const off = i * dim;
      for (let d = 0; d < dim; d++) {
        const t = x[d] - X[off + d];
        d2 += isl[d] * (categorical[d] ? (t === 0 ? 0 : 1) : t * t);
      }
      this.k[i] = this.params.scale * matern52(d2);
      if (dk) dk[i] = this.params.scale * matern52Grad(d2);
    }
  }

  /** Posterior mean and variance of the latent function at x (variance floored at 1e-12). */
  predict(x: ArrayLike<number>): { mean: number; variance: number } {
    const n = this.data.n;
    this.kernelVector(x);
    let mean = 0;
    for (let i = 0; i < n; i++) mean += this.k[i] * this.alpha[i];
    solveLower(this.L, n, this.k, this.v);
    const vv = dot(this.v, 0, this.v, 0, n);
    return { mean, variance: Math.max(this.params.scale - vv, 1e-12) };
  }

  /**
   * Mean, variance and their gradients with respect to the continuous inputs (categorical entries of the
   * gradients are 0: they are searched exhaustively, not by gradient).
   */
  predictWithGrad(x: ArrayLike<number>, dMean: Float64Array, dVar: Float64Array): { mean: number; variance: number } {
    const { X, n, dim, categorical } = this.data;
    if (!this.Kinv) this.Kinv = inverseFromCholesky(this.L, n);
    const dk = this.v; // reused as scratch: dk/d(d²) per training point
    this.kernelVector(x, dk);
    const Kinv = this.Kinv;
    let mean = 0;
    let kKk = 0;
    dMean.fill(0);
    dVar.fill(0);
    const isl = this.params.invSqLengthscales;
    for (let i = 0; i < n; i++) {
      mean += this.k[i] * this.alpha[i];
      const u = dot(Kinv, i * n, this.k, 0, n); // (K⁻¹k)_i
      kKk += u * this.k[i];
      // ∂k_i/∂x_d = dk_i · 2λ_d (x_d - X_id); ∂mean = Σ α_i ∂k_i; ∂var = -2 Σ u_i ∂k_i.
      const cm = this.alpha[i] * dk[i];
      const cv = -2 * u * dk[i];
      const off = i * dim;
      for (let d = 0; d < dim; d++) {
        if (categorical[d]) continue;
        const g = 2 * isl[d] * (x[d] - X[off + d]);
        dMean[d] += cm * g;
        dVar[d] += cv * g;
      }
    }
    const variance = this.params.scale - kKk;
    if (variance < 1e-12) {
      dVar.fill(0);
      return { mean, variance: 1e-12 };
    }
    return { mean, variance };
  }
}
