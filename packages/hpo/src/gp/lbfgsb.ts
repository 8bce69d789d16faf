/**
 * Bound-constrained quasi-Newton minimization: projected L-BFGS with box constraints (after Bertsekas's
 * projected Newton and the L-BFGS-B idea of Byrd, Lu, Nocedal and Zhu, simplified). Each iteration
 * fixes the variables that sit on a bound with the gradient pushing outward, takes the two-loop L-BFGS
 * direction on the remaining (free) variables, and backtracks along the projected path P(x + t·d) with an
 * Armijo test on the actual projected step. It lacks L-BFGS-B's generalized Cauchy point and subspace
 * minimization, which matters little for the small, smooth problems here (kernel hyperparameters and the
 * acquisition over [0,1]^d) and keeps the code short. Converges on a small projected gradient or a
 * stalled objective.
 */

export type ObjectiveWithGrad = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsbOptions {
  /** Lower bounds (scalar for all coordinates, or one per coordinate); -Infinity for none. */
  lower?: number | ArrayLike<number>;
  upper?: number | ArrayLike<number>;
  /** Maximum iterations (default 200). */
  maxIter?: number;
  /** History size (default 10). */
  memory?: number;
  /** Stop when the projected gradient's largest component is below this (default 1e-6). */
  pgtol?: number;
  /** Stop when one step reduces f by less than ftol·max(|f|, 1) (default 1e-12). */
  ftol?: number;
  /** Stop after this many evaluations of f (default unlimited). */
  maxEvaluations?: number;
  /** Give up a line search once the trial step moves no coordinate by more than this (default 1e-10). */
  stepTol?: number;
}

export interface LbfgsbResult {
  x: Float64Array;
  f: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
}

const boundArray = (b: number | ArrayLike<number> | undefined, n: number, fill: number): Float64Array => {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = b === undefined ? fill : typeof b === 'number' ? b : b[i];
  return out;
};

