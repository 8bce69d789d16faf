import { registry, type JsonObject } from '@nn/core';
import type { Schedule } from './schedule.js';
import { checkOptions, checkStep, nonNegative, positiveInteger, schedule } from './validate.js';

export interface LinearWarmupOptions {
  /** The base lr that the factors multiply. */
  lr: number;
  /** Factor at step 0 (default 1/3, as PyTorch's LinearLR; `1/T'` with `totalSteps: T' − 1` is the course's `t/T' · lr`). */
  startFactor?: number;
  /** Factor from step `totalSteps` on (default 1). */
  endFactor?: number;
  /** Steps of the ramp (default 5, as PyTorch). */
  totalSteps?: number;
}

/** PyTorch's LinearLR: `lr * (startFactor + (endFactor - startFactor) * min(t, T) / T)`. */
export class LinearWarmup implements Schedule {
  readonly lr: number;
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalSteps: number;

  constructor(options: LinearWarmupOptions) {
    const w = 'linearWarmup';
    checkOptions(w, options, ['lr', 'startFactor', 'endFactor', 'totalSteps'], { required: ['lr'] });
    this.lr = nonNegative(w, 'lr', options.lr);
    this.startFactor = nonNegative(w, 'startFactor', options.startFactor ?? 1 / 3);
    this.endFactor = nonNegative(w, 'endFactor', options.endFactor ?? 1);
    this.totalSteps = positiveInteger(w, 'totalSteps', options.totalSteps ?? 5);
  }

  lrAt(step: number): number {
    checkStep('linearWarmup', step);
    const done = Math.min(step, this.totalSteps) / this.totalSteps;
    return this.lr * (this.startFactor + (this.endFactor - this.startFactor) * done);
  }

  getConfig(): Required<LinearWarmupOptions> {
    return { lr: this.lr, startFactor: this.startFactor, endFactor: this.endFactor, totalSteps: this.totalSteps };
  }

  /** Rebuilds from `getConfig()` data, checked like options in code; `deserialize` calls it through the registry. */
  static fromConfig(config: JsonObject): LinearWarmup {
    return new LinearWarmup(config as unknown as LinearWarmupOptions);
  }
}

/** A linear ramp of the lr over `totalSteps` steps, then constant (PyTorch's LinearLR). */
export function linearWarmup(options: LinearWarmupOptions): LinearWarmup {
  return new LinearWarmup(options);
}

export interface WarmupOptions {
  /** Steps of linear warm-up (steps 0 … steps − 1) before `schedule` starts (at its own step 0). */
  steps: number;
  /**
   * Fraction of the schedule's first lr at step 0 (default 1/steps: the course's `t/T' · lr` counted from
   * the first update, t = 1 … T').
   */
  startFactor?: number;
}

export type WarmupConfig = WarmupOptions & {
  schedule: Schedule;
};

/**
 * Any schedule behind a linear warm-up of `steps` updates: the lr climbs linearly from
 * `startFactor · s.lrAt(0)` at step 0 to `s.lrAt(0)` at step `steps − 1`, then `s.lrAt(t − steps)`. With the
 * default startFactor 1/steps that is the course's `t/T' · lr` from the first update (t = step + 1), so no
 * update is spent at lr 0. It is `sequentialLR([linearWarmup({ startFactor, totalSteps: steps − 1 }), s], [steps])`
 * without restating the schedule's lr.
 */
export class Warmup implements Schedule {
  readonly schedule: Schedule;
  readonly steps: number;
  readonly startFactor: number;

  constructor(config: WarmupConfig) {
    const w = 'withWarmup';
    checkOptions(w, config, ['schedule', 'steps', 'startFactor'], { required: ['schedule', 'steps'] });
    this.schedule = schedule(w, 'schedule', config.schedule);
    this.steps = positiveInteger(w, 'steps', config.steps);
    this.startFactor = nonNegative(w, 'startFactor', config.startFactor ?? 1 / this.steps);
  }

  lrAt(step: number): number {
    checkStep('withWarmup', step);
    if (step >= this.steps) return this.schedule.lrAt(step - this.steps);
    // A one-step warm-up is that step at startFactor; otherwise the line through (0, f) and (steps − 1, 1).
    const done = this.steps === 1 ? 0 : Math.min(step / (this.steps - 1), 1);
    return this.schedule.lrAt(0) * (this.startFactor + (1 - this.startFactor) * done);
  }

  /** The inner schedule's momentum after the warm-up; during it, the momentum of its step 0. */
  momentumAt(step: number): number | undefined {
    checkStep('withWarmup', step);
    return this.schedule.momentumAt?.(Math.max(0, step - this.steps));
  }

  getConfig(): Required<WarmupConfig> {
    return { schedule: this.schedule, steps: this.steps, startFactor: this.startFactor };
  }

  /** Rebuilds from `getConfig()` data, checked like options in code; `deserialize` calls it through the registry. */
  static fromConfig(config: JsonObject): Warmup {
    return new Warmup(config as unknown as WarmupConfig);
  }
}

/** Puts a linear warm-up of `steps` steps in front of any schedule. */
export function withWarmup(schedule: Schedule, options: WarmupOptions): Warmup {
  return new Warmup({ schedule, ...checkOptions('withWarmup', options, ['steps', 'startFactor'], { required: ['steps'] }) });
}

registry.register('schedule', 'linearWarmup', LinearWarmup);
registry.register('schedule', 'withWarmup', Warmup);
