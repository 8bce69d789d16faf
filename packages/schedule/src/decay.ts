import { registry, type JsonObject } from '@nn/core';
import type { Schedule } from './schedule.js';
import { bool, checkOptions, checkStep, nonNegative, positive, positiveInteger } from './validate.js';

/** Keras' form of the smooth decays: time runs in units of `decaySteps`, optionally floored. */
interface DecayTime {
  /** Steps per unit of decay time (default 1: the course's per-step formulas). */
  decaySteps?: number;
  /** Floor `t / decaySteps`, so the lr changes only every `decaySteps` steps (Keras' staircase). */
  staircase?: boolean;
}

function decayTime(step: number, decaySteps: number, staircase: boolean): number {
  const p = step / decaySteps;
  return staircase ? Math.floor(p) : p;
}

export interface ExponentialDecayOptions extends DecayTime {
  lr: number;
  /** Factor per unit of decay time. */
  gamma: number;
}

export interface InverseTimeDecayOptions extends DecayTime {
  lr: number;
  beta: number;
}

export interface NaturalExpDecayOptions extends DecayTime {
  lr: number;
  beta: number;
}

/**
 * The three smooth decays differ only in their curve and the name of their rate option, so options,
 * validation and config live here once; a subclass names itself and gives `curve(rate, p)`.
 */
abstract class SmoothDecay<R extends 'gamma' | 'beta'> implements Schedule {
  readonly lr: number;
  readonly decaySteps: number;
  readonly staircase: boolean;
  protected readonly rate: number;

  protected constructor(private readonly scheduleName: string, private readonly rateKey: R, options: DecayTime & { lr: number } & Record<R, number>) {
    checkOptions(scheduleName, options, ['lr', rateKey, 'decaySteps', 'staircase'], { required: ['lr', rateKey] });
    this.lr = nonNegative(scheduleName, 'lr', options.lr);
    this.rate = (rateKey === 'gamma' ? positive : nonNegative)(scheduleName, rateKey, options[rateKey]);
    this.decaySteps = positiveInteger(scheduleName, 'decaySteps', options.decaySteps ?? 1);
    this.staircase = bool(scheduleName, 'staircase', options.staircase ?? false);
  }

  protected abstract curve(rate: number, p: number): number;

  lrAt(step: number): number {
    checkStep(this.scheduleName, step);
    return this.lr * this.curve(this.rate, decayTime(step, this.decaySteps, this.staircase));
  }

  getConfig(): { lr: number; decaySteps: number; staircase: boolean } & Record<R, number> {
    return { lr: this.lr, [this.rateKey]: this.rate, decaySteps: this.decaySteps, staircase: this.staircase } as { lr: number; decaySteps: number; staircase: boolean } & Record<R, number>;
  }
}

/** `lr * gamma^p` with `p = t / decaySteps` (PyTorch's ExponentialLR when decaySteps = 1). */
export class ExponentialDecay extends SmoothDecay<'gamma'> {
  constructor(options: ExponentialDecayOptions) {
    super('exponentialDecay', 'gamma', options);
  }

  get gamma(): number {
    return this.rate;
  }

  protected curve(gamma: number, p: number): number {
    return gamma ** p;
  }

  /** Rebuilds from `getConfig()` data, checked like options in code; `deserialize` calls it through the registry. */
  static fromConfig(config: JsonObject): ExponentialDecay {
    return new ExponentialDecay(config as unknown as ExponentialDecayOptions);
  }
}

/** The course's exponential decay `lr * gamma^t`; with `decaySteps`/`staircase`, Keras' ExponentialDecay. */
export function exponentialDecay(options: ExponentialDecayOptions): ExponentialDecay {
  return new ExponentialDecay(options);
}

/** `lr / (1 + beta * p)` with `p = t / decaySteps`. */
export class InverseTimeDecay extends SmoothDecay<'beta'> {
  constructor(options: InverseTimeDecayOptions) {
    super('inverseTimeDecay', 'beta', options);
  }

  get beta(): number {
    return this.rate;
  }

  protected curve(beta: number, p: number): number {
    return 1 / (1 + beta * p);
  }

  /** Rebuilds from `getConfig()` data, checked like options in code; `deserialize` calls it through the registry. */
  static fromConfig(config: JsonObject): InverseTimeDecay {
    return new InverseTimeDecay(config as unknown as InverseTimeDecayOptions);
  }
}

/** The course's inverse-time decay `lr / (1 + beta * t)` (Keras' InverseTimeDecay with decaySteps). */
export function inverseTimeDecay(options: InverseTimeDecayOptions): InverseTimeDecay {
  return new InverseTimeDecay(options);
}

/** `lr * exp(-beta * p)` with `p = t / decaySteps`. */
export class NaturalExpDecay extends SmoothDecay<'beta'> {
  constructor(options: NaturalExpDecayOptions) {
    super('naturalExpDecay', 'beta', options);
  }

  get beta(): number {
    return this.rate;
  }

  protected curve(beta: number, p: number): number {
    return Math.exp(-beta * p);
  }

  /** Rebuilds from `getConfig()` data, checked like options in code; `deserialize` calls it through the registry. */
  static fromConfig(config: JsonObject): NaturalExpDecay {
    return new NaturalExpDecay(config as unknown as NaturalExpDecayOptions);
  }
}

/** The course's natural exponential decay `lr * exp(-beta * t)`; the same curve as exponentialDecay with gamma = e^-beta. */
export function naturalExpDecay(options: NaturalExpDecayOptions): NaturalExpDecay {
  return new NaturalExpDecay(options);
}

registry.register('schedule', 'exponentialDecay', ExponentialDecay);
registry.register('schedule', 'inverseTimeDecay', InverseTimeDecay);
registry.register('schedule', 'naturalExpDecay', NaturalExpDecay);
