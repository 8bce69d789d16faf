import { ErrorCode, NNError, registry, type JsonObject } from '@nn/core';
import { fromInternal, toInternal } from './distributions.js';
import { type AcqDim, LogEIAcquisition, optimizeAcquisition } from './gp/acqf.js';
import { type GPData, GPPosterior, type KernelParams, fitKernelParams } from './gp/gp.js';
import { hasAllParams, intersectionSearchSpace, parameterOrder } from './gp/search-space.js';
import { checkOptions, intOption, seedOption } from './options.js';
import { sampleUniform } from './random-sampler.js';
import { RNG } from './rng.js';
import { SOBOL_MAX_DIMS, SobolSequence } from './sobol.js';
import { lastStep } from './trial.js';
import type { Distribution, FrozenTrial, ParamValue, Sampler, StudyView } from './types.js';

export interface GPSamplerOptions {
  seed?: number;
  /** Trials sampled quasi-randomly (scrambled Sobol) before the GP takes over. Default 10. */
  nStartupTrials?: number;
  /** The objective has no noise: fix the GP's noise at its floor instead of fitting it. Default false. */
  deterministicObjective?: boolean;
  /** Treat running trials as if they had returned the worst value so far (constant liar). Default true. */
  constantLiar?: boolean;
  /** Sobol points of the acquisition sweep. Default 2048. */
  nPreliminarySamples?: number;
  /** Sweep points refined by local search. Default 10. */
  nLocalSearch?: number;
  /** Random restarts of the kernel fit besides the warm start and the default. Default 1. */
  nFitRestarts?: number;
  /**
   * Past 50 complete trials, run the multi-start kernel fit (warm start + default + random restarts) only
   * every this many complete trials; in between, only the warm start is refined (as Optuna does every
   * trial), which keeps a suggestion fast. Below 50 trials every fit is multi-start (it is cheap there, and
   * early fits are the ones that land in poor local optima). Default 10; 1 multi-starts every time.
   */
  multiStartEvery?: number;
  /**
   * Learn from pruned trials, valued at the last intermediate value they reported (Optuna's rule for its
   * CMA-ES sampler). Without it a study whose trials are mostly pruned never reaches `nStartupTrials`
   * complete trials, and the GP never learns that a region gets pruned, so it proposes it again and again.
   * The early value overstates the final loss, which is the point. Default true.
   */
  learnFromPruned?: boolean;
}

const OPTIONS = ['seed', 'nStartupTrials', 'deterministicObjective', 'constantLiar', 'nPreliminarySamples', 'nLocalSearch', 'nFitRestarts', 'multiStartEvery', 'learnFromPruned'];

/** The study with each pruned trial that reported a value shown as complete at its last reported value. */
function prunedAsComplete(study: StudyView): StudyView {
  const asComplete = (t: FrozenTrial): FrozenTrial => {
    const step = t.state === 'pruned' ? lastStep(t) : null;
    return step === null ? t : { ...t, state: 'complete', values: [t.intermediateValues[step]] };
  };
  return {
    ...study,
    directions: study.directions,
    getTrials: (states) => {
      const trials = study.getTrials().map(asComplete);
      return states ? trials.filter((t) => states.includes(t.state)) : trials;
    },
  };
}

/** Below this many complete trials every kernel fit is multi-start (a fit costs O(n³) per evaluation). */
const MULTI_START_BELOW = 50;

/** How a search-space parameter maps into the GP's input space. */
function acqDim(d: Distribution): AcqDim {
  if (d.type === 'categorical') return { kind: 'categorical', nChoices: d.choices.length };
  if (d.type === 'int' || d.step !== null) {
    const step = d.step ?? 1;
    const count = Math.round((d.high - d.low) / step) + 1;
    const grid = new Float64Array(count);
    for (let i = 0; i < count; i++) grid[i] = toInternal(d, d.type === 'int' ? d.low + i * step : Number((d.low + i * step).toPrecision(15)));
    return { kind: 'discrete', grid };
  }
  return { kind: 'continuous' };
}

