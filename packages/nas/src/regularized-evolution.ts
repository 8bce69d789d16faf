import { ErrorCode, NNError, type JsonObject } from '@nn/core';
import { RNG } from '@nn/hpo';
import type { Architecture, SearchSpace } from './space.js';
import { checkReward, checkStrategyOptions, stateEntry, type Candidate, type Strategy, type StrategyOptions } from './strategy.js';

export interface RegularizedEvolutionOptions extends StrategyOptions {
  /** How many architectures the population holds (P in the paper). Default 20. */
  populationSize?: number;
  /** How many members a tournament samples (S in the paper). Default 5 (at most populationSize). */
  sampleSize?: number;
}

/** A population member: an architecture and its reward. */
export interface Member {
  architecture: Architecture;
  reward: number;
}

/**
 * Regularized (ageing) evolution, Real et al. 2019: a random initial population of P; then each child is
 * the best of S members sampled at random, with one decision mutated; each told child joins the
 * population and the OLDEST member leaves it (not the worst), which favours architectures that stay good
 * when retrained over lucky ones.
 */
export class RegularizedEvolution implements Strategy {
  readonly space: SearchSpace;
  readonly populationSize: number;
  readonly sampleSize: number;
  private rng: RNG;
  /** Oldest first. */
  private members: Member[] = [];
  private asked = 0;

  constructor(options: RegularizedEvolutionOptions) {
    checkStrategyOptions('RegularizedEvolution', options, ['populationSize', 'sampleSize']);
    const { populationSize = 20 } = options;
    const sampleSize = options.sampleSize ?? Math.min(5, populationSize);
    if (!Number.isInteger(populationSize) || populationSize < 2) throw new NNError(ErrorCode.InvalidArgument, `RegularizedEvolution: populationSize must be an integer >= 2, got ${String(populationSize)}`);
    if (!Number.isInteger(sampleSize) || sampleSize < 1 || sampleSize > populationSize) throw new NNError(ErrorCode.InvalidArgument, `RegularizedEvolution: sampleSize must be an integer in [1, populationSize=${populationSize}], got ${String(sampleSize)}`);
    this.space = options.space;
    this.populationSize = populationSize;
    this.sampleSize = sampleSize;
    this.rng = new RNG(options.seed ?? 0);
  }

  /** The population, oldest first. */
  get population(): readonly Member[] {
    return this.members;
  }

  ask(): Candidate {
    // The first P candidates (asked, not told: parallel workers must not all wait for them) are random.
    if (this.asked++ < this.populationSize || this.members.length === 0) return { architecture: this.space.sample(this.rng) };
    const pool = this.rng.shuffle(this.members.map((_, i) => i)).slice(0, Math.min(this.sampleSize, this.members.length));
    const parent = pool.map((i) => this.members[i]).reduce((a, b) => (b.reward > a.reward ? b : a));
    return { architecture: this.mutate(parent.architecture) };
  }

  tell(candidate: Candidate, reward: number): void {
    checkReward('RegularizedEvolution', reward);
    this.space.indices(candidate.architecture);
    this.members.push({ architecture: candidate.architecture, reward });
    if (this.members.length > this.populationSize) this.members.shift();
  }

  /**
   * One decision changed to another of its values, chosen uniformly among the decisions that have a choice;
   * decisions that come to exist through the change (more layers) are drawn at random.
   */
  mutate(architecture: Architecture): Architecture {
    const decided = this.space.indices(architecture);
    const open = decided.filter((d) => d.slot.values.length > 1);
    if (open.length === 0) return architecture;
    const target = open[this.rng.integer(0, open.length - 1)];
    const shift = this.rng.integer(1, target.slot.values.length - 1);
    const before = new Map(decided.map((d) => [d.slot.path, d.slot.values[d.index]]));
    return this.space.walk((slot) => {
      if (slot.path === target.slot.path) return (target.index + shift) % slot.values.length;
      const i = before.has(slot.path) ? slot.values.indexOf(before.get(slot.path)!) : -1;
      return i >= 0 ? i : this.rng.integer(0, slot.values.length - 1);
    });
  }

  stateDict(): JsonObject {
    return { rng: this.rng.getState(), asked: this.asked, population: this.members.map((m) => ({ architecture: m.architecture, reward: m.reward })) };
  }

  loadStateDict(state: JsonObject): void {
    const where = 'RegularizedEvolution';
    const population = stateEntry<JsonObject[]>(where, state, 'population', Array.isArray);
    const members = population.map((m) => {
      checkReward(where, m.reward as number);
      this.space.indices(m.architecture as Architecture);
      return { architecture: m.architecture as Architecture, reward: m.reward as number };
    });
    if (members.length > this.populationSize) throw new NNError(ErrorCode.StateMismatch, `${where}.loadStateDict: the population holds ${members.length} members; populationSize is ${this.populationSize}`);
    this.asked = stateEntry<number>(where, state, 'asked', (v) => Number.isInteger(v) && (v as number) >= 0);
    this.rng.setState(stateEntry<number[]>(where, state, 'rng', Array.isArray));
    this.members = members;
  }
}
