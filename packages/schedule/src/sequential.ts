import { registry, type JsonObject } from '@nn/core';
import type { Schedule } from './schedule.js';
import { checkOptions, checkStep, increasingSteps, invalid, schedule } from './validate.js';

export type SequentialConfig = {
  schedules: Schedule[];
  milestones: number[];
};

/**
 * Runs `schedules[i]` from step `milestones[i-1]` on, each restarted at its own step 0, as PyTorch's
 * SequentialLR — so "warm-up, then cosine over the rest" is two schedules and one milestone.
 */
export class SequentialLR implements Schedule {
  readonly schedules: readonly Schedule[];
  readonly milestones: readonly number[];

  constructor(config: SequentialConfig) {
    const w = 'sequentialLR';
    checkOptions(w, config, ['schedules', 'milestones'], { required: ['schedules', 'milestones'] });
    if (!Array.isArray(config.schedules) || config.schedules.length === 0) {
      throw invalid(w, 'schedules must be a non-empty array of schedules', { option: 'schedules' });
    }
    this.schedules = config.schedules.map((s, i) => schedule(w, `schedules[${i}]`, s));
    this.milestones = increasingSteps(w, 'milestones', config.milestones);
    if (this.milestones.length !== this.schedules.length - 1) {
      throw invalid(w, `expected ${this.schedules.length - 1} milestones for ${this.schedules.length} schedules (one between each two), got ${this.milestones.length}`, { option: 'milestones' });
    }
  }

  /** The schedule in force at `step` and the step within it. */
  private active(step: number): { schedule: Schedule; local: number } {
    checkStep('sequentialLR', step);
    let i = 0;
    while (i < this.milestones.length && this.milestones[i] <= step) i++;
    return { schedule: this.schedules[i], local: step - (i === 0 ? 0 : this.milestones[i - 1]) };
  }

  lrAt(step: number): number {
    const { schedule, local } = this.active(step);
    return schedule.lrAt(local);
  }

  /** The momentum of the schedule in force, if it cycles momentum. */
  momentumAt(step: number): number | undefined {
    const { schedule, local } = this.active(step);
    return schedule.momentumAt?.(local);
  }

  getConfig(): SequentialConfig {
    return { schedules: [...this.schedules], milestones: [...this.milestones] };
  }

  /** Rebuilds from `getConfig()` data, checked like options in code; `deserialize` calls it through the registry. */
  static fromConfig(config: JsonObject): SequentialLR {
    return new SequentialLR(config as unknown as SequentialConfig);
  }
}

/** One schedule after another: `schedules[i]` takes over at `milestones[i-1]`, from its own step 0. */
export function sequentialLR(schedules: Schedule[], milestones: number[]): SequentialLR {
  return new SequentialLR({ schedules, milestones });
}

registry.register('schedule', 'sequential', SequentialLR);
