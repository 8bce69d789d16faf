import { registry, type JsonObject } from '@nn/core';
import type { Schedule } from './schedule.js';
import { checkOptions, checkStep, nonNegative } from './validate.js';

export interface InverseSqrtDecayOptions {
  /** The course's α: the lr of the first update. */
  lr: number;
}

/**
 * The course's step size `α/√t` for the update t = 1, 2, …: `lrAt(step) = lr / √(step + 1)`, since step 0
 * is the first update. It decays slowly enough that the steps sum to infinity while their squares grow
 * only logarithmically, the classic condition for SGD on convex problems.
 */
export class InverseSqrtDecay implements Schedule {
  readonly lr: number;

  constructor(options: InverseSqrtDecayOptions) {
    checkOptions('inverseSqrtDecay', options, ['lr'], { required: ['lr'] });
    this.lr = nonNegative('inverseSqrtDecay', 'lr', options.lr);
  }

  lrAt(step: number): number {
    checkStep('inverseSqrtDecay', step);
    return this.lr / Math.sqrt(step + 1);
  }

  getConfig(): Required<InverseSqrtDecayOptions> {
    return { lr: this.lr };
  }

  /** Rebuilds from `getConfig()` data, checked like options in code; `deserialize` calls it through the registry. */
  static fromConfig(config: JsonObject): InverseSqrtDecay {
    return new InverseSqrtDecay(config as unknown as InverseSqrtDecayOptions);
  }
}

/** The course's `α/√t` step size, t counted from 1 at the first update. */
export function inverseSqrtDecay(options: InverseSqrtDecayOptions): InverseSqrtDecay {
  return new InverseSqrtDecay(options);
}

registry.register('schedule', 'inverseSqrtDecay', InverseSqrtDecay);
