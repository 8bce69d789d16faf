import { registry, type JsonObject } from '@nn/core';
import type { Schedule } from './schedule.js';
import { bool, checkOptions, checkStep, inRange, invalid, oneOf, positive, positiveInteger } from './validate.js';

export type AnnealStrategy = 'cos' | 'linear';

export interface OneCycleOptions {
  /** The peak lr. */
  maxLr: number;
  /** Steps of the whole cycle (or give `epochs` and `stepsPerEpoch`, as PyTorch allows). */
  totalSteps?: number;
  /** With `stepsPerEpoch`, sets totalSteps = epochs * stepsPerEpoch. */
  epochs?: number;
  stepsPerEpoch?: number;
  /** Fraction of the steps spent rising (default 0.3). */
  pctStart?: number;
  /** 'cos' (default) or 'linear' interpolation within each phase. */
  annealStrategy?: AnnealStrategy;
  /** The lr at step 0 is maxLr / divFactor (default 25). */
  divFactor?: number;
  /** The final lr is the initial lr / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** Cycle momentum inversely to the lr (default true). */
  cycleMomentum?: boolean;
  /** Momentum at the lr's peak (default 0.85). */
  baseMomentum?: number;
  /** Momentum at the start and end (default 0.95). */
  maxMomentum?: number;
  /** Up, back down to the initial lr symmetrically, then annihilate (fast.ai's original); default false. */
  threePhase?: boolean;
}

interface Phase {
  endStep: number;
  startLr: number;
  endLr: number;
  startMomentum: number;
  endMomentum: number;
}

const anneal = {
  cos: (start: number, end: number, pct: number) => end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1),
  linear: (start: number, end: number, pct: number) => (end - start) * pct + start,
};

/**
 * PyTorch's OneCycleLR (Smith & Topin). Phase ends are PyTorch's: the rise ends at step
 * `pctStart * totalSteps - 1` (a fraction allowed) and the cycle at `totalSteps - 1`. Past that last step
 * the lr holds at its final value (PyTorch raises instead).
 */
export class OneCycle implements Schedule {
  readonly maxLr: number;
  readonly totalSteps: number;
  readonly pctStart: number;
  readonly annealStrategy: AnnealStrategy;
  readonly divFactor: number;
  readonly finalDivFactor: number;
  readonly cycleMomentum: boolean;
  readonly baseMomentum: number;
  readonly maxMomentum: number;
  readonly threePhase: boolean;
  private readonly phases: Phase[];

