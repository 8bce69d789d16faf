import { registry, type JsonObject } from '@nn/core';
import type { Schedule } from './schedule.js';
import { checkOptions, checkStep, invalid, nonNegative, positive, positiveInteger } from './validate.js';

export interface PolynomialDecayOptions {
  lr: number;
  /** Steps from `lr` to `endLr`; the lr holds at `endLr` afterwards. */
  totalSteps: number;
  /** Exponent of the decay (default 1: linear). */
  power?: number;
  /** The final lr (default 0, as PyTorch's PolynomialLR). */
  endLr?: number;
}

/** `(lr - endLr) * (1 - min(t, T)/T)^power + endLr`: PyTorch's PolynomialLR, Keras' PolynomialDecay without cycle. */
export class PolynomialDecay implements Schedule {
  readonly lr: number;
  readonly totalSteps: number;
  readonly power: number;
  readonly endLr: number;

  constructor(options: PolynomialDecayOptions) {
    const w = 'polynomialDecay';
    checkOptions(w, options, ['lr', 'totalSteps', 'power', 'endLr'], { required: ['lr', 'totalSteps'] });
    this.lr = nonNegative(w, 'lr', options.lr);
    this.totalSteps = positiveInteger(w, 'totalSteps', options.totalSteps);
    this.power = positive(w, 'power', options.power ?? 1);
    this.endLr = nonNegative(w, 'endLr', options.endLr ?? 0);
    if (this.endLr > this.lr) throw invalid(w, `endLr (${this.endLr}) must not exceed lr (${this.lr})`, { option: 'endLr' });
  }

  lrAt(step: number): number {
    checkStep('polynomialDecay', step);
    const left = 1 - Math.min(step, this.totalSteps) / this.totalSteps;
    return (this.lr - this.endLr) * left ** this.power + this.endLr;
  }

  getConfig(): Required<PolynomialDecayOptions> {
    return { lr: this.lr, totalSteps: this.totalSteps, power: this.power, endLr: this.endLr };
  }

  /** Rebuilds from `getConfig()` data, checked like options in code; `deserialize` calls it through the registry. */
  static fromConfig(config: JsonObject): PolynomialDecay {
    return new PolynomialDecay(config as unknown as PolynomialDecayOptions);
  }
}

/** Decays polynomially to `endLr` in `totalSteps` steps, then holds it. */
export function polynomialDecay(options: PolynomialDecayOptions): PolynomialDecay {
  return new PolynomialDecay(options);
}

registry.register('schedule', 'polynomialDecay', PolynomialDecay);
