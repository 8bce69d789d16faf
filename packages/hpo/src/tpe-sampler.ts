import { ErrorCode, NNError, positive, registry, type JsonObject } from '@nn/core';
import { intersectionSearchSpace } from './gp/search-space.js';
import { checkOptions, intOption, numberOption, seedOption } from './options.js';
import { sampleUniform } from './random-sampler.js';
import { RNG } from './rng.js';
import { lastStep } from './trial.js';
import { type ParzenDim, ParzenEstimator, defaultGamma, defaultWeights } from './tpe/parzen.js';
import type { Distribution, FrozenTrial, ParamValue, Sampler, StudyView } from './types.js';

export interface TPESamplerOptions {
  seed?: number;
  /** Trials drawn at random before TPE takes over. Default 10. */
  nStartupTrials?: number;
  /** Candidates drawn from l(x) per suggestion; the one maximizing l(x)/g(x) wins. Default 24. */
  nEiCandidates?: number;
  /** How many of n trials count as good. Default min(ceil(0.1·n), 25). */
  gamma?: (n: number) => number;
  /** Weights of the observations, oldest first. Default: 1 for the last 25, a ramp for older ones. */
  weights?: (n: number) => number[];
  /** Weight of the prior component of each estimator. Default 1. */
  priorWeight?: number;
  /** Floor each bandwidth at range/min(100, 1 + kernels). Default true. */
  considerMagicClip?: boolean;
  /** Let the range's ends count as neighbours when setting bandwidths. Default false. */
  considerEndpoints?: boolean;
  /** Model the joint search space with one multivariate estimator (Falkner et al. 2018). Default false. */
  multivariate?: boolean;
  /** Count running trials among the bad ones, so parallel workers spread out. Default false. */
  constantLiar?: boolean;
}

const OPTIONS = ['seed', 'nStartupTrials', 'nEiCandidates', 'gamma', 'weights', 'priorWeight', 'considerMagicClip', 'considerEndpoints', 'multivariate', 'constantLiar'];

/** The internal representation TPE models a distribution in: transformed numeric range or choice count. */
function parzenDim(d: Distribution): ParzenDim {
  if (d.type === 'categorical') return { kind: 'categorical', nChoices: d.choices.length };
  if (d.log) return { kind: 'numerical', low: Math.log(d.low), high: Math.log(d.high), step: null };
  return { kind: 'numerical', low: d.low, high: d.high, step: d.step };
}

