import { toInternal } from '../distributions.js';
import type { ImportanceEvaluator } from '../plots/importance.js';
import { SobolSequence } from '../sobol.js';
import type { Direction, Distribution, FrozenTrial } from '../types.js';
import { type AcqDim } from './acqf.js';
import { type GPData, GPPosterior, fitKernelParams } from './gp.js';

export interface GPImportanceOptions {
  /** Monte Carlo points over the other parameters per main-effect value (default 128). */
  nSamples?: number;
  /** Values of a numeric parameter at which its main effect is evaluated (default 16). */
  nGrid?: number;
  /** Seeds the kernel fit's restarts and the Sobol points (default 0: the result is deterministic). */
  seed?: number;
}

function domain(d: Distribution): AcqDim {
  if (d.type === 'categorical') return { kind: 'categorical', nChoices: d.choices.length };
  if (d.type === 'int' || d.step !== null) {
    const step = d.step ?? 1;
    const count = Math.round((d.high - d.low) / step) + 1;
    return { kind: 'discrete', grid: Float64Array.from({ length: count }, (_, i) => toInternal(d, d.low + i * step)) };
  }
  return { kind: 'continuous' };
}

function snap(dim: AcqDim, u: number): number {
  if (dim.kind === 'continuous') return u;
  if (dim.kind === 'categorical') return Math.min(dim.nChoices - 1, Math.floor(u * dim.nChoices));
  return dim.grid[Math.min(dim.grid.length - 1, Math.floor(u * dim.grid.length))];
}

/** The values at which a parameter's main effect is evaluated: every choice, or an even grid. */
function gridOf(dim: AcqDim, nGrid: number): number[] {
  if (dim.kind === 'categorical') return Array.from({ length: dim.nChoices }, (_, i) => i);
  if (dim.kind === 'discrete' && dim.grid.length <= nGrid) return Array.from(dim.grid);
  return Array.from({ length: nGrid }, (_, k) => snap(dim, (k + 0.5) / nGrid));
}

/**
 * Parameter importance as fANOVA first-order indices of a GP surrogate: the GP (the GPSampler's kernel
 * and fit) is fitted to the trials, each parameter's main effect f_p(v) = E[μ(x) | x_p = v] is averaged
 * over scrambled-Sobol points for the other parameters, and the importance of p is the variance of f_p
 * over p's range. Unlike binning the raw trials, the surrogate separates a parameter's effect from those
 * of the parameters it was sampled together with, which matters after a model-based search has
 * concentrated its trials. Use it with `paramImportances(study, { evaluator: new GPImportanceEvaluator() })`.
 * Trials missing one of the parameters are left out; with fewer than 3 left, every score is 0.
 */
export class GPImportanceEvaluator implements ImportanceEvaluator {
  private readonly nSamples: number;
  private readonly nGrid: number;
  private readonly seed: number;

  constructor(options: GPImportanceOptions = {}) {
    this.nSamples = options.nSamples ?? 128;
    this.nGrid = options.nGrid ?? 16;
    this.seed = options.seed ?? 0;
  }

  evaluate(trials: FrozenTrial[], params: string[], values: number[], _direction: Direction): Record<string, number> {
    const zero = Object.fromEntries(params.map((p) => [p, 0]));
    const rows = trials.map((t, i) => ({ t, v: values[i] })).filter(({ t, v }) => Number.isFinite(v) && params.every((p) => p in t.params && p in t.distributions));
    if (rows.length < 3 || params.length === 0) return zero;
    const last = rows[rows.length - 1].t;
    const dists = params.map((p) => last.distributions[p]);
    const dims = dists.map(domain);
    const D = params.length;
    const n = rows.length;
    const X = new Float64Array(n * D);
    const y = new Float64Array(n);
    rows.forEach(({ t, v }, i) => {
      params.forEach((p, d) => {
        let x: number;
        try {
          x = toInternal(t.distributions[p], t.params[p]);
        } catch {
          x = 0;
        }
        X[i * D + d] = x;
      });
      y[i] = v;
    });
    const mean = y.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(y.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
    if (!(sd > 0)) return zero;
    for (let i = 0; i < n; i++) y[i] = (y[i] - mean) / sd;

    const data: GPData = { X, y, n, dim: D, categorical: dims.map((d) => d.kind === 'categorical') };
    let s = this.seed >>> 0 || 1;
    const random = () => ((s = Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) >>> 0) / 4294967296);
    const gp = new GPPosterior(data, fitKernelParams(data, { random, nRestarts: 2 }));

    const sobol = new SobolSequence({ dims: Math.min(D, 40), seed: this.seed });
    const base = Array.from({ length: this.nSamples }, (_, i) => Float64Array.from(dims, (dim, d) => snap(dim, d < 40 ? sobol.coordinate(i, d) : random())));
    const out: Record<string, number> = {};
    const x = new Float64Array(D);
    params.forEach((p, d) => {
      const effects = gridOf(dims[d], this.nGrid).map((v) => {
        let acc = 0;
        for (const b of base) {
          x.set(b);
          x[d] = v;
          acc += gp.predict(x).mean;
        }
        return acc / base.length;
      });
      const m = effects.reduce((a, b) => a + b, 0) / effects.length;
      out[p] = effects.reduce((a, e) => a + (e - m) ** 2, 0) / effects.length;
    });
    return out;
  }
}
