import { describe, expect, it } from 'vitest';
import golden from './fixtures/schedule.json';
import {
  cosineDecay, cyclic, exponentialDecay, inverseTimeDecay, linearWarmup, multiStep, naturalExpDecay, oneCycle,
  reduceOnPlateau, sequentialLR, stepDecay, warmRestarts, type Schedule,
} from './index.js';

type Case = (typeof golden.cases)[number];
type Opts = Record<string, number & string>;

const TOL = 1e-9;

/** Our equivalent of each PyTorch case, built from the case's own options (PyTorch names). */
function build(c: Case): Schedule {
  const o = c.options as unknown as Opts;
  const lr = c.base_lr;
  switch (c.schedule) {
    case 'StepLR':
      return stepDecay({ lr, stepSize: o.step_size, gamma: o.gamma });
    case 'MultiStepLR (piecewise constant)':
      return multiStep({ lr, milestones: (c.options as { milestones: number[] }).milestones, gamma: o.gamma });
    case 'ExponentialLR':
      return exponentialDecay({ lr, gamma: o.gamma });
    case 'LambdaLR inverse time eta0/(1+beta*t)':
      return inverseTimeDecay({ lr, beta: o.beta });
    case 'LambdaLR natural exponential eta0*exp(-beta*t)':
      return naturalExpDecay({ lr, beta: o.beta });
    case 'CosineAnnealingLR':
      return cosineDecay({ lr, tMax: o.T_max, etaMin: o.eta_min });
    case 'CosineAnnealingWarmRestarts (SGDR)':
      return warmRestarts({ lr, t0: o.T_0, tMult: o.T_mult, etaMin: o.eta_min });
    case 'LinearLR (warmup)':
      return linearWarmup({ lr, startFactor: o.start_factor, endFactor: o.end_factor, totalSteps: o.total_iters });
    case 'SequentialLR warmup then cosine':
      // PyTorch's recipe: LinearLR(start_factor=0.01, total_iters=warmup), then CosineAnnealingLR(T_max).
      return sequentialLR([linearWarmup({ lr, startFactor: 0.01, totalSteps: o.warmup }), cosineDecay({ lr, tMax: o.T_max })], [o.warmup]);
    case 'CyclicLR triangular':
    case 'CyclicLR triangular2':
    case 'CyclicLR exp_range':
      return cyclic({ baseLr: o.base_lr, maxLr: o.max_lr, stepSizeUp: o.step_size_up, mode: o.mode as 'triangular', ...(o.gamma !== undefined ? { gamma: o.gamma } : {}) });
    case 'OneCycleLR':
      return oneCycle({ maxLr: o.max_lr, totalSteps: o.total_steps, pctStart: o.pct_start });
    default:
      throw new Error(`no mapping for golden case ${c.schedule}`);
  }
}

describe('PyTorch 1.13 golden values (fixtures/schedule.json)', () => {
  it('has the 14 cases', () => {
    expect(golden.cases).toHaveLength(14);
  });

  for (const c of golden.cases.filter((k) => k.schedule !== 'ReduceLROnPlateau')) {
    it(`${c.schedule}: lr and momentum at every step within 1e-9`, () => {
      const s = build(c);
      c.values.forEach((v, t) => {
        expect(Math.abs(s.lrAt(t) - v.lr), `lr at step ${t}`).toBeLessThanOrEqual(TOL);
        // Schedules that do not cycle momentum leave the optimizer's (base_momentum) in force.
        const m = s.momentumAt?.(t) ?? c.base_momentum;
        expect(Math.abs(m - v.momentum), `momentum at step ${t}`).toBeLessThanOrEqual(TOL);
      });
    });
  }

  it('ReduceLROnPlateau: fed the listed metrics, the lr at every step within 1e-9', () => {
    const c = golden.cases.find((k) => k.schedule === 'ReduceLROnPlateau')!;
    const o = c.options as unknown as Opts;
    const s = reduceOnPlateau({ lr: c.base_lr, mode: o.mode as 'min', factor: o.factor, patience: o.patience, threshold: o.threshold, cooldown: o.cooldown, minLr: o.min_lr });
    c.values.forEach((v, t) => {
      // values[t] is read before scheduler.step(metrics[t]).
      expect(Math.abs(s.lrAt(t) - v.lr), `lr at step ${t}`).toBeLessThanOrEqual(TOL);
      expect((s as Schedule).momentumAt).toBeUndefined();
      s.update(c.metrics![t]);
    });
  });
});