/**
 * Bayesian optimization with a Gaussian process (Optuna's GPSampler, in TypeScript). Each trial:
 * 1. inputs are mapped to [0, 1] (log ranges log-transformed first, integer/step ranges padded by half a
 *    step) and categoricals to choice indices; objective values are negated for minimization and
 *    standardized;
 * 2. a Matérn-5/2 ARD kernel (Hamming term for categoricals) is fitted by maximizing the marginal
 *    likelihood with weak priors by L-BFGS-B on the log-hyperparameters: multi-start (previous fit,
 *    default, random restarts) up to 50 complete trials and every `multiStartEvery` trials after,
 *    otherwise from the previous trial's fit alone;
 * 3. log expected improvement is maximized by a scrambled-Sobol sweep plus local search (L-BFGS-B on
 *    continuous inputs, exhaustive/line search on integer and categorical ones).
 * The first `nStartupTrials` trials are a scrambled Sobol design (one Sobol dimension per parameter, by
 * order of first appearance). Running trials enter the GP with the worst value seen (constant liar), so
 * parallel workers do not all propose the same point. Parameters outside the joint space (conditional
 * ones) are drawn uniformly at random.
 */
export class GPSampler implements Sampler {
  readonly seed: number | undefined;
  private readonly nStartupTrials: number;
  private readonly deterministic: boolean;
  private readonly constantLiar: boolean;
  private readonly nPreliminary: number;
  private readonly nLocalSearch: number;
  private readonly nFitRestarts: number;
  private readonly multiStartEvery: number;
  private readonly learnFromPruned: boolean;
  private readonly rng: RNG;
  private sobolSeed: number;
  private sobol: SobolSequence;
  /** The last fitted kernel, per search-space signature: the next fit starts from it. */
  private lastFit: { signature: string; params: KernelParams } | null = null;

  constructor(options: GPSamplerOptions = {}) {
    checkOptions('GPSampler', options, OPTIONS);
    this.seed = seedOption('GPSampler', options.seed);
    this.nStartupTrials = intOption('GPSampler', 'nStartupTrials', options.nStartupTrials, 10, 0);
    this.nPreliminary = intOption('GPSampler', 'nPreliminarySamples', options.nPreliminarySamples, 2048);
    this.nLocalSearch = intOption('GPSampler', 'nLocalSearch', options.nLocalSearch, 10);
    this.nFitRestarts = intOption('GPSampler', 'nFitRestarts', options.nFitRestarts, 1, 0);
    this.multiStartEvery = intOption('GPSampler', 'multiStartEvery', options.multiStartEvery, 10);
    for (const key of ['deterministicObjective', 'constantLiar', 'learnFromPruned'] as const) {
      if (options[key] !== undefined && typeof options[key] !== 'boolean') {
        throw new NNError(ErrorCode.InvalidArgument, `GPSampler: ${key} must be a boolean, got ${String(options[key])}`);
      }
    }
    this.deterministic = options.deterministicObjective ?? false;
    this.constantLiar = options.constantLiar ?? true;
    this.learnFromPruned = options.learnFromPruned ?? true;
    this.rng = new RNG(this.seed);
    // The startup design's scramble, drawn once; part of the state so a resumed study continues the same design.
    this.sobolSeed = this.rng.nextUint32();
    this.sobol = new SobolSequence({ dims: SOBOL_MAX_DIMS, seed: this.sobolSeed });
  }

  /** The trials as this sampler learns from them (see `learnFromPruned`). */
  private view(study: StudyView): StudyView {
    return this.learnFromPruned ? prunedAsComplete(study) : study;
  }

  inferRelativeSearchSpace(study: StudyView, _trial: FrozenTrial): Record<string, Distribution> {
    if (study.directions.length !== 1) return {};
    return intersectionSearchSpace(this.view(study));
  }

