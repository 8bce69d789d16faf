import { registry, type JsonObject } from '@nn/core';
import type { Schedule } from './schedule.js';
import { checkOptions, checkStep, invalid, nonNegative, positiveInteger } from './validate.js';

export interface CosineDecayOptions {
  /** The lr at step 0 (and at every multiple of 2*tMax). */
  lr: number;
  /** Steps from `lr` down to `etaMin`. */
  tMax: number;
  /** The lowest lr, reached at step tMax (default 0). */
  etaMin?: number;
}

/** Half a cosine period from `lr` to `etaMin` over `tMax` steps: the shape shared by cosine decay and SGDR. */
export function cosineAnneal(lr: number, etaMin: number, t: number, period: number): number {
  return etaMin + ((lr - etaMin) * (1 + Math.cos((Math.PI * t) / period))) / 2;
}

/**
 * `etaMin + (lr - etaMin) * (1 + cos(pi * t / tMax)) / 2`, as PyTorch's CosineAnnealingLR. Past `tMax` the
 * curve keeps following the cosine back up (PyTorch's behaviour, which the golden values pin); to hold
 * `etaMin` instead, follow it with a constant through `sequentialLR`.
 */
export class CosineDecay implements Schedule {
  readonly lr: number;
  readonly tMax: number;
  readonly etaMin: number;

  constructor(options: CosineDecayOptions) {
    const w = 'cosineDecay';
    checkOptions(w, options, ['lr', 'tMax', 'etaMin'], { required: ['lr', 'tMax'] });
    this.lr = nonNegative(w, 'lr', options.lr);
    this.tMax = positiveInteger(w, 'tMax', options.tMax);
    this.etaMin = nonNegative(w, 'etaMin', options.etaMin ?? 0);
    if (this.etaMin > this.lr) throw invalid(w, `etaMin (${this.etaMin}) must not exceed lr (${this.lr})`, { option: 'etaMin' });
  }

  lrAt(step: number): number {
    checkStep('cosineDecay', step);
    return cosineAnneal(this.lr, this.etaMin, step, this.tMax);
  }

  getConfig(): Required<CosineDecayOptions> {
    return { lr: this.lr, tMax: this.tMax, etaMin: this.etaMin };
  }

  /** Rebuilds from `getConfig()` data, checked like options in code; `deserialize` calls it through the registry. */
  static fromConfig(config: JsonObject): CosineDecay {
    return new CosineDecay(config as unknown as CosineDecayOptions);
  }
}

/**
 * Cosine decay with the usual factor 1/2. The course's slide writes `lr * (1 + cos(t*pi/T))`, without
 * the 1/2, which would start at twice the lr; PyTorch and Keras include it, and so does this.
 */
export function cosineDecay(options: CosineDecayOptions): CosineDecay {
  return new CosineDecay(options);
}

registry.register('schedule', 'cosineDecay', CosineDecay);