/** Minimizes f over the box [lower, upper] from x0 (projected into the box first). */
export function minimizeLbfgsb(fg: ObjectiveWithGrad, x0: ArrayLike<number>, options: LbfgsbOptions = {}): LbfgsbResult {
  const n = x0.length;
  const lo = boundArray(options.lower, n, -Infinity);
  const hi = boundArray(options.upper, n, Infinity);
  const maxIter = options.maxIter ?? 200;
  const m = options.memory ?? 10;
  const pgtol = options.pgtol ?? 1e-6;
  const ftol = options.ftol ?? 1e-12;
  const maxEvaluations = options.maxEvaluations ?? Infinity;
  const stepTol = options.stepTol ?? 1e-10;

  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.min(hi[i], Math.max(lo[i], x0[i]));
  const g = new Float64Array(n);
  let f = fg(x, g);
  let evaluations = 1;
  if (!Number.isFinite(f)) return { x, f, iterations: 0, evaluations, converged: false };

  const sHist: Float64Array[] = [];
  const yHist: Float64Array[] = [];
  const rhoHist: number[] = [];
  const d = new Float64Array(n);
  const free = new Uint8Array(n);
  const xt = new Float64Array(n);
  const gt = new Float64Array(n);
  const alpha = new Float64Array(m);
  let converged = false;
  let iter = 0;

  for (; iter < maxIter; iter++) {
    let pgMax = 0;
    for (let i = 0; i < n; i++) {
      const atLo = x[i] <= lo[i] && g[i] > 0;
      const atHi = x[i] >= hi[i] && g[i] < 0;
      free[i] = atLo || atHi ? 0 : 1;
      if (free[i]) pgMax = Math.max(pgMax, Math.abs(g[i]));
    }
    if (pgMax < pgtol) {
      converged = true;
      break;
    }

    // Two-loop recursion restricted to the free variables.
    for (let i = 0; i < n; i++) d[i] = free[i] ? -g[i] : 0;
    const k = sHist.length;
    for (let j = k - 1; j >= 0; j--) {
      const s = sHist[j];
      let a = 0;
      for (let i = 0; i < n; i++) if (free[i]) a += s[i] * d[i];
      a *= rhoHist[j];
      alpha[j] = a;
      const y = yHist[j];
      for (let i = 0; i < n; i++) if (free[i]) d[i] -= a * y[i];
    }
    if (k > 0) {
      const s = sHist[k - 1];
      const y = yHist[k - 1];
      let sy = 0;
      let yy = 0;
      for (let i = 0; i < n; i++) {
        sy += s[i] * y[i];
        yy += y[i] * y[i];
      }
      const gamma = sy / yy;
      for (let i = 0; i < n; i++) d[i] *= gamma;
    }
    for (let j = 0; j < k; j++) {
      const y = yHist[j];
      let b = 0;
      for (let i = 0; i < n; i++) if (free[i]) b += y[i] * d[i];
      b *= rhoHist[j];
      const s = sHist[j];
      for (let i = 0; i < n; i++) if (free[i]) d[i] += (alpha[j] - b) * s[i];
    }
    let gd = 0;
    for (let i = 0; i < n; i++) gd += g[i] * d[i];
    if (!(gd < 0)) {
      // Not a descent direction (stale curvature pairs): restart from steepest descent.
      sHist.length = yHist.length = rhoHist.length = 0;
      for (let i = 0; i < n; i++) d[i] = free[i] ? -g[i] : 0;
    }

    // Backtracking along the projected path.
    let t = sHist.length === 0 ? Math.min(1, 1 / pgMax) : 1;
    let accepted = false;
    let negligible = false;
    let ft = f;
    for (let ls = 0; ls < 40 && evaluations < maxEvaluations; ls++) {
      let decrease = 0;
      let moved = 0;
      for (let i = 0; i < n; i++) {
        xt[i] = Math.min(hi[i], Math.max(lo[i], x[i] + t * d[i]));
        decrease += g[i] * (xt[i] - x[i]);
        moved = Math.max(moved, Math.abs(xt[i] - x[i]));
      }
      if (moved <= stepTol) {
        // The step no longer moves x: x is (numerically) stationary along this direction.
        negligible = true;
        break;
      }
      ft = fg(xt, gt);
      evaluations++;
      if (Number.isFinite(ft) && ft <= f + 1e-4 * decrease) {
        accepted = true;
        break;
      }
      t *= 0.5;
    }
    if (!accepted) {
      if (sHist.length === 0 || evaluations >= maxEvaluations) {
        converged = negligible;
        break;
      }
      sHist.length = yHist.length = rhoHist.length = 0;
      continue;
    }

    const s = new Float64Array(n);
    const y = new Float64Array(n);
    let sy = 0;
    let yy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = xt[i] - x[i];
      y[i] = gt[i] - g[i];
      sy += s[i] * y[i];
      yy += y[i] * y[i];
    }
    if (sy > 1e-10 * yy && sy > 0) {
      if (sHist.length === m) {
        sHist.shift();
        yHist.shift();
        rhoHist.shift();
      }
      sHist.push(s);
      yHist.push(y);
      rhoHist.push(1 / sy);
    }
    const fPrev = f;
    x.set(xt);
    g.set(gt);
    f = ft;
    if (fPrev - f <= ftol * Math.max(Math.abs(f), Math.abs(fPrev), 1)) {
      converged = true;
      iter++;
      break;
    }
    if (evaluations >= maxEvaluations) {
      iter++;
      break;
    }
  }
  return { x, f, iterations: iter, evaluations, converged };
}

/**
 * Runs {@link minimizeLbfgsb} from each start and keeps the best finite result: the objectives here
 * (marginal likelihood, acquisition) are multimodal, and a few starts are cheaper than getting stuck.
 */
export function multiStartLbfgsb(fg: ObjectiveWithGrad, starts: ArrayLike<number>[], options: LbfgsbOptions = {}): LbfgsbResult {
  let best: LbfgsbResult | null = null;
  for (const x0 of starts) {
    const r = minimizeLbfgsb(fg, x0, options);
    if (best === null || (Number.isFinite(r.f) && !(r.f >= best.f))) best = r;
  }
  if (best === null) throw new Error('multiStartLbfgsb: no start points');
  return best;
}
