import type { RNG } from '../rng.js';
import { SobolSequence } from '../sobol.js';
import type { GPPosterior } from './gp.js';
import { minimizeLbfgsb } from './lbfgsb.js';
import { logEI, logEIWithGrad } from './logei.js';

/**
 * One input of the acquisition search. `continuous` inputs move by gradient in [0, 1]; `discrete` inputs
 * (integer and step ranges) take one of the `grid` values (their points mapped to [0, 1]); `categorical`
 * inputs take an index in [0, nChoices).
 */
export type AcqDim =
  | { kind: 'continuous' }
  | { kind: 'discrete'; grid: Float64Array }
  | { kind: 'categorical'; nChoices: number };

/** Log expected improvement over the incumbent `best` under a GP posterior (maximized). */
export class LogEIAcquisition {
  constructor(
    readonly gp: GPPosterior,
    readonly best: number,
  ) {}

  value(x: ArrayLike<number>): number {
    const { mean, variance } = this.gp.predict(x);
    return logEI(mean, variance, this.best);
  }

  /** Value and gradient with respect to x (zero on categorical inputs). */
  valueAndGrad(x: ArrayLike<number>, grad: Float64Array, scratch: Float64Array): number {
    const { mean, variance } = this.gp.predictWithGrad(x, grad, scratch);
    const r = logEIWithGrad(mean, variance, this.best);
    for (let d = 0; d < grad.length; d++) grad[d] = r.dMean * grad[d] + r.dVar * scratch[d];
    return r.value;
  }
}

export interface AcqOptimizeOptions {
  /** Size of the Sobol sweep (default 2048). */
  nPreliminary?: number;
  /** How many sweep points are refined by local search (default 10): the best plus a softmax-weighted draw. */
  nLocalSearch?: number;
  /** Rounds of alternating continuous/discrete refinement per start (default 5). */
  maxRounds?: number;
}

/** Index of the grid value nearest to v (grid sorted ascending). */
function nearest(grid: Float64Array, v: number): number {
  let lo = 0;
  let hi = grid.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (grid[mid] <= v) lo = mid;
    else hi = mid;
  }
  return Math.abs(grid[hi] - v) < Math.abs(grid[lo] - v) ? hi : lo;
}

/** Snaps a [0,1] Sobol coordinate onto a dimension's domain. */
function snap(dim: AcqDim, u: number): number {
  if (dim.kind === 'continuous') return u;
  if (dim.kind === 'categorical') return Math.min(dim.nChoices - 1, Math.floor(u * dim.nChoices));
  return dim.grid[nearest(dim.grid, u)];
}

/** Exhaustive search over at most this many values of a discrete dimension; beyond, a strided scan plus hill-climb. */
const EXHAUSTIVE_LIMIT = 64;

/**
 * Best value of one discrete/categorical coordinate with the others fixed: every choice of a categorical,
 * every grid point of a small integer range, and for a large range a strided scan followed by a
 * neighbour hill-climb — a line search on the grid, never rounding a continuous optimum.
 */
function searchDiscrete(acq: LogEIAcquisition, x: Float64Array, d: number, dim: AcqDim, current: number): number {
  const original = x[d];
  let bestV = current;
  let bestX = original;
  const tryValue = (v: number) => {
    if (v === bestX) return;
    x[d] = v;
    const f = acq.value(x);
    if (f > bestV) {
      bestV = f;
      bestX = v;
    }
  };
  if (dim.kind === 'categorical') {
    for (let c = 0; c < dim.nChoices; c++) tryValue(c);
  } else if (dim.kind === 'discrete') {
    const g = dim.grid;
    if (g.length <= EXHAUSTIVE_LIMIT) {
      for (let i = 0; i < g.length; i++) tryValue(g[i]);
    } else {
      const stride = (g.length - 1) / (EXHAUSTIVE_LIMIT - 1);
      for (let k = 0; k < EXHAUSTIVE_LIMIT; k++) tryValue(g[Math.round(k * stride)]);
      let i = nearest(g, bestX);
      for (;;) {
        const before = bestX;
        if (i > 0) tryValue(g[i - 1]);
        if (i < g.length - 1) tryValue(g[i + 1]);
        if (bestX === before) break;
        i = nearest(g, bestX);
      }
    }
  }
  x[d] = bestX;
  return bestV;
}

