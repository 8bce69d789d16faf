import { registry, type JsonObject } from '@nn/core';
import { cosineAnneal } from './cosine.js';
import type { Schedule } from './schedule.js';
import { checkOptions, checkStep, invalid, nonNegative, positiveInteger } from './validate.js';

export interface WarmRestartsOptions {
  lr: number;
  /** Length of the first cycle, in steps. */
  t0: number;
  /** Each cycle is `tMult` times longer than the one before (an integer >= 1; default 1). */
  tMult?: number;
  /** The lowest lr of each cycle (default 0). */
  etaMin?: number;
}

/**
 * SGDR (Loshchilov & Hutter), PyTorch's CosineAnnealingWarmRestarts: cosine annealing from `lr` to
 * `etaMin` within each cycle, back to `lr` at every restart.
 */
export class WarmRestarts implements Schedule {
  readonly lr: number;
  readonly t0: number;
  readonly tMult: number;
  readonly etaMin: number;

  constructor(options: WarmRestartsOptions) {
    const w = 'warmRestarts';
    checkOptions(w, options, ['lr', 't0', 'tMult', 'etaMin'], { required: ['lr', 't0'] });
    this.lr = nonNegative(w, 'lr', options.lr);
    this.t0 = positiveInteger(w, 't0', options.t0);
    const tMult = options.tMult ?? 1;
    if (typeof tMult !== 'number' || !Number.isInteger(tMult) || tMult < 1) {
      throw invalid(w, `tMult must be an integer >= 1, got ${String(tMult)}`, { option: 'tMult', value: tMult });
    }
    this.tMult = tMult;
    this.etaMin = nonNegative(w, 'etaMin', options.etaMin ?? 0);
    if (this.etaMin > this.lr) throw invalid(w, `etaMin (${this.etaMin}) must not exceed lr (${this.lr})`, { option: 'etaMin' });
  }

  /** The cycle `step` falls in: its start step, its length and the step within it. */
  cycleAt(step: number): { index: number; start: number; length: number; tCur: number } {
    checkStep('warmRestarts', step);
    if (this.tMult === 1) {
      const index = Math.floor(step / this.t0);
      return { index, start: index * this.t0, length: this.t0, tCur: step - index * this.t0 };
    }
    // Integer bookkeeping (as PyTorch's step-by-step T_cur/T_i), not a logarithm that rounds at restarts.
    let index = 0;
    let start = 0;
    let length = this.t0;
    while (step - start >= length) {
      start += length;
      length *= this.tMult;
      index++;
    }
    return { index, start, length, tCur: step - start };
  }

  lrAt(step: number): number {
    const { tCur, length } = this.cycleAt(step);
    return cosineAnneal(this.lr, this.etaMin, tCur, length);
  }

  getConfig(): Required<WarmRestartsOptions> {
    return { lr: this.lr, t0: this.t0, tMult: this.tMult, etaMin: this.etaMin };
  }

  /** Rebuilds from `getConfig()` data, checked like options in code; `deserialize` calls it through the registry. */
  static fromConfig(config: JsonObject): WarmRestarts {
    return new WarmRestarts(config as unknown as WarmRestartsOptions);
  }
}

/** Cosine annealing with warm restarts after t0, t0*tMult, t0*tMult^2, … steps (SGDR). */
export function warmRestarts(options: WarmRestartsOptions): WarmRestarts {
  return new WarmRestarts(options);
}

registry.register('schedule', 'warmRestarts', WarmRestarts);
