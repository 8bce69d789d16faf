import { NNError } from '@nn/core';
import { describe, expect, it } from 'vitest';
import {
  constant, cosineDecay, cyclic, exponentialDecay, inverseTimeDecay, linearScaling, linearWarmup, multiStep, naturalExpDecay, oneCycle,
  piecewiseConstant, polynomialDecay, product, reduceOnPlateau, renderSvg, sequentialLR, stepDecay, warmRestarts, withWarmup,
} from './index.js';

// Options are typed; these tests pass what plain JavaScript or a JSON file could pass.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const any = (v: unknown): any => v;

const cases: [string, () => unknown, string][] = [
  // negative lr
  ['negative lr', () => constant({ lr: -0.1 }), 'constant: lr must be a non-negative number, got -0.1'],
  ['NaN lr', () => cosineDecay({ lr: NaN, tMax: 3 }), 'cosineDecay: lr must be a non-negative number, got NaN'],
  ['string lr', () => stepDecay({ lr: any('0.1'), stepSize: 3 }), 'stepDecay: lr must be a non-negative number, got "0.1"'],
  ['missing lr', () => exponentialDecay(any({ gamma: 0.9 })), 'exponentialDecay: option lr is required'],
  ['negative value in piecewise', () => piecewiseConstant({ boundaries: [3], values: [0.1, -1] }), 'piecewiseConstant: values[1] must be a non-negative number, got -1'],
  // unknown options and near misses
  ['typo gama', () => stepDecay(any({ lr: 0.1, stepSize: 3, gama: 0.5 })), 'stepDecay: unknown option "gama"; did you mean "gamma"? (options: lr, stepSize, gamma)'],
  ['typo tmax', () => cosineDecay(any({ lr: 0.1, T_max: 3 })), 'cosineDecay: unknown option "T_max"; did you mean "tMax"? (options: lr, tMax, etaMin)'],
  ['unknown, no near miss', () => constant(any({ lr: 0.1, momentum: 0.9 })), 'constant: unknown option "momentum" (options: lr)'],
  ['not an object', () => constant(any(0.1)), 'constant: expected an object of options { lr }, got 0.1'],
  ['PyTorch name', () => oneCycle(any({ max_lr: 0.1, totalSteps: 10 })), 'oneCycle: unknown option "max_lr"; did you mean "maxLr"? (options: maxLr, totalSteps, epochs, stepsPerEpoch, pctStart, annealStrategy, divFactor, finalDivFactor, cycleMomentum, baseMomentum, maxMomentum, threePhase)'],
  // integers and positive numbers
  ['tMax 0', () => cosineDecay({ lr: 0.1, tMax: 0 }), 'cosineDecay: tMax must be a positive integer, got 0'],
  ['tMax fraction', () => cosineDecay({ lr: 0.1, tMax: 2.5 }), 'cosineDecay: tMax must be a positive integer, got 2.5'],
  ['stepSize 0', () => stepDecay({ lr: 0.1, stepSize: 0 }), 'stepDecay: stepSize must be a positive integer, got 0'],
  ['gamma 0', () => exponentialDecay({ lr: 0.1, gamma: 0 }), 'exponentialDecay: gamma must be a positive number, got 0'],
  ['decaySteps', () => naturalExpDecay({ lr: 0.1, beta: 0.1, decaySteps: 0 }), 'naturalExpDecay: decaySteps must be a positive integer, got 0'],
  ['staircase not boolean', () => inverseTimeDecay({ lr: 0.1, beta: 0.1, staircase: any('yes') }), 'inverseTimeDecay: staircase must be true or false, got "yes"'],
  ['negative beta', () => inverseTimeDecay({ lr: 0.1, beta: -1 }), 'inverseTimeDecay: beta must be a non-negative number, got -1'],
  ['etaMin above lr', () => cosineDecay({ lr: 0.1, tMax: 10, etaMin: 0.2 }), 'cosineDecay: etaMin (0.2) must not exceed lr (0.1)'],
  ['endLr above lr', () => polynomialDecay({ lr: 0.1, totalSteps: 10, endLr: 0.2 }), 'polynomialDecay: endLr (0.2) must not exceed lr (0.1)'],
  ['power 0', () => polynomialDecay({ lr: 0.1, totalSteps: 10, power: 0 }), 'polynomialDecay: power must be a positive number, got 0'],
  ['linearWarmup totalSteps', () => linearWarmup({ lr: 0.1, totalSteps: -2 }), 'linearWarmup: totalSteps must be a positive integer, got -2'],
  // warm restarts
  ['tMult < 1', () => warmRestarts({ lr: 0.1, t0: 5, tMult: 0 }), 'warmRestarts: tMult must be an integer >= 1, got 0'],
  ['tMult non-integer', () => warmRestarts({ lr: 0.1, t0: 5, tMult: 1.5 }), 'warmRestarts: tMult must be an integer >= 1, got 1.5'],
  ['t0 0', () => warmRestarts({ lr: 0.1, t0: 0 }), 'warmRestarts: t0 must be a positive integer, got 0'],
  // milestones and boundaries
  ['milestones not increasing', () => multiStep({ lr: 0.1, milestones: [10, 5] }), 'multiStep: milestones must be strictly increasing, got [10, 5] (milestones[1] = 5 <= 10)'],
  ['milestones repeated', () => multiStep({ lr: 0.1, milestones: [5, 5] }), 'multiStep: milestones must be strictly increasing, got [5, 5] (milestones[1] = 5 <= 5)'],
  ['milestone 0', () => multiStep({ lr: 0.1, milestones: [0, 5] }), 'multiStep: milestones[0] must be a positive integer, got 0'],
  ['milestones not an array', () => multiStep({ lr: 0.1, milestones: any(5) }), 'multiStep: milestones must be an array of increasing positive integers, got 5'],
  ['boundaries not increasing', () => piecewiseConstant({ boundaries: [4, 2], values: [1, 2, 3] }), 'piecewiseConstant: boundaries must be strictly increasing, got [4, 2] (boundaries[1] = 2 <= 4)'],
  ['values count', () => piecewiseConstant({ boundaries: [4, 8], values: [1, 2] }), 'piecewiseConstant: values must be an array of 3 lrs (one more than boundaries), got 2'],
  ['sequential milestones not increasing', () => sequentialLR([constant({ lr: 1 }), constant({ lr: 2 }), constant({ lr: 3 })], [5, 3]), 'sequentialLR: milestones must be strictly increasing, got [5, 3] (milestones[1] = 3 <= 5)'],
  ['sequential milestone count', () => sequentialLR([constant({ lr: 1 }), constant({ lr: 2 })], [5, 8]), 'sequentialLR: expected 1 milestones for 2 schedules (one between each two), got 2'],
  ['sequential empty', () => sequentialLR([], []), 'sequentialLR: schedules must be a non-empty array of schedules'],
  ['sequential non-schedule', () => sequentialLR([any(0.1)], []), 'sequentialLR: schedules[0] must be a schedule (an object with lrAt(step)), got 0.1'],
  ['product empty', () => product([]), 'product: schedules must be a non-empty array of schedules'],
  ['withWarmup steps', () => withWarmup(constant({ lr: 1 }), { steps: 0 }), 'withWarmup: steps must be a positive integer, got 0'],
  ['withWarmup typo', () => withWarmup(constant({ lr: 1 }), any({ step: 3 })), 'withWarmup: unknown option "step"; did you mean "steps"? (options: steps, startFactor)'],
  ['withWarmup non-schedule', () => withWarmup(any({ lr: 0.1 }), { steps: 3 }), 'withWarmup: schedule must be a schedule (an object with lrAt(step)), got {"lr":0.1}'],
  // cyclic
  ['maxLr < baseLr', () => cyclic({ baseLr: 0.1, maxLr: 0.01 }), 'cyclic: maxLr (0.01) must be >= baseLr (0.1)'],
  ['unknown mode', () => cyclic({ baseLr: 0.01, maxLr: 0.1, mode: any('triangle') }), 'cyclic: unknown mode "triangle"; did you mean "triangular"? (expected "triangular", "triangular2", "exp_range", "triangular_decay")'],
  ['unknown mode, far', () => cyclic({ baseLr: 0.01, maxLr: 0.1, mode: any('sine') }), 'cyclic: unknown mode "sine" (expected "triangular", "triangular2", "exp_range", "triangular_decay")'],
  ['momentum bounds', () => cyclic({ baseLr: 0.01, maxLr: 0.1, baseMomentum: 0.95, maxMomentum: 0.9 }), 'cyclic: maxMomentum (0.9) must be >= baseMomentum (0.95)'],
  ['momentum range', () => cyclic({ baseLr: 0.01, maxLr: 0.1, maxMomentum: 1.5 }), 'cyclic: maxMomentum must be a number in [0, 1], got 1.5'],
  ['stepSizeDown', () => cyclic({ baseLr: 0.01, maxLr: 0.1, stepSizeDown: 0 }), 'cyclic: stepSizeDown must be a positive integer, got 0'],
  // one cycle
  ['oneCycle maxLr', () => oneCycle({ maxLr: 0, totalSteps: 10 }), 'oneCycle: maxLr must be a positive number, got 0'],
  ['oneCycle totalSteps', () => oneCycle({ maxLr: 0.1, totalSteps: 0 }), 'oneCycle: totalSteps must be a positive integer, got 0'],
  ['oneCycle no length', () => oneCycle({ maxLr: 0.1, epochs: 3 }), 'oneCycle: give totalSteps, or epochs and stepsPerEpoch'],
  ['oneCycle both lengths', () => oneCycle({ maxLr: 0.1, totalSteps: 30, epochs: 3, stepsPerEpoch: 10 }), 'oneCycle: give either totalSteps or epochs and stepsPerEpoch, not both'],
  ['oneCycle epochs', () => oneCycle({ maxLr: 0.1, epochs: 0, stepsPerEpoch: 10 }), 'oneCycle: epochs must be a positive integer, got 0'],
  ['oneCycle pctStart', () => oneCycle({ maxLr: 0.1, totalSteps: 10, pctStart: 1.5 }), 'oneCycle: pctStart must be a number in [0, 1], got 1.5'],
  ['oneCycle anneal', () => oneCycle({ maxLr: 0.1, totalSteps: 10, annealStrategy: any('cosine') }), 'oneCycle: unknown annealStrategy "cosine" (expected "cos", "linear")'],
  ['oneCycle threePhase pctStart', () => oneCycle({ maxLr: 0.1, totalSteps: 10, pctStart: 0.6, threePhase: true }), 'oneCycle: pctStart must be <= 0.5 with threePhase (the rise and the symmetric fall must fit), got 0.6'],
  ['oneCycle momentum bounds', () => oneCycle({ maxLr: 0.1, totalSteps: 10, baseMomentum: 0.96 }), 'oneCycle: maxMomentum (0.95) must be >= baseMomentum (0.96)'],
  // reduce on plateau
  ['plateau factor', () => reduceOnPlateau({ lr: 0.1, factor: 1 }), 'reduceOnPlateau: factor must be a number in [0, 1), got 1'],
  ['plateau mode', () => reduceOnPlateau({ lr: 0.1, mode: any('mni') }), 'reduceOnPlateau: unknown mode "mni"; did you mean "min"? (expected "min", "max")'],
  ['plateau thresholdMode', () => reduceOnPlateau({ lr: 0.1, thresholdMode: any('relative') }), 'reduceOnPlateau: unknown thresholdMode "relative" (expected "rel", "abs")'],
  ['plateau patience', () => reduceOnPlateau({ lr: 0.1, patience: -1 }), 'reduceOnPlateau: patience must be a non-negative integer, got -1'],
  ['plateau cooldown', () => reduceOnPlateau({ lr: 0.1, cooldown: 0.5 }), 'reduceOnPlateau: cooldown must be a non-negative integer, got 0.5'],
  ['plateau minLr', () => reduceOnPlateau({ lr: 0.1, minLr: -1 }), 'reduceOnPlateau: minLr must be a non-negative number, got -1'],
  ['plateau monitor', () => reduceOnPlateau({ lr: 0.1, monitor: '' }), 'reduceOnPlateau: monitor must be a metric name such as "val_loss", got '],
  ['plateau typo', () => reduceOnPlateau(any({ lr: 0.1, patients: 3 })), 'reduceOnPlateau: unknown option "patients"; did you mean "patience"? (options: lr, mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps, monitor)'],
  // steps
  ['negative step', () => cosineDecay({ lr: 0.1, tMax: 10 }).lrAt(-1), 'cosineDecay: step must be a non-negative number, got -1'],
  ['NaN step', () => cyclic({ baseLr: 0.01, maxLr: 0.1 }).momentumAt(NaN), 'cyclic: step must be a non-negative number, got NaN'],
  ['step in sequential', () => sequentialLR([constant({ lr: 1 })], []).lrAt(-3), 'sequentialLR: step must be a non-negative number, got -3'],
  // helpers
  ['linearScaling batch', () => linearScaling({ lr: 0.1, batchSize: 0, baseBatchSize: 32 }), 'linearScaling: batchSize must be a positive number, got 0'],
  ['linearScaling typo', () => linearScaling(any({ lr: 0.1, batchSize: 64, baseBatch: 32 })), 'linearScaling: unknown option "baseBatch" (options: lr, batchSize, baseBatchSize)'],
  ['renderSvg steps', () => renderSvg(constant({ lr: 1 }), 0), 'renderSvg: steps must be a positive integer, got 0'],
  ['renderSvg non-schedule', () => renderSvg(any({}), 10), 'renderSvg: schedule must be a schedule (an object with lrAt(step))'],
  ['renderSvg option typo', () => renderSvg(constant({ lr: 1 }), 10, any({ widht: 300 })), 'renderSvg: unknown option "widht"; did you mean "width"? (options: width, height, title, lrColor, momentumColor, momentum, stepped)'],
  ['renderSvg too small', () => renderSvg(constant({ lr: 1 }), 10, { width: 50, height: 50 }), 'renderSvg: a 50x50 picture leaves no room for the chart'],
];

