import { deserialize, registry, serialize } from '@nn/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  constant, cosineDecay, cyclic, exponentialDecay, inverseSqrtDecay, inverseTimeDecay, linearWarmup, multiStep, naturalExpDecay, oneCycle,
  piecewiseConstant, polynomialDecay, product, reduceOnPlateau, ReduceOnPlateau, sequentialLR, stepDecay, warmRestarts, withWarmup,
  type Schedule,
} from './index.js';

/** One schedule per registered name, with non-default options, plus nested compositions. */
const examples: Record<string, Schedule> = {
  constant: constant({ lr: 0.3 }),
  stepDecay: stepDecay({ lr: 0.1, stepSize: 7, gamma: 0.5 }),
  multiStep: multiStep({ lr: 0.1, milestones: [5, 20], gamma: 0.3 }),
  piecewiseConstant: piecewiseConstant({ boundaries: [10, 30], values: [0.1, 0.05, 0.01] }),
  exponentialDecay: exponentialDecay({ lr: 0.1, gamma: 0.5, decaySteps: 10, staircase: true }),
  inverseTimeDecay: inverseTimeDecay({ lr: 0.1, beta: 0.15 }),
  inverseSqrtDecay: inverseSqrtDecay({ lr: 0.4 }),
  naturalExpDecay: naturalExpDecay({ lr: 0.1, beta: 0.07, decaySteps: 3 }),
  cosineDecay: cosineDecay({ lr: 0.1, tMax: 35, etaMin: 0.001 }),
  polynomialDecay: polynomialDecay({ lr: 0.1, totalSteps: 40, power: 2, endLr: 0.001 }),
  warmRestarts: warmRestarts({ lr: 0.1, t0: 6, tMult: 2, etaMin: 5e-4 }),
  linearWarmup: linearWarmup({ lr: 0.1, startFactor: 0.1, totalSteps: 9 }),
  withWarmup: withWarmup(warmRestarts({ lr: 0.1, t0: 5 }), { steps: 4, startFactor: 0.2 }),
  sequential: sequentialLR(
    [linearWarmup({ lr: 0.1, startFactor: 0.01, totalSteps: 6 }), sequentialLR([cyclic({ baseLr: 0.01, maxLr: 0.1, stepSizeUp: 3 }), cosineDecay({ lr: 0.1, tMax: 40 })], [12])],
    [6],
  ),
  product: product([oneCycle({ maxLr: 0.5, totalSteps: 50, threePhase: true }), stepDecay({ lr: 1, stepSize: 10 }), withWarmup(constant({ lr: 1 }), { steps: 3 })]),
  cyclic: cyclic({ baseLr: 0.01, maxLr: 0.1, stepSizeUp: 5, stepSizeDown: 3, mode: 'exp_range', gamma: 0.96, baseMomentum: 0.7, maxMomentum: 0.95 }),
  oneCycle: oneCycle({ maxLr: 0.5, totalSteps: 50, pctStart: 0.25, annealStrategy: 'linear', divFactor: 10, finalDivFactor: 100, baseMomentum: 0.8 }),
  reduceOnPlateau: reduceOnPlateau({ lr: 0.1, mode: 'max', factor: 0.5, patience: 4, threshold: 0.01, thresholdMode: 'abs', cooldown: 1, minLr: 1e-4, eps: 1e-9, monitor: 'val_accuracy' }),
};

describe('serialize / deserialize', () => {
  it('every schedule registered under kind "schedule" has an example here', () => {
    expect(registry.list('schedule')).toEqual(Object.keys(examples).sort());
  });

  for (const [name, s] of Object.entries(examples)) {
    it(`${name} round-trips through JSON text: same class, config, lrs and momenta`, () => {
      const json = serialize(s);
      expect(json.kind).toBe('schedule');
      expect(json.name).toBe(name);
      const back = deserialize<Schedule>(JSON.stringify(json));
      expect(back.constructor).toBe(s.constructor);
      expect(serialize(back)).toEqual(json);
      for (let t = 0; t < 80; t++) {
        expect(back.lrAt(t)).toBe(s.lrAt(t));
        expect(back.momentumAt?.(t)).toBe(s.momentumAt?.(t));
      }
    });
  }

  it('writes nested schedules as nested { kind, name, config, format }', () => {
    const json = serialize(withWarmup(cosineDecay({ lr: 0.1, tMax: 10 }), { steps: 3 }));
    expect(json).toEqual({
      kind: 'schedule',
      name: 'withWarmup',
      format: 1,
      config: { schedule: { kind: 'schedule', name: 'cosineDecay', format: 1, config: { lr: 0.1, tMax: 10, etaMin: 0 } }, steps: 3, startFactor: 1 / 3 },
    });
  });

  it('a config from a file is validated like options in code', () => {
    expect(() => deserialize({ kind: 'schedule', name: 'cosineDecay', format: 1, config: { lr: 0.1, tMax: 0 } })).toThrow('cosineDecay: tMax must be a positive integer, got 0');
    expect(() => deserialize({ kind: 'schedule', name: 'sequential', format: 1, config: { schedules: [{ lr: 1 }], milestones: [] } })).toThrow(
      'sequentialLR: schedules[0] must be a schedule (an object with lrAt(step)), got {"lr":1}',
    );
  });

  it('reduceOnPlateau is also registered as the callback "reduceOnPlateau"', () => {
    expect(registry.get('callback' as never, 'reduceOnPlateau')).toBe(ReduceOnPlateau);
    const back = deserialize<ReduceOnPlateau>({ kind: 'callback', name: 'reduceOnPlateau', format: 1, config: { lr: 0.1, patience: 2 } });
    expect(back).toBeInstanceOf(ReduceOnPlateau);
    expect(serialize(back).kind).toBe('schedule');
  });
});

describe('purity', () => {
  it('lrAt and momentumAt give the same values in any order of calls (a resumed run needs only the step)', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(Array.from({ length: 120 }, (_, i) => i), { minLength: 1 }), (steps) => {
        for (const s of Object.values(examples)) {
          const fresh = deserialize<Schedule>(serialize(s));
          for (const t of steps) {
            expect(fresh.lrAt(t)).toBe(s.lrAt(t));
            expect(fresh.momentumAt?.(t)).toBe(s.momentumAt?.(t));
          }
        }
      }),
      { numRuns: 30 },
    );
  });
});