  constructor(options: OneCycleOptions) {
    const w = 'oneCycle';
    checkOptions(w, options, ['maxLr', 'totalSteps', 'epochs', 'stepsPerEpoch', 'pctStart', 'annealStrategy', 'divFactor', 'finalDivFactor', 'cycleMomentum', 'baseMomentum', 'maxMomentum', 'threePhase'], { required: ['maxLr'] });
    this.maxLr = positive(w, 'maxLr', options.maxLr);
    if (options.totalSteps !== undefined) {
      if (options.epochs !== undefined || options.stepsPerEpoch !== undefined) throw invalid(w, 'give either totalSteps or epochs and stepsPerEpoch, not both', { option: 'totalSteps' });
      this.totalSteps = positiveInteger(w, 'totalSteps', options.totalSteps);
    } else if (options.epochs !== undefined && options.stepsPerEpoch !== undefined) {
      this.totalSteps = positiveInteger(w, 'epochs', options.epochs) * positiveInteger(w, 'stepsPerEpoch', options.stepsPerEpoch);
    } else {
      throw invalid(w, 'give totalSteps, or epochs and stepsPerEpoch', { option: 'totalSteps' });
    }
    this.pctStart = inRange(w, 'pctStart', options.pctStart ?? 0.3, 0, 1);
    this.annealStrategy = oneOf(w, 'annealStrategy', options.annealStrategy ?? 'cos', ['cos', 'linear'] as const);
    this.divFactor = positive(w, 'divFactor', options.divFactor ?? 25);
    this.finalDivFactor = positive(w, 'finalDivFactor', options.finalDivFactor ?? 1e4);
    this.cycleMomentum = bool(w, 'cycleMomentum', options.cycleMomentum ?? true);
    this.baseMomentum = inRange(w, 'baseMomentum', options.baseMomentum ?? 0.85, 0, 1);
    this.maxMomentum = inRange(w, 'maxMomentum', options.maxMomentum ?? 0.95, 0, 1);
    this.threePhase = bool(w, 'threePhase', options.threePhase ?? false);
    if (this.maxMomentum < this.baseMomentum) {
      throw invalid(w, `maxMomentum (${this.maxMomentum}) must be >= baseMomentum (${this.baseMomentum})`, { option: 'maxMomentum' });
    }
    if (this.threePhase && this.pctStart > 0.5) {
      throw invalid(w, `pctStart must be <= 0.5 with threePhase (the rise and the symmetric fall must fit), got ${this.pctStart}`, { option: 'pctStart' });
    }
    const initialLr = this.maxLr / this.divFactor;
    const minLr = initialLr / this.finalDivFactor;
    const [hi, lo] = [this.maxMomentum, this.baseMomentum];
    const rise = this.pctStart * this.totalSteps - 1;
    const last = this.totalSteps - 1;
    this.phases = this.threePhase
      ? [
          { endStep: rise, startLr: initialLr, endLr: this.maxLr, startMomentum: hi, endMomentum: lo },
          { endStep: 2 * this.pctStart * this.totalSteps - 2, startLr: this.maxLr, endLr: initialLr, startMomentum: lo, endMomentum: hi },
          { endStep: last, startLr: initialLr, endLr: minLr, startMomentum: hi, endMomentum: hi },
        ]
      : [
          { endStep: rise, startLr: initialLr, endLr: this.maxLr, startMomentum: hi, endMomentum: lo },
          { endStep: last, startLr: this.maxLr, endLr: minLr, startMomentum: lo, endMomentum: hi },
        ];
  }

  /** The phase of `step` and how far through it (0..1). */
  private position(step: number): { phase: Phase; pct: number } {
    checkStep('oneCycle', step);
    const t = Math.min(step, this.totalSteps - 1);
    let start = 0;
    for (let i = 0; i < this.phases.length; i++) {
      const phase = this.phases[i];
      if (t <= phase.endStep || i === this.phases.length - 1) {
        const span = phase.endStep - start;
        // A phase squeezed to one step (or none) has already reached its end value.
        return { phase, pct: span > 0 ? (t - start) / span : 1 };
      }
      start = phase.endStep;
    }
    throw new Error('unreachable');
  }

  lrAt(step: number): number {
    const { phase, pct } = this.position(step);
    return anneal[this.annealStrategy](phase.startLr, phase.endLr, pct);
  }

  momentumAt(step: number): number | undefined {
    if (!this.cycleMomentum) return undefined;
    const { phase, pct } = this.position(step);
    return anneal[this.annealStrategy](phase.startMomentum, phase.endMomentum, pct);
  }

  /** The options, with the cycle's length always as totalSteps. */
  getConfig(): Required<Omit<OneCycleOptions, 'epochs' | 'stepsPerEpoch'>> {
    return {
      maxLr: this.maxLr, totalSteps: this.totalSteps, pctStart: this.pctStart, annealStrategy: this.annealStrategy, divFactor: this.divFactor,
      finalDivFactor: this.finalDivFactor, cycleMomentum: this.cycleMomentum, baseMomentum: this.baseMomentum, maxMomentum: this.maxMomentum,
      threePhase: this.threePhase,
    };
  }

  /** Rebuilds from `getConfig()` data, checked like options in code; `deserialize` calls it through the registry. */
  static fromConfig(config: JsonObject): OneCycle {
    return new OneCycle(config as unknown as OneCycleOptions);
  }
}

/** The one-cycle policy: warm up to maxLr, anneal far below the start, with momentum cycled inversely. */
export function oneCycle(options: OneCycleOptions): OneCycle {
  return new OneCycle(options);
}

registry.register('schedule', 'oneCycle', OneCycle);