describe('validation: clear INVALID_ARGUMENT errors naming the schedule and the option', () => {
  for (const [label, thunk, message] of cases) {
    it(label, () => {
      let error: unknown;
      try {
        thunk();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(NNError);
      expect((error as NNError).code).toBe('INVALID_ARGUMENT');
      expect((error as NNError).message).toBe(message);
    });
  }

  it('puts the option and its near misses in details', () => {
    try {
      stepDecay(any({ lr: 0.1, stepSize: 3, gama: 0.5 }));
      expect.unreachable();
    } catch (e) {
      expect((e as NNError).details).toMatchObject({ where: 'stepDecay', option: 'gama', nearMisses: ['gamma'] });
    }
  });
});

describe('error messages show values briefly', () => {
  it('clips long values and survives circular objects and class instances', () => {
    const long = Array.from({ length: 60 }, (_, i) => i + 1);
    long[59] = 1;
    expect(() => multiStep({ lr: 0.1, milestones: long })).toThrow(/^multiStep: milestones must be strictly increasing, got \[1, 2, .{60,}\.\.\. \(milestones\[59\] = 1 <= 59\)$/);
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    expect(() => sequentialLR([any(circular)], [])).toThrow('sequentialLR: schedules[0] must be a schedule (an object with lrAt(step)), got an object');
    expect(() => constant(any(new Map([['lr', 0.1]])))).toThrow('constant: expected an object of options { lr }, got a Map');
    expect(() => constant(any([0.1]))).toThrow('constant: expected an object of options { lr }, got [0.1]');
    expect(constant(Object.assign(Object.create(null), { lr: 0.2 })).lr).toBe(0.2);
    expect(() => withWarmup(any(new Date(0)), { steps: 2 })).toThrow('withWarmup: schedule must be a schedule (an object with lrAt(step)), got a Date');
  });
});