function toRepr(d: Distribution, value: ParamValue): number | null {
  if (d.type === 'categorical') {
    const i = d.choices.indexOf(value);
    return i < 0 ? null : i;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  const v = Math.min(d.high, Math.max(d.low, value));
  return d.log ? Math.log(v) : v;
}

function fromRepr(d: Distribution, x: number): ParamValue {
  if (d.type === 'categorical') return d.choices[x];
  let v = d.log ? Math.exp(x) : x;
  if (d.type === 'int' || d.step !== null) {
    const step = d.step ?? 1;
    v = d.low + Math.round((v - d.low) / step) * step;
    if (d.type === 'float') v = Number(v.toPrecision(15));
  }
  return Math.min(d.high, Math.max(d.low, v));
}

/**
 * Tree-structured Parzen Estimator (Bergstra et al. 2011), following Optuna's TPESampler and its
 * defaults: after `nStartupTrials` random trials, the finished trials are split into the best
 * gamma(n) ("below") and the rest ("above"); a Parzen estimator l(x) is fitted to the good ones and g(x)
 * to the others, `nEiCandidates` points are drawn from l, and the one with the largest l(x)/g(x) — which
 * maximizes expected improvement under TPE's model — is suggested. Pruned trials rank after complete
 * ones, by how far they got and their last intermediate value. Univariate by default (each parameter
 * independently, so conditional spaces need nothing special); `multivariate` models the joint space.
 */
export class TPESampler implements Sampler {
  readonly seed: number | undefined;
  private readonly nStartupTrials: number;
  private readonly nEiCandidates: number;
  private readonly gamma: (n: number) => number;
  private readonly weights: (n: number) => number[];
  private readonly priorWeight: number;
  private readonly considerMagicClip: boolean;
  private readonly considerEndpoints: boolean;
  private readonly multivariate: boolean;
  private readonly constantLiar: boolean;
  private readonly rng: RNG;
  /** Custom gamma/weights functions: the sampler then has no data-only config. */
  private readonly customFunctions: boolean;

  constructor(options: TPESamplerOptions = {}) {
    checkOptions('TPESampler', options, OPTIONS);
    this.seed = seedOption('TPESampler', options.seed);
    this.nStartupTrials = intOption('TPESampler', 'nStartupTrials', options.nStartupTrials, 10, 0);
    this.nEiCandidates = intOption('TPESampler', 'nEiCandidates', options.nEiCandidates, 24);
    this.priorWeight = numberOption('TPESampler', 'priorWeight', options.priorWeight, 1, positive);
    for (const key of ['gamma', 'weights'] as const) {
      if (options[key] !== undefined && typeof options[key] !== 'function') throw new NNError(ErrorCode.InvalidArgument, `TPESampler: ${key} must be a function of the trial count`);
    }
    for (const key of ['considerMagicClip', 'considerEndpoints', 'multivariate', 'constantLiar'] as const) {
      if (options[key] !== undefined && typeof options[key] !== 'boolean') throw new NNError(ErrorCode.InvalidArgument, `TPESampler: ${key} must be a boolean, got ${String(options[key])}`);
    }
    this.customFunctions = options.gamma !== undefined || options.weights !== undefined;
    this.gamma = options.gamma ?? defaultGamma;
    this.weights = options.weights ?? defaultWeights;
    this.considerMagicClip = options.considerMagicClip ?? true;
    this.considerEndpoints = options.considerEndpoints ?? false;
    this.multivariate = options.multivariate ?? false;
    this.constantLiar = options.constantLiar ?? false;
    this.rng = new RNG(this.seed);
  }

  inferRelativeSearchSpace(study: StudyView, _trial: FrozenTrial): Record<string, Distribution> {
    if (!this.multivariate || study.directions.length !== 1) return {};
    return intersectionSearchSpace(study, true);
  }

  sampleRelative(study: StudyView, trial: FrozenTrial, space: Record<string, Distribution>): Record<string, ParamValue> {
    if (Object.keys(space).length === 0 || this.finishedCount(study) < this.nStartupTrials) return {};
    return this.sample(study, trial, space);
  }

  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue {
    if (this.finishedCount(study) < this.nStartupTrials || study.directions.length !== 1) return sampleUniform(this.rng, distribution);
    return this.sample(study, trial, { [name]: distribution })[name];
  }

  private finishedCount(study: StudyView): number {
    return study.getTrials(['complete', 'pruned']).length;
  }

  /** Splits finished (and, with the constant liar, running) trials into good and bad, each in trial order. */
  private split(study: StudyView, trial: FrozenTrial): [FrozenTrial[], FrozenTrial[]] {
    const sign = study.directions[0] === 'maximize' ? -1 : 1;
    const all = study.getTrials(this.constantLiar ? ['complete', 'pruned', 'running'] : ['complete', 'pruned']).filter((t) => t.number !== trial.number);
    const complete = all.filter((t) => t.state === 'complete' && t.values !== null && !Number.isNaN(t.values[0]));
    const pruned = all.filter((t) => t.state === 'pruned');
    const running = all.filter((t) => t.state === 'running');
    const nBelow = Math.max(0, Math.min(this.gamma(complete.length + pruned.length), complete.length + pruned.length));
    const cmp = (x: number, y: number) => (x < y ? -1 : x > y ? 1 : 0);
    const byValue = complete.slice().sort((a, b) => cmp(sign * a.values![0], sign * b.values![0]) || a.number - b.number);
    let below: FrozenTrial[];
    let above: FrozenTrial[];
    if (byValue.length >= nBelow) {
      below = byValue.slice(0, nBelow);
      above = [...byValue.slice(nBelow), ...pruned];
    } else {
      // Pruned trials: further along first, then better last intermediate value.
      const key = (t: FrozenTrial): [number, number] => {
        const step = lastStep(t);
        return step === null ? [Infinity, Infinity] : [-step, sign * t.intermediateValues[step]];
      };
      const rankedPruned = pruned.slice().sort((a, b) => {
        const [sa, va] = key(a);
        const [sb, vb] = key(b);
        return cmp(sa, sb) || (Number.isNaN(va) ? 1 : Number.isNaN(vb) ? -1 : cmp(va, vb)) || a.number - b.number;
      });
      const take = nBelow - byValue.length;
      below = [...byValue, ...rankedPruned.slice(0, take)];
      above = rankedPruned.slice(take);
    }
    above.push(...running);
    const byNumber = (a: FrozenTrial, b: FrozenTrial) => a.number - b.number;
    return [below.sort(byNumber), above.sort(byNumber)];
  }

  private estimator(trials: FrozenTrial[], names: string[], space: Record<string, Distribution>, dims: ParzenDim[]): ParzenEstimator {
    const rows: number[][] = [];
    for (const t of trials) {
      const row: number[] = [];
      for (const name of names) {
        if (!(name in t.params)) break;
        const r = toRepr(space[name], t.params[name]);
        if (r === null) break;
        row.push(r);
      }
      if (row.length === names.length) rows.push(row);
    }
    const observations = names.map((_, d) => Float64Array.from(rows, (r) => r[d]));
    return new ParzenEstimator(observations, dims, {
      priorWeight: this.priorWeight,
      considerMagicClip: this.considerMagicClip,
      considerEndpoints: this.considerEndpoints,
      multivariate: this.multivariate && names.length > 1,
      weights: this.weights,
    });
  }

  private sample(study: StudyView, trial: FrozenTrial, space: Record<string, Distribution>): Record<string, ParamValue> {
    const names = Object.keys(space);
    const dims = names.map((n) => parzenDim(space[n]));
    const [below, above] = this.split(study, trial);
    const l = this.estimator(below, names, space, dims);
    const g = this.estimator(above, names, space, dims);
    const samples = l.sample(this.rng, this.nEiCandidates);
    const ll = l.logPdf(samples, this.nEiCandidates);
    const lg = g.logPdf(samples, this.nEiCandidates);
    let best = 0;
    for (let i = 1; i < this.nEiCandidates; i++) if (ll[i] - lg[i] > ll[best] - lg[best]) best = i;
    const out: Record<string, ParamValue> = {};
    names.forEach((name, d) => {
      out[name] = fromRepr(space[name], samples[d][best]);
    });
    return out;
  }

  stateDict(): JsonObject {
    return { rng: this.rng.getState() };
  }

  loadStateDict(state: JsonObject): void {
    if (!Array.isArray(state?.rng)) throw new NNError(ErrorCode.StateMismatch, 'TPESampler.loadStateDict: expected { rng: number[4] }');
    this.rng.setState(state.rng as number[]);
  }

  /** The options as data. Custom gamma/weights functions cannot be serialized (configs never hold code). */
  getConfig(): Record<string, unknown> {
    if (this.customFunctions) {
      throw new NNError(ErrorCode.NotSerializable, 'TPESampler: a sampler with a custom gamma or weights function cannot be serialized (configs are data only); pass the sampler object itself');
    }
    return {
      seed: this.seed,
      nStartupTrials: this.nStartupTrials,
      nEiCandidates: this.nEiCandidates,
      priorWeight: this.priorWeight,
      considerMagicClip: this.considerMagicClip,
      considerEndpoints: this.considerEndpoints,
      multivariate: this.multivariate,
      constantLiar: this.constantLiar,
    };
  }

  static fromConfig(config: JsonObject): TPESampler {
    return new TPESampler(config as TPESamplerOptions);
  }
}

registry.register('sampler', 'tpe', TPESampler);
