import type { JsonObject } from '@nn/core';

/**
 * A learning-rate schedule: a pure function of the optimizer step (step 0 is the first step), so a
 * resumed run needs only its step count and any optimizer — not only this toolkit's — can use it.
 */
export interface Schedule {
  /** The learning rate in force at optimizer step `step` (0-based). */
  lrAt(step: number): number;
  /**
   * The momentum (or Adam's beta1) in force at `step`, for schedules that cycle it; `undefined` means
   * "leave the optimizer's momentum alone", so an optimizer can always call it when present.
   */
  momentumAt?(step: number): number | undefined;
  /** The options that rebuild this schedule; nested schedules appear as schedule objects. */
  getConfig(): Record<string, unknown>;
}

/** What the registry holds under kind `schedule`: a class that rebuilds a schedule from its config. */
export interface ScheduleClass {
  fromConfig(config: JsonObject): Schedule;
}

declare module '@nn/core' {
  interface RegistryKinds {
    schedule: ScheduleClass;
  }
}

/** Whether `value` looks like a schedule (duck-typed, so schedules from other packages compose too). */
export function isSchedule(value: unknown): value is Schedule {
  return typeof value === 'object' && value !== null && typeof (value as Schedule).lrAt === 'function';
}
