import { registry, type JsonObject } from '@nn/core';
import type { Schedule } from './schedule.js';
import { checkOptions, checkStep, increasingSteps, invalid, nonNegative, positive, positiveInteger } from './validate.js';

export interface StepDecayOptions {
  lr: number;
  /** Steps between two decays. */
  stepSize: number;
  /** Factor applied every `stepSize` steps (default 0.1, as PyTorch's StepLR). */
  gamma?: number;
}

/** PyTorch's StepLR: `lr * gamma^floor(t / stepSize)`. */
export class StepDecay implements Schedule {
  readonly lr: number;
  readonly stepSize: number;
  readonly gamma: number;

  constructor(options: StepDecayOptions) {
    const w = 'stepDecay';
    checkOptions(w, options, ['lr', 'stepSize', 'gamma'], { required: ['lr', 'stepSize'] });
    this.lr = nonNegative(w, 'lr', options.lr);
    this.stepSize = positiveInteger(w, 'stepSize', options.stepSize);
    this.gamma = positive(w, 'gamma', options.gamma ?? 0.1);
  }

  lrAt(step: number): number {
    checkStep('stepDecay', step);
    return this.lr * this.gamma ** Math.floor(step / this.stepSize);
  }

  getConfig(): Required<StepDecayOptions> {
    return { lr: this.lr, stepSize: this.stepSize, gamma: this.gamma };
  }

  /** Rebuilds from `getConfig()` data, checked like options in code; `deserialize` calls it through the registry. */
  static fromConfig(config: JsonObject): StepDecay {
    return new StepDecay(config as unknown as StepDecayOptions);
  }
}

/** Decays the lr by `gamma` every `stepSize` steps (PyTorch's StepLR). */
export function stepDecay(options: StepDecayOptions): StepDecay {
  return new StepDecay(options);
}

export interface MultiStepOptions {
  lr: number;
  /** Strictly increasing steps at which the lr is multiplied by `gamma`. */
  milestones: number[];
  /** Default 0.1, as PyTorch's MultiStepLR. */
  gamma?: number;
}

/** Counts the entries of a sorted array that are <= `step`: the index of the piece `step` is in. */
function piecesPassed(sorted: readonly number[], step: number): number {
  let n = 0;
  while (n < sorted.length && sorted[n] <= step) n++;
  return n;
}

/** PyTorch's MultiStepLR: `lr * gamma^(number of milestones <= t)`. */
export class MultiStep implements Schedule {
  readonly lr: number;
  readonly milestones: readonly number[];
  readonly gamma: number;

  constructor(options: MultiStepOptions) {
    const w = 'multiStep';
    checkOptions(w, options, ['lr', 'milestones', 'gamma'], { required: ['lr', 'milestones'] });
    this.lr = nonNegative(w, 'lr', options.lr);
    this.milestones = increasingSteps(w, 'milestones', options.milestones);
    this.gamma = positive(w, 'gamma', options.gamma ?? 0.1);
  }

  lrAt(step: number): number {
    checkStep('multiStep', step);
    return this.lr * this.gamma ** piecesPassed(this.milestones, step);
  }

  getConfig(): Required<MultiStepOptions> {
    return { lr: this.lr, milestones: [...this.milestones], gamma: this.gamma };
  }

  /** Rebuilds from `getConfig()` data, checked like options in code; `deserialize` calls it through the registry. */
  static fromConfig(config: JsonObject): MultiStep {
    return new MultiStep(config as unknown as MultiStepOptions);
  }
}

/** Multiplies the lr by `gamma` at each milestone (PyTorch's MultiStepLR). */
export function multiStep(options: MultiStepOptions): MultiStep {
  return new MultiStep(options);
}

export interface PiecewiseConstantOptions {
  /** Strictly increasing steps at which the next value takes over. */
  boundaries: number[];
  /** The lrs: `values[0]` before `boundaries[0]`, `values[i]` from `boundaries[i-1]` on; one more than boundaries. */
  values: number[];
}

/**
 * The course's piecewise-constant decay: from step `boundaries[i-1]` on, the lr is `values[i]`. Unlike
 * Keras (whose `step <= boundary` keeps the old value one step longer), a boundary is the first step of
 * the new piece, as PyTorch's milestones are.
 */
export class PiecewiseConstant implements Schedule {
  readonly boundaries: readonly number[];
  readonly values: readonly number[];

  constructor(options: PiecewiseConstantOptions) {
    const w = 'piecewiseConstant';
    checkOptions(w, options, ['boundaries', 'values'], { required: ['boundaries', 'values'] });
    this.boundaries = increasingSteps(w, 'boundaries', options.boundaries);
    if (!Array.isArray(options.values) || options.values.length !== this.boundaries.length + 1) {
      throw invalid(w, `values must be an array of ${this.boundaries.length + 1} lrs (one more than boundaries), got ${Array.isArray(options.values) ? `${options.values.length}` : String(options.values)}`, { option: 'values' });
    }
    this.values = options.values.map((v, i) => nonNegative(w, `values[${i}]`, v));
  }

  lrAt(step: number): number {
    checkStep('piecewiseConstant', step);
    return this.values[piecesPassed(this.boundaries, step)];
  }

  getConfig(): Required<PiecewiseConstantOptions> {
    return { boundaries: [...this.boundaries], values: [...this.values] };
  }

  /** Rebuilds from `getConfig()` data, checked like options in code; `deserialize` calls it through the registry. */
  static fromConfig(config: JsonObject): PiecewiseConstant {
    return new PiecewiseConstant(config as unknown as PiecewiseConstantOptions);
  }
}

/** A constant lr per piece: `values[i]` between `boundaries[i-1]` and `boundaries[i]`. */
export function piecewiseConstant(options: PiecewiseConstantOptions): PiecewiseConstant {
  return new PiecewiseConstant(options);
}

registry.register('schedule', 'stepDecay', StepDecay);
registry.register('schedule', 'multiStep', MultiStep);
registry.register('schedule', 'piecewiseConstant', PiecewiseConstant);
