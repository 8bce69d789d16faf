// The update rules written over tensor ops (what a backend without fused kernels runs) against the cpu
// backend's fused kernels and against the PyTorch golden file: the two forms of each rule must agree.
import { registry } from '@nn/core';
import { cpuBackend, setBackend, tensor, type Backend, type Tensor } from '@nn/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import { build, cases, label, problem, trainStep } from './testing/golden.js';
import { Adadelta, Adagrad, Adam, AdamW, Adamax, NAdam, RMSprop, SGD, type Optimizer } from './index.js';

// No fusedUpdate and no assign(Scaled): every update runs as tensor ops and replaces storage as a GL texture would.
const composite: Backend = { ...cpuBackend, name: 'cpu-composite', fusedUpdate: undefined, assign: undefined, assignScaled: undefined, writeInPlace: undefined };
registry.register('backend', 'cpu-composite', composite);
afterEach(() => setBackend('cpu'));

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, where: string, rel = 1e-5): void {
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i] - expected[i]);
    const tol = 1e-6 + rel * Math.abs(expected[i]);
    if (!(diff <= tol)) throw new Error(`${where}[${i}]: ${actual[i]} vs ${expected[i]} (|diff| ${diff} > ${tol})`);
  }
}

describe('rules over tensor ops (no fused kernel) match PyTorch', () => {
  cases.forEach((c, i) => {
    it(label(c, i), () => {
      setBackend('cpu-composite');
      const { w, b, loss } = problem();
      expect(w.backend).toBe(composite);
      const opt = build(c, [w, b]);
      for (let s = 0; s < c.losses.length; s++) {
        close([trainStep(opt, loss)], [c.losses[s]], `step ${s} loss`);
        close(w.dataSync(), c.params_after_each_step[s].w.flat(), `step ${s} w`);
        close(b.dataSync(), c.params_after_each_step[s].b.flat(), `step ${s} b`);
      }
      // State lives on the parameter's backend.
      for (const v of Object.values(opt.getState(w)!)) if (typeof v !== 'number') expect(v.backend).toBe(composite);
    });
  });
});

type Make = (params: Tensor[]) => Optimizer;
const variants: [string, Make][] = [
  ['SGD momentum nesterov wd', (p) => new SGD(p, { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.1 })],
  ['SGD dampening maximize', (p) => new SGD(p, { lr: 0.05, momentum: 0.5, dampening: 0.3, maximize: true })],
  ['Adagrad lrDecay wd epsInsideSqrt', (p) => new Adagrad(p, { lr: 0.1, lrDecay: 0.01, weightDecay: 0.1, initialAccumulatorValue: 0.1, epsInsideSqrt: true })],
  ['RMSprop centered momentum wd', (p) => new RMSprop(p, { lr: 0.01, centered: true, momentum: 0.8, weightDecay: 0.1 })],
  ['RMSprop epsInsideSqrt', (p) => new RMSprop(p, { lr: 0.01, epsInsideSqrt: true, eps: 1e-3 })],
  ['Adadelta wd', (p) => new Adadelta(p, { lr: 1, weightDecay: 0.1 })],
  ['Adam amsgrad wd', (p) => new Adam(p, { lr: 0.01, amsgrad: true, weightDecay: 0.1 })],
  ['Adam epsInsideSqrt clipNorm', (p) => new Adam(p, { lr: 0.01, epsInsideSqrt: true, eps: 1e-4, clipNorm: 0.5 })],
  ['AdamW clipValue pair', (p) => new AdamW(p, { lr: 0.01, weightDecay: 0.1, clipValue: [-0.3, 0.2] })],
  ['NAdam decoupled', (p) => new NAdam(p, { lr: 0.01, decoupledWeightDecay: true, weightDecay: 0.1 })],
  ['NAdam epsInsideSqrt wd', (p) => new NAdam(p, { lr: 0.01, epsInsideSqrt: true, weightDecay: 0.1 })],
  ['Adamax wd', (p) => new Adamax(p, { lr: 0.01, weightDecay: 0.1 })],
];

function run(make: Make, backend: string, steps = 12): { params: Float32Array[]; state: Record<string, unknown> } {
  setBackend(backend);
  const { w, b, loss } = problem();
  const opt = make([w, b]);
  for (let s = 0; s < steps; s++) trainStep(opt, loss);
  return { params: [w.dataSync(), b.dataSync()], state: opt.stateDict().state };
}

describe('rules over tensor ops equal the fused cpu kernels', () => {
  variants.forEach(([name, make]) => {
    it(name, () => {
      const fused = run(make, 'cpu');
      const ops = run(make, 'cpu-composite');
      fused.params.forEach((p, i) => close(ops.params[i], p, `param ${i}`, 2e-5));
      expect(Object.keys(ops.state)).toEqual(Object.keys(fused.state));
    });
  });

  it('a state dict saved on one backend resumes on the other exactly where it left off', () => {
    const make: Make = (p) => new Adam(p, { lr: 0.01, amsgrad: true });
    setBackend('cpu-composite');
    const a = problem();
    const optA = make([a.w, a.b]);
    for (let s = 0; s < 5; s++) trainStep(optA, a.loss);
    const saved = JSON.parse(JSON.stringify(optA.stateDict()));
    setBackend('cpu');
    const b = problem({ w: a.w.dataSync(), b: a.b.dataSync() });
    const optB = make([b.w, b.b]);
    optB.loadStateDict(saved);
    expect(optB.stateDict()).toEqual(saved);
    const m = optB.getState(b.w)!.expAvg as Tensor;
    expect(m.backend).toBe(cpuBackend);
    expect(Array.from(m.dataSync())).toEqual(Array.from((optA.getState(a.w)!.expAvg as Tensor).dataSync()));
    trainStep(optB, b.loss);
    expect(b.w.dataSync()).not.toEqual(a.w.dataSync());
    expect(tensor([1]).backend).toBe(cpuBackend);
  });
});
