import { ErrorCode, NNError } from '@nn/core';
import { tensor, zeros } from '@nn/tensor';
import { describe, expect, it } from 'vitest';
import { Adam, SGD, decodeFloat32, encodeFloat32, type OptimizerStateDict } from './index.js';
import { build, cases, label, problem, trainStep } from './testing/golden.js';
import { Halving, withHalvingRegistered } from './testing/halving.js';

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

describe('resume: 20 steps, save, fresh optimizer, load, 20 steps == 40 uninterrupted (bitwise)', () => {
  cases.forEach((c, i) => {
    it(label(c, i), () => {
      const straight = problem();
      const a = build(c, [straight.w, straight.b]);
      for (let s = 0; s < 40; s++) trainStep(a, straight.loss);

      const first = problem();
      const b = build(c, [first.w, first.b]);
      for (let s = 0; s < 20; s++) trainStep(b, first.loss);
      const saved = JSON.parse(JSON.stringify(b.stateDict())) as OptimizerStateDict;

      const resumed = problem({ w: first.w.dataSync(), b: first.b.dataSync() });
      const fresh = build(c, [resumed.w, resumed.b]);
      fresh.loadStateDict(saved);
      expect(fresh.stepCount).toBe(20);
      for (let s = 0; s < 20; s++) trainStep(fresh, resumed.loss);

      expect(bits(resumed.w.dataSync())).toEqual(bits(straight.w.dataSync()));
      expect(bits(resumed.b.dataSync())).toEqual(bits(straight.b.dataSync()));
      expect(fresh.stateDict()).toEqual(JSON.parse(JSON.stringify(a.stateDict())));
    });
  });
});

function trained() {
  const w = zeros([2, 3]);
  const b = zeros([3]);
  w.requiresGrad = b.requiresGrad = true;
  const opt = new Adam([w, b], { lr: 0.1 });
  w.grad = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
  b.grad = tensor([1, -1, 0.5]);
  opt.step();
  return { w, b, opt, sd: opt.stateDict() };
}

const mismatch = (fn: () => void, pattern: RegExp) => {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(NNError);
  expect((error as NNError).code).toBe(ErrorCode.StateMismatch);
  expect((error as NNError).message).toMatch(pattern);
};

describe('stateDict layout', () => {
  it('is JSON data: positions, shapes, hyperparameters and base64 float32 buffers', () => {
    const { sd } = trained();
    expect(sd.optimizer).toBe('adam');
    expect(sd.stepCount).toBe(1);
    expect(sd.paramGroups).toEqual([{ lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, epsInsideSqrt: false, weightDecay: 0, amsgrad: false, maximize: false, params: [0, 1], shapes: [[2, 3], [3]] }]);
    expect(Object.keys(sd.state)).toEqual(['0', '1']);
    expect(sd.state[0].step).toBe(1);
    expect(sd.state[0].expAvg).toEqual({ dtype: 'float32', base64: expect.any(String), crc32: expect.any(Number) });
    expect(JSON.parse(JSON.stringify(sd))).toEqual(sd);
  });

  it('encodes float32 buffers exactly, NaN and signed zeros included', () => {
    const a = Float32Array.from([0, -0, 1.5, -3.25e-30, 3.4e38, NaN, Infinity, 1 / 3]);
    for (let n = 0; n <= a.length; n++) {
      const part = a.slice(0, n);
      expect(bits(decodeFloat32(encodeFloat32(part).base64)!)).toEqual(bits(part));
    }
    expect(decodeFloat32('not base64!')).toBeNull();
    expect(decodeFloat32('AAA=')).toBeNull(); // 2 bytes: not a whole float
  });

  it('leaves out parameters that have no state yet (never updated)', () => {
    const w = zeros([2]);
    const v = zeros([2]);
    const opt = new SGD([w, v], { lr: 0.1, momentum: 0.9 });
    w.grad = tensor([1, 1]);
    opt.step();
    expect(Object.keys(opt.stateDict().state)).toEqual(['0']);
  });
});

