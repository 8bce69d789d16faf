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

/** `lr * gamma^p` with `p = t / decaySteps` (PyTorch's ExponentialLR when decaySteps = 1). */
export class ExponentialDecay implements Schedule {
  readonly lr: number;
  readonly gamma: number;
  readonly decaySteps: number;
  readonly staircase: boolean;

  constructor(options: ExponentialDecayOptions) {
    const w = 'exponentialDecay';
    checkOptions(w, options, ['lr', 'gamma', 'decaySteps', 'staircase'], ['lr', 'gamma']);
    this.lr = nonNegative(w, 'lr', options.lr);
    this.gamma = positive(w, 'gamma', options.gamma);
    this.decaySteps = positiveInteger(w, 'decaySteps', options.decaySteps ?? 1);
    this.staircase = bool(w, 'staircase', options.staircase ?? false);
  }

  lrAt(step: number): number {
    checkStep('exponentialDecay', step);
    return this.lr * this.gamma ** decayTime(step, this.decaySteps, this.staircase);
  }

  getConfig(): Required<ExponentialDecayOptions> {
    return { lr: this.lr, gamma: this.gamma, decaySteps: this.decaySteps, staircase: this.staircase };
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

export interface InverseTimeDecayOptions extends DecayTime {
  lr: number;
  beta: number;
}

/** `lr / (1 + beta * p)` with `p = t / decaySteps`. */
export class InverseTimeDecay implements Schedule {
  readonly lr: number;
  readonly beta: number;
  readonly decaySteps: number;
  readonly staircase: boolean;

  constructor(options: InverseTimeDecayOptions) {
    const w = 'inverseTimeDecay';
    checkOptions(w, options, ['lr', 'beta', 'decaySteps', 'staircase'], ['lr', 'beta']);
    this.lr = nonNegative(w, 'lr', options.lr);
    this.beta = nonNegative(w, 'beta', options.beta);
    this.decaySteps = positiveInteger(w, 'decaySteps', options.decaySteps ?? 1);
    this.staircase = bool(w, 'staircase', options.staircase ?? false);
  }

  lrAt(step: number): number {
    checkStep('inverseTimeDecay', step);
    return this.lr / (1 + this.beta * decayTime(step, this.decaySteps, this.staircase));
  }

  getConfig(): Required<InverseTimeDecayOptions> {
    return { lr: this.lr, beta: this.beta, decaySteps: this.decaySteps, staircase: this.staircase };
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

export interface NaturalExpDecayOptions extends DecayTime {
  lr: number;
  beta: number;
}

/** `lr * exp(-beta * p)` with `p = t / decaySteps`. */
export class NaturalExpDecay implements Schedule {
  readonly lr: number;
  readonly beta: number;
  readonly decaySteps: number;
  readonly staircase: boolean;

  constructor(options: NaturalExpDecayOptions) {
    const w = 'naturalExpDecay';
    checkOptions(w, options, ['lr', 'beta', 'decaySteps', 'staircase'], ['lr', 'beta']);
    this.lr = nonNegative(w, 'lr', options.lr);
    this.beta = nonNegative(w, 'beta', options.beta);
    this.decaySteps = positiveInteger(w, 'decaySteps', options.decaySteps ?? 1);
    this.staircase = bool(w, 'staircase', options.staircase ?? false);
  }

  lrAt(step: number): number {
    checkStep('naturalExpDecay', step);
    return this.lr * Math.exp(-this.beta * decayTime(step, this.decaySteps, this.staircase));
  }

  getConfig(): Required<NaturalExpDecayOptions> {
    return { lr: this.lr, beta: this.beta, decaySteps: this.decaySteps, staircase: this.staircase };
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
