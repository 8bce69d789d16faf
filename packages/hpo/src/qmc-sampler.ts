import { ErrorCode, NNError, registry, type JsonObject } from '@nn/core';
import { fromInternal, isSingle } from './distributions.js';
import { checkOptions, seedOption } from './options.js';
import { RandomSampler } from './random-sampler.js';
import { SOBOL_MAX_DIMS, SobolSequence } from './sobol.js';
import type { Distribution, FrozenTrial, ParamValue, Sampler, StudyView } from './types.js';

export interface QMCSamplerOptions {
  /** Seeds the scramble and the fallback sampler. */
  seed?: number;
  /** Randomize the Sobol sequence (default true); unscrambled, the first point is the domain's corner. */
  scramble?: boolean;
}

/**
 * Quasi-random search: points of a scrambled Sobol sequence, which cover the space more evenly than random
 * draws — a better initial design, and a better plain search for a small budget. As in Optuna, the joint
 * space is that of the first completed trial (the first trial itself, and parameters outside that space,
 * are drawn at random); categorical parameters take the stratum their coordinate falls in.
 */
export class QMCSampler implements Sampler {
  readonly seed: number | undefined;
  readonly scramble: boolean;
  private scrambleSeed: number;
  private readonly independent: RandomSampler;
  private space: Record<string, Distribution> | null = null;
  private sobol: SobolSequence | null = null;
  /** The next unused point for the trial being started, counted by `beforeTrial` over the whole study. */
  private next: { trial: number; id: number } | null = null;

  constructor(options: QMCSamplerOptions = {}) {
    checkOptions('QMCSampler', options, ['seed', 'scramble']);
    this.seed = seedOption('QMCSampler', options.seed);
    if (options.scramble !== undefined && typeof options.scramble !== 'boolean') {
      throw new NNError(ErrorCode.InvalidArgument, `QMCSampler: scramble must be a boolean, got ${String(options.scramble)}`);
    }
    this.scramble = options.scramble ?? true;
    this.independent = new RandomSampler({ seed: this.seed });
    this.scrambleSeed = this.seed ?? Math.floor(Math.random() * 2 ** 32);
  }

  inferRelativeSearchSpace(study: StudyView): Record<string, Distribution> {
    if (this.space) return this.space;
    const first = study.getTrials(['complete']).reduce<FrozenTrial | null>((a, t) => (a === null || t.number < a.number ? t : a), null);
    if (!first) return {};
    const names = Object.keys(first.distributions)
      .filter((n) => !isSingle(first.distributions[n]))
      .sort()
      .slice(0, SOBOL_MAX_DIMS);
    this.space = Object.fromEntries(names.map((n) => [n, first.distributions[n]]));
    return this.space;
  }

  sampleRelative(study: StudyView, trial: FrozenTrial, space: Record<string, Distribution>): Record<string, ParamValue> {
    const names = Object.keys(space);
    if (names.length === 0) return {};
    this.sobol ??= new SobolSequence({ dims: names.length, seed: this.scrambleSeed, scramble: this.scramble });
    let id = typeof trial.systemAttrs.qmcId === 'number' ? trial.systemAttrs.qmcId : -1;
    if (id < 0) {
      // `study` may be part of the study only (Hyperband's bracket): the count made by beforeTrial over the
      // whole study keeps two brackets from getting the same point.
      id = this.next?.trial === trial.number ? this.next.id : nextQmcId(study);
      study.setTrialSystemAttr?.(trial.number, 'qmcId', id);
    }
    this.next = null;
    const out: Record<string, ParamValue> = {};
    names.forEach((name, dim) => {
      const d = space[name];
      const u = this.sobol!.coordinate(id, dim);
      out[name] = d.type === 'categorical' ? d.choices[Math.min(d.choices.length - 1, Math.floor(u * d.choices.length))] : fromInternal(d, u);
    });
    return out;
  }

  beforeTrial(study: StudyView, trial: FrozenTrial): void {
    this.next = { trial: trial.number, id: nextQmcId(study) };
  }

  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue {
    return this.independent.sampleIndependent(study, trial, name, distribution);
  }

  stateDict(): JsonObject {
    return { scrambleSeed: this.scrambleSeed, independent: this.independent.stateDict() };
  }

  loadStateDict(state: JsonObject): void {
    if (typeof state?.scrambleSeed !== 'number' || typeof state.independent !== 'object' || state.independent === null) {
      throw new NNError(ErrorCode.StateMismatch, 'QMCSampler.loadStateDict: expected { scrambleSeed, independent }');
    }
    this.scrambleSeed = state.scrambleSeed;
    this.sobol = null;
    this.independent.loadStateDict(state.independent as JsonObject);
  }

  getConfig(): Record<string, unknown> {
    return { seed: this.seed, scramble: this.scramble };
  }

  static fromConfig(config: JsonObject): QMCSampler {
    return new QMCSampler(config as QMCSamplerOptions);
  }
}

/**
 * The next unused Sobol point: counted on the trials (not in the sampler), so a resumed study or another
 * process sharing the storage continues the sequence instead of restarting it.
 */
function nextQmcId(study: StudyView): number {
  let id = -1;
  for (const t of study.getTrials()) if (typeof t.systemAttrs.qmcId === 'number' && t.systemAttrs.qmcId > id) id = t.systemAttrs.qmcId;
  return id + 1;
}

registry.register('sampler', 'qmc', QMCSampler);
registry.register('sampler', 'sobol', QMCSampler);