describe('loadStateDict refuses a mismatch, and changes nothing when it does', () => {
  it('another optimizer', () => {
    const { sd } = trained();
    mismatch(() => new SGD([zeros([2, 3]), zeros([3])]).loadStateDict(sd as OptimizerStateDict), /saved by optimizer "adam"; this is "sgd"/);
  });

  it('group count', () => {
    const { sd } = trained();
    const opt = new Adam([zeros([2, 3])]);
    opt.addParamGroup({ params: [zeros([3])] });
    mismatch(() => opt.loadStateDict(sd), /1 parameter group\(s\); this optimizer has 2/);
  });

  it('parameter count', () => {
    const { sd } = trained();
    mismatch(() => new Adam([zeros([2, 3])]).loadStateDict(sd), /group 0 has 2 parameter\(s\) in the state dict and 1 here/);
  });

  it('shapes', () => {
    const { sd } = trained();
    mismatch(() => new Adam([zeros([3, 2]), zeros([3])]).loadStateDict(sd), /parameter 0 \(group 0, #0\) has shape \[3,2\] here and \[2,3\] in the state dict/);
  });

  it('a buffer of the wrong size, a corrupt buffer, an unknown entry', () => {
    const { sd } = trained();
    const short = structuredClone(sd);
    short.state[1].expAvg = encodeFloat32(new Float32Array(2));
    mismatch(() => new Adam([zeros([2, 3]), zeros([3])]).loadStateDict(short), /parameter 1: expAvg holds 2 values; the parameter has 3/);
    const corrupt = structuredClone(sd);
    corrupt.state[0].expAvgSq = { dtype: 'float32', base64: '!!' };
    mismatch(() => new Adam([zeros([2, 3]), zeros([3])]).loadStateDict(corrupt), /expAvgSq must be an encoded float32 array/);
    const unknown = structuredClone(sd);
    unknown.state[0].momentumBuffer = 3;
    mismatch(() => new Adam([zeros([2, 3]), zeros([3])]).loadStateDict(unknown), /unknown entry "momentumBuffer" for Adam/);
    const outside = structuredClone(sd);
    outside.state[7] = { step: 1 };
    mismatch(() => new Adam([zeros([2, 3]), zeros([3])]).loadStateDict(outside), /state for parameter "7", but there are 2 parameters/);
    // An entry the update needs, missing: refused here rather than a TypeError in the next step().
    const lacking = structuredClone(sd);
    delete lacking.state[1].expAvgSq;
    const opt = new Adam([zeros([2, 3]), zeros([3])]);
    mismatch(() => opt.loadStateDict(lacking), /Adam.loadStateDict: state of parameter 1 lacks expAvgSq/);
    expect(opt.stepCount).toBe(0);
  });

  it('a newer format, a bad step count, not an object', () => {
    const { sd } = trained();
    mismatch(() => new Adam([zeros([2, 3]), zeros([3])]).loadStateDict({ ...sd, format: 3 }), /format 3 is not readable/);
    mismatch(() => new Adam([zeros([2, 3]), zeros([3])]).loadStateDict({ ...sd, stepCount: -1 }), /stepCount must be a non-negative integer/);
    mismatch(() => new Adam([zeros([2, 3]), zeros([3])]).loadStateDict(null as unknown as OptimizerStateDict), /expected a state dict object/);
  });

  it('invalid saved hyperparameters are checked like options', () => {
    const { sd } = trained();
    const bad = structuredClone(sd);
    bad.paramGroups[0].lr = -1;
    expect(() => new Adam([zeros([2, 3]), zeros([3])]).loadStateDict(bad)).toThrow(/lr must be a non-negative number/);
    const extra = structuredClone(sd);
    extra.paramGroups[0].momentum = 0.9;
    mismatch(() => new Adam([zeros([2, 3]), zeros([3])]).loadStateDict(extra), /unknown hyperparameter "momentum"/);
  });

  it('is atomic: after a refused load the optimizer is as before', () => {
    const { sd } = trained();
    const w = zeros([2, 3]);
    const b = zeros([3]);
    const opt = new Adam([w, b], { lr: 0.5 });
    const bad = structuredClone(sd);
    bad.state[1].expAvg = encodeFloat32(new Float32Array(1));
    expect(() => opt.loadStateDict(bad)).toThrow(NNError);
    expect(opt.stepCount).toBe(0);
    expect(opt.paramGroups[0].lr).toBe(0.5);
    expect(opt.getState(w)).toBeUndefined();
  });
});

describe('hyperparameters travel with the state', () => {
  it('restores numbers (PyTorch overwrites the groups with the saved ones)', () => {
    const { sd } = trained();
    const opt = new Adam([zeros([2, 3]), zeros([3])], { lr: 0.7, betas: [0.5, 0.6] });
    opt.loadStateDict(sd);
    expect(opt.paramGroups[0].lr).toBe(0.1);
    expect(opt.paramGroups[0].betas).toEqual([0.9, 0.999]);
  });

  it('keeps an unregistered (inline) schedule, which cannot be saved, and resumes it at the saved step', () => {
    const schedule = { lrAt: (t: number) => 0.1 / (1 + t) };
    const w = zeros([2]);
    const opt = new SGD([w], { lr: schedule });
    w.grad = tensor([1, 1]);
    opt.step();
    opt.step();
    const sd = opt.stateDict();
    expect(sd.paramGroups[0]).not.toHaveProperty('lr');
    const again = new SGD([zeros([2])], { lr: schedule });
    again.loadStateDict(sd);
    expect(again.paramGroups[0].lr).toBe(schedule);
    expect(again.currentLr()).toBeCloseTo(0.1 / 3, 12);
  });

  it('saves a registered schedule through @nn/core serialize and rebuilds it', () => {
    withHalvingRegistered('optimTestHalving', () => {
      const w = zeros([2]);
      const opt = new SGD([w], { lr: new Halving(0.8) });
      w.grad = tensor([1, 1]);
      opt.step();
      const sd = JSON.parse(JSON.stringify(opt.stateDict())) as OptimizerStateDict;
      expect(sd.paramGroups[0].lr).toEqual({ kind: 'schedule', name: 'optimTestHalving', config: { lr0: 0.8 }, format: 1 });
      const again = new SGD([zeros([2])], { lr: 0.01 });
      again.loadStateDict(sd);
      expect(again.paramGroups[0].lr).toBeInstanceOf(Halving);
      expect(again.currentLr()).toBe(0.4);
    });
  });
});
