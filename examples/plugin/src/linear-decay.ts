import type { JsonObject } from '@nn/core';
import type { Schedule } from '@nn/schedule';

export interface LinearDecayOptions {
  lr: number;
  /** Steps to reach `endLr`; it stays there after. */
  steps: number;
  endLr?: number;
}

/** lr falling linearly from `lr` to `endLr` over `steps` steps. A schedule is any object with `lrAt(step)`. */
export class LinearDecay implements Schedule {
  readonly lr: number;
  readonly steps: number;
  readonly endLr: number;

  constructor({ lr, steps, endLr = 0 }: LinearDecayOptions) {
    if (!(lr >= 0) || !Number.isInteger(steps) || steps < 1) throw new Error(`linearDecay: needs lr >= 0 and an integer steps >= 1, got lr ${lr}, steps ${steps}`);
    this.lr = lr;
    this.steps = steps;
    this.endLr = endLr;
  }

  lrAt(step: number): number {
    return this.lr + (this.endLr - this.lr) * Math.min(1, step / this.steps);
  }

  getConfig(): Required<LinearDecayOptions> {
    return { lr: this.lr, steps: this.steps, endLr: this.endLr };
  }

  static fromConfig(config: JsonObject): LinearDecay {
    return new LinearDecay(config as unknown as LinearDecayOptions);
  }
}
