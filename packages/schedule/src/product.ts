import { registry, type JsonObject } from '@nn/core';
import type { Schedule } from './schedule.js';
import { checkOptions, checkStep, invalid, schedule } from './validate.js';

export type ProductConfig = {
  schedules: Schedule[];
};

/**
 * The step-wise product of schedules. Give all but one a base lr of 1 and they act as factors:
 * `product([cosineDecay({ lr: 0.1, tMax }), stepDecay({ lr: 1, stepSize, gamma })])`.
 */
export class Product implements Schedule {
  readonly schedules: readonly Schedule[];

  constructor(config: ProductConfig) {
    const w = 'product';
    checkOptions(w, config, ['schedules'], { required: ['schedules'] });
    if (!Array.isArray(config.schedules) || config.schedules.length === 0) {
      throw invalid(w, 'schedules must be a non-empty array of schedules', { option: 'schedules' });
    }
    this.schedules = config.schedules.map((s, i) => schedule(w, `schedules[${i}]`, s));
  }

  lrAt(step: number): number {
    checkStep('product', step);
    return this.schedules.reduce((lr, s) => lr * s.lrAt(step), 1);
  }

  /** Momentum is not multiplied: the first schedule that cycles momentum sets it. */
  momentumAt(step: number): number | undefined {
    checkStep('product', step);
    for (const s of this.schedules) {
      const m = s.momentumAt?.(step);
      if (m !== undefined) return m;
    }
    return undefined;
  }

  getConfig(): ProductConfig {
    return { schedules: [...this.schedules] };
  }

  /** Rebuilds from `getConfig()` data, checked like options in code; `deserialize` calls it through the registry. */
  static fromConfig(config: JsonObject): Product {
    return new Product(config as unknown as ProductConfig);
  }
}

/** Multiplies schedules step by step (a decay times a cycle, a schedule times a constant factor). */
export function product(schedules: Schedule[]): Product {
  return new Product({ schedules });
}

registry.register('schedule', 'product', Product);
