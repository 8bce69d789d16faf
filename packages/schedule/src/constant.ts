import { registry, type JsonObject } from '@nn/core';
import type { Schedule } from './schedule.js';
import { checkOptions, checkStep, nonNegative } from './validate.js';

export interface ConstantOptions {
  lr: number;
}

/** A fixed learning rate, so that code taking a schedule also takes a plain lr. */
export class ConstantSchedule implements Schedule {
  readonly lr: number;

  constructor(options: ConstantOptions) {
    checkOptions('constant', options, ['lr'], { required: ['lr'] });
    this.lr = nonNegative('constant', 'lr', options.lr);
  }

  lrAt(step: number): number {
    checkStep('constant', step);
    return this.lr;
  }

  getConfig(): Required<ConstantOptions> {
    return { lr: this.lr };
  }

  /** Rebuilds from `getConfig()` data, checked like options in code; `deserialize` calls it through the registry. */
  static fromConfig(config: JsonObject): ConstantSchedule {
    return new ConstantSchedule(config as unknown as ConstantOptions);
  }
}

/** `lr` at every step. */
export function constant(options: ConstantOptions): ConstantSchedule {
  return new ConstantSchedule(options);
}

registry.register('schedule', 'constant', ConstantSchedule);