/**
 * Maximizes the acquisition over the mixed domain: a scrambled-Sobol sweep of `nPreliminary` points
 * (snapped onto each dimension's domain), then local search from the best few — projected L-BFGS-B over
 * the continuous inputs alternating with exhaustive/line search over each discrete and categorical input,
 * until a round brings no improvement. Returns the best point and its acquisition value.
 */
export function optimizeAcquisition(acq: LogEIAcquisition, dims: AcqDim[], rng: RNG, options: AcqOptimizeOptions = {}): { x: Float64Array; value: number } {
  const D = dims.length;
  const nPre = options.nPreliminary ?? 2048;
  const nLocal = Math.min(options.nLocalSearch ?? 10, nPre);
  const maxRounds = options.maxRounds ?? 5;
  const sobol = new SobolSequence({ dims: Math.min(D, 40), seed: rng.nextUint32() });

  const cand = new Float64Array(nPre * D);
  const vals = new Float64Array(nPre);
  for (let i = 0; i < nPre; i++) {
    const row = cand.subarray(i * D, (i + 1) * D);
    for (let d = 0; d < D; d++) row[d] = snap(dims[d], d < 40 ? sobol.coordinate(i, d) : rng.random());
    vals[i] = acq.value(row);
  }

  // Starts: the best sweep point, then a draw without replacement weighted by exp(acq - max).
  let top = 0;
  for (let i = 1; i < nPre; i++) if (vals[i] > vals[top]) top = i;
  const starts = [top];
  const weights = new Float64Array(nPre);
  for (let i = 0; i < nPre; i++) weights[i] = i === top || !Number.isFinite(vals[i]) ? 0 : Math.exp(vals[i] - vals[top]);
  for (let k = 1; k < nLocal; k++) {
    let total = 0;
    for (let i = 0; i < nPre; i++) total += weights[i];
    if (!(total > 0)) break;
    let r = rng.random() * total;
    let pick = -1;
    for (let i = 0; i < nPre; i++) {
      if (weights[i] === 0) continue;
      pick = i;
      r -= weights[i];
      if (r <= 0) break;
    }
    if (pick < 0) break;
    starts.push(pick);
    weights[pick] = 0;
  }

  const contIdx = dims.flatMap((d, i) => (d.kind === 'continuous' ? [i] : []));
  const otherIdx = dims.flatMap((d, i) => (d.kind === 'continuous' ? [] : [i]));
  const fullGrad = new Float64Array(D);
  const scratch = new Float64Array(D);

  let bestX = cand.slice(top * D, (top + 1) * D);
  let bestV = vals[top];
  for (const s of starts) {
    const x = cand.slice(s * D, (s + 1) * D);
    let v = vals[s];
    for (let round = 0; round < maxRounds; round++) {
      const before = v;
      if (contIdx.length > 0) {
        const x0 = Float64Array.from(contIdx, (d) => x[d]);
        const r = minimizeLbfgsb(
          (z, g) => {
            for (let k = 0; k < contIdx.length; k++) x[contIdx[k]] = z[k];
            const f = acq.valueAndGrad(x, fullGrad, scratch);
            for (let k = 0; k < contIdx.length; k++) g[k] = -fullGrad[contIdx[k]];
            return -f;
          },
          x0,
          { lower: 0, upper: 1, maxIter: 50, maxEvaluations: 80, pgtol: 1e-5, ftol: 1e-9 },
        );
        if (-r.f >= v) {
          for (let k = 0; k < contIdx.length; k++) x[contIdx[k]] = r.x[k];
          v = -r.f;
        } else {
          for (let k = 0; k < contIdx.length; k++) x[contIdx[k]] = x0[k];
        }
      }
      for (const d of otherIdx) v = searchDiscrete(acq, x, d, dims[d], v);
      if (!(v > before + 1e-9 * Math.max(1, Math.abs(before)))) break;
      if (otherIdx.length === 0) break;
    }
    if (v > bestV) {
      bestV = v;
      bestX = x;
    }
  }
  return { x: bestX, value: bestV };
}
