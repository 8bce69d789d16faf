import type { JsonObject } from '@nn/core';
import { RNG } from '@nn/hpo';
import type { SearchSpace } from './space.js';
import { checkReward, checkStrategyOptions, stateEntry, type Candidate, type Strategy, type StrategyOptions } from './strategy.js';

/** Random search over architectures: each decision uniformly at random. The baseline every strategy must beat. */
export class RandomArchitectures implements Strategy {
  readonly space: SearchSpace;
  private rng: RNG;

  constructor(options: StrategyOptions) {
    checkStrategyOptions('RandomArchitectures', options, []);
    this.space = options.space;
    this.rng = new RNG(options.seed ?? 0);
  }

  ask(): Candidate {
    return { architecture: this.space.sample(this.rng) };
  }

  tell(_candidate: Candidate, reward: number): void {
    checkReward('RandomArchitectures', reward);
  }

  stateDict(): JsonObject {
    return { rng: this.rng.getState() };
  }

  loadStateDict(state: JsonObject): void {
    this.rng.setState(stateEntry<number[]>('RandomArchitectures', state, 'rng', Array.isArray));
  }
}
