import { registry, type JsonObject } from '@nn/core';
import type { Schedule } from './schedule.js';
import { bool, checkOptions, checkStep, inRange, invalid, nonNegative, oneOf, positive, positiveInteger } from './validate.js';

export type CyclicMode = 'triangular' | 'triangular2' | 'exp_range' | 'triangular_decay';
const MODES: readonly CyclicMode[] = ['triangular', 'triangular2', 'exp_range', 'triangular_decay'];

export interface CyclicOptions {
  /** The lower bound of the cycle (the lr at step 0). */
  baseLr: number;
  /** The upper bound (reached at step `stepSizeUp`, scaled down in triangular2/exp_range/triangular_decay). */
  maxLr: number;
  /** Steps from baseLr up to maxLr (default 2000, as PyTorch). */
  stepSizeUp?: number;
  /** Steps back down (default: stepSizeUp). */
  stepSizeDown?: number;
  /**
   * triangular: constant amplitude; triangular2: amplitude halved every cycle; exp_range: amplitude times
   * gamma^step; triangular_decay: both bounds times gamma every cycle (the course's cyclic schedule).
   */
  mode?: CyclicMode;
  /** exp_range's factor per step (default 1); triangular_decay's factor per cycle (default 0.5). */
  gamma?: number;
  /** Cycle momentum inversely to the lr, between maxMomentum and baseMomentum (default true). */
  cycleMomentum?: boolean;
  /** Momentum at the lr's peak (default 0.8). */
  baseMomentum?: number;
  /** Momentum at the lr's trough (default 0.9). */
  maxMomentum?: number;
}

/**
 * PyTorch's CyclicLR (Smith 2017), plus the course's cycle whose bounds both decrease (triangular_decay;
 * PyTorch's triangular2 keeps the lower bound). Momentum goes the other way, high when the lr is low.
 */
export class Cyclic implements Schedule {
  readonly baseLr: number;
  readonly maxLr: number;
  readonly stepSizeUp: number;
  readonly stepSizeDown: number;
  readonly mode: CyclicMode;
  readonly gamma: number;
  readonly cycleMomentum: boolean;
  readonly baseMomentum: number;
  readonly maxMomentum: number;

  constructor(options: CyclicOptions) {
    const w = 'cyclic';
    checkOptions(w, options, ['baseLr', 'maxLr', 'stepSizeUp', 'stepSizeDown', 'mode', 'gamma', 'cycleMomentum', 'baseMomentum', 'maxMomentum'], { required: ['baseLr', 'maxLr'] });
    this.baseLr = nonNegative(w, 'baseLr', options.baseLr);
    this.maxLr = nonNegative(w, 'maxLr', options.maxLr);
    if (this.maxLr < this.baseLr) throw invalid(w, `maxLr (${this.maxLr}) must be >= baseLr (${this.baseLr})`, { option: 'maxLr' });
    this.stepSizeUp = positiveInteger(w, 'stepSizeUp', options.stepSizeUp ?? 2000);
    this.stepSizeDown = positiveInteger(w, 'stepSizeDown', options.stepSizeDown ?? this.stepSizeUp);
    this.mode = oneOf(w, 'mode', options.mode ?? 'triangular', MODES);
    this.gamma = positive(w, 'gamma', options.gamma ?? (this.mode === 'triangular_decay' ? 0.5 : 1));
    this.cycleMomentum = bool(w, 'cycleMomentum', options.cycleMomentum ?? true);
    this.baseMomentum = inRange(w, 'baseMomentum', options.baseMomentum ?? 0.8, 0, 1);
    this.maxMomentum = inRange(w, 'maxMomentum', options.maxMomentum ?? 0.9, 0, 1);
    if (this.maxMomentum < this.baseMomentum) {
      throw invalid(w, `maxMomentum (${this.maxMomentum}) must be >= baseMomentum (${this.baseMomentum})`, { option: 'maxMomentum' });
    }
  }

  /**
   * Where `step` is: the fraction of the full amplitude (0 at baseLr, 1 at the peak), the amplitude's
   * scale, and the factor on both bounds (triangular_decay).
   */
  private position(step: number): { height: number; scale: number; bounds: number } {
    checkStep('cyclic', step);
    const total = this.stepSizeUp + this.stepSizeDown;
    const ratio = this.stepSizeUp / total;
    // Same arithmetic as PyTorch, so the golden values match to the last bits.
    const cycle = Math.floor(1 + step / total);
    const x = 1 + step / total - cycle;
    const height = x <= ratio ? x / ratio : (x - 1) / (ratio - 1);
    if (this.mode === 'triangular_decay') return { height, scale: 1, bounds: this.gamma ** (cycle - 1) };
    let scale: number;
    if (this.mode === 'triangular') scale = 1;
    else if (this.mode === 'triangular2') scale = 1 / 2 ** (cycle - 1);
    else scale = this.gamma ** step;
    return { height, scale, bounds: 1 };
  }

  lrAt(step: number): number {
    const { height, scale, bounds } = this.position(step);
    return bounds * (this.baseLr + (this.maxLr - this.baseLr) * height * scale);
  }

  momentumAt(step: number): number | undefined {
    if (!this.cycleMomentum) return undefined;
    const { height, scale } = this.position(step);
    return this.maxMomentum - (this.maxMomentum - this.baseMomentum) * height * scale;
  }

  getConfig(): Required<CyclicOptions> {
    return {
      baseLr: this.baseLr, maxLr: this.maxLr, stepSizeUp: this.stepSizeUp, stepSizeDown: this.stepSizeDown, mode: this.mode,
      gamma: this.gamma, cycleMomentum: this.cycleMomentum, baseMomentum: this.baseMomentum, maxMomentum: this.maxMomentum,
    };
  }

  /** Rebuilds from `getConfig()` data, checked like options in code; `deserialize` calls it through the registry. */
  static fromConfig(config: JsonObject): Cyclic {
    return new Cyclic(config as unknown as CyclicOptions);
  }
}

/** A cyclical lr between baseLr and maxLr (triangular, triangular2, exp_range, triangular_decay), with momentum cycling. */
export function cyclic(options: CyclicOptions): Cyclic {
  return new Cyclic(options);
}

registry.register('schedule', 'cyclic', Cyclic);
