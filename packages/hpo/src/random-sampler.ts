import { ErrorCode, NNError, registry, type JsonObject } from '@nn/core';
import { fromInternal } from './distributions.js';
import { checkOptions, seedOption } from './options.js';
import { RNG } from './rng.js';
import type { Distribution, FrozenTrial, ParamValue, Sampler, StudyView } from './types.js';

export interface RandomSamplerOptions {
  seed?: number;
}

/**
 * Independent uniform draws (log-uniform on log ranges, every integer equally likely). The baseline every
 * other sampler must beat, and the fallback they use for parameters outside their joint search space.
 */
export class RandomSampler implements Sampler {
  readonly seed: number | undefined;
  private readonly rng: RNG;

  constructor(options: RandomSamplerOptions = {}) {
    checkOptions('RandomSampler', options, ['seed']);
    this.seed = seedOption('RandomSampler', options.seed);
    this.rng = new RNG(this.seed);
  }

  sampleIndependent(_study: StudyView, _trial: FrozenTrial, _name: string, distribution: Distribution): ParamValue {
    return sampleUniform(this.rng, distribution);
  }

  stateDict(): JsonObject {
    return { rng: this.rng.getState() };
  }

  loadStateDict(state: JsonObject): void {
    if (!Array.isArray(state?.rng)) throw new NNError(ErrorCode.StateMismatch, 'RandomSampler.loadStateDict: expected { rng: number[4] }');
    this.rng.setState(state.rng as number[]);
  }

  getConfig(): Record<string, unknown> {
    return { seed: this.seed };
  }

  static fromConfig(config: JsonObject): RandomSampler {
    return new RandomSampler(config as RandomSamplerOptions);
  }
}

/** One uniform draw from `d` with `rng` (shared by samplers that fall back to random). */
export function sampleUniform(rng: RNG, d: Distribution): ParamValue {
  if (d.type === 'categorical') return d.choices[rng.integer(0, d.choices.length - 1)];
  return fromInternal(d, rng.random());
}

registry.register('sampler', 'random', RandomSampler);