  sampleRelative(studyIn: StudyView, trial: FrozenTrial, space: Record<string, Distribution>): Record<string, ParamValue> {
    const study = this.view(studyIn);
    const names = Object.keys(space);
    if (names.length === 0) return {};
    const complete = study.getTrials(['complete']).filter((t) => hasAllParams(t, space) && t.values && t.values.length === 1);
    if (complete.length < this.nStartupTrials || complete.length === 0) return {};
    const running = this.constantLiar ? study.getTrials(['running']).filter((t) => t.number !== trial.number && hasAllParams(t, space)) : [];

    const dims = names.map((n) => acqDim(space[n]));
    const dim = names.length;
    const n = complete.length + running.length;
    const X = new Float64Array(n * dim);
    const y = new Float64Array(n);
    const sign = study.directions[0] === 'maximize' ? 1 : -1;
    [...complete, ...running].forEach((t, i) => {
      names.forEach((name, d) => {
        X[i * dim + d] = toInternal(space[name], t.params[name]);
      });
    });
    // Standardize the complete values (maximization form); infinities are clipped to the finite range.
    const raw = complete.map((t) => sign * t.values![0]);
    const finite = raw.filter(Number.isFinite);
    const hi = finite.length ? Math.max(...finite) : 0;
    const lo = finite.length ? Math.min(...finite) : 0;
    const clipped = raw.map((v) => (Number.isNaN(v) ? lo : Math.min(hi, Math.max(lo, v))));
    const mean = clipped.reduce((a, b) => a + b, 0) / clipped.length;
    const sd = Math.sqrt(clipped.reduce((a, b) => a + (b - mean) ** 2, 0) / clipped.length) || 1;
    let best = -Infinity;
    let worst = Infinity;
    clipped.forEach((v, i) => {
      y[i] = (v - mean) / sd;
      best = Math.max(best, y[i]);
      worst = Math.min(worst, y[i]);
    });
    for (let i = complete.length; i < n; i++) y[i] = worst;

    const data: GPData = { X, y, n, dim, categorical: dims.map((d) => d.kind === 'categorical') };
    const signature = names.map((name) => `${name}:${JSON.stringify(space[name])}`).join('|');
    const warmStart = this.lastFit?.signature === signature ? this.lastFit.params : null;
    const multiStart = warmStart === null || complete.length < MULTI_START_BELOW || complete.length % this.multiStartEvery === 0;
    const params = fitKernelParams(data, {
      warmStart,
      onlyWarmStart: !multiStart,
      nRestarts: this.nFitRestarts,
      random: () => this.rng.random(),
      deterministic: this.deterministic,
    });
    this.lastFit = { signature, params };
    const acq = new LogEIAcquisition(new GPPosterior(data, params), best);
    const { x } = optimizeAcquisition(acq, dims, this.rng, { nPreliminary: this.nPreliminary, nLocalSearch: this.nLocalSearch });
    const out: Record<string, ParamValue> = {};
    names.forEach((name, d) => {
      out[name] = fromInternal(space[name], x[d]);
    });
    return out;
  }

  sampleIndependent(studyIn: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue {
    const study = this.view(studyIn);
    const nComplete = study.getTrials(['complete']).length;
    if (nComplete < this.nStartupTrials) {
      const order = parameterOrder(study, trial);
      const dim = order.includes(name) ? order.indexOf(name) : order.length;
      if (dim < SOBOL_MAX_DIMS) {
        const u = this.sobol.coordinate(trial.number, dim);
        if (distribution.type === 'categorical') return distribution.choices[Math.min(distribution.choices.length - 1, Math.floor(u * distribution.choices.length))];
        return fromInternal(distribution, u);
      }
    }
    return sampleUniform(this.rng, distribution);
  }

  stateDict(): JsonObject {
    const state: JsonObject = { rng: this.rng.getState(), sobolSeed: this.sobolSeed };
    if (this.lastFit) {
      state.lastFit = {
        signature: this.lastFit.signature,
        invSqLengthscales: Array.from(this.lastFit.params.invSqLengthscales),
        scale: this.lastFit.params.scale,
        noise: this.lastFit.params.noise,
      };
    }
    return state;
  }

  loadStateDict(state: JsonObject): void {
    if (!Array.isArray(state?.rng)) throw new NNError(ErrorCode.StateMismatch, 'GPSampler.loadStateDict: expected { rng: number[4], sobolSeed?, lastFit? }');
    this.rng.setState(state.rng as number[]);
    if (typeof state.sobolSeed === 'number' && state.sobolSeed !== this.sobolSeed) {
      this.sobolSeed = state.sobolSeed;
      this.sobol = new SobolSequence({ dims: SOBOL_MAX_DIMS, seed: this.sobolSeed });
    }
    const f = state.lastFit as { signature?: unknown; invSqLengthscales?: unknown; scale?: unknown; noise?: unknown } | undefined;
    this.lastFit =
      f && typeof f.signature === 'string' && Array.isArray(f.invSqLengthscales) && typeof f.scale === 'number' && typeof f.noise === 'number'
        ? { signature: f.signature, params: { invSqLengthscales: Float64Array.from(f.invSqLengthscales as number[]), scale: f.scale, noise: f.noise } }
        : null;
  }

  getConfig(): Record<string, unknown> {
    return {
      seed: this.seed,
      nStartupTrials: this.nStartupTrials,
      deterministicObjective: this.deterministic,
      constantLiar: this.constantLiar,
      learnFromPruned: this.learnFromPruned,
      nPreliminarySamples: this.nPreliminary,
      nLocalSearch: this.nLocalSearch,
      nFitRestarts: this.nFitRestarts,
      multiStartEvery: this.multiStartEvery,
    };
  }

  static fromConfig(config: JsonObject): GPSampler {
    return new GPSampler(config as GPSamplerOptions);
  }
}

registry.register('sampler', 'gp', GPSampler);
