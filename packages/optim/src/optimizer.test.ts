import { assign, mul, sign, sub, tensor, tidy, zeros, type Tensor } from '@nn/tensor';
import { describe, expect, it } from 'vitest';
import { Adadelta, Adagrad, Adam, AdamW, Adamax, NAdam, RMSprop, SGD, Optimizer, type ParamState, type Resolved } from './index.js';
import { oneStep, param, values } from './testing/one-step.js';
import { lr, type Lr } from './validate.js';

describe('update rules on one step, by hand', () => {
  it('SGD: w -= lr * (g + wd * w); momentum starts at the first gradient', () => {
    const p = param([1, -2]);
    const opt = new SGD([p], { lr: 0.1, momentum: 0.9, weightDecay: 0.5 });
    const d = [0.5 + 0.5, 1 + 0.5 * -2]; // g + wd*w
    expect(oneStep(opt, p, [0.5, 1])).toEqual([1 - 0.1 * d[0], -2 - 0.1 * d[1]].map(Math.fround));
    expect(Array.from((opt.getState(p)!.momentumBuffer as Tensor).dataSync())).toEqual(d);
  });

  it('Adam: the first step moves every coordinate by lr (bias correction)', () => {
    const p = param([1, -2, 3]);
    const after = oneStep(new Adam([p], { lr: 0.01 }), p, [0.5, -4, 1e-3]);
    expect(after[0]).toBeCloseTo(0.99, 6);
    expect(after[1]).toBeCloseTo(-1.99, 6);
    expect(after[2]).toBeCloseTo(3 - 0.01 * (1e-3 / (1e-3 + 1e-8)), 6);
  });

  it('AdamW decays the weight directly; Adam adds it to the gradient (so it gets normalized away)', () => {
    const p = param([2]);
    expect(oneStep(new AdamW([p], { lr: 0.1, weightDecay: 0.5 }), p, [0])[0]).toBeCloseTo(2 * (1 - 0.05), 6);
    const q = param([2]);
    expect(oneStep(new Adam([q], { lr: 0.1, weightDecay: 0.5 }), q, [0])[0]).toBeCloseTo(1.9, 6);
    expect(new AdamW().defaults.weightDecay).toBe(0.01);
    expect(new Adam().defaults.weightDecay).toBe(0);
  });

  it('AMSGrad keeps the running maximum of v', () => {
    const p = param([0]);
    const opt = new Adam([p], { lr: 0.1, betas: [0, 0.5], amsgrad: true });
    oneStep(opt, p, [4]);
    oneStep(opt, p, [0]);
    const st = opt.getState(p)!;
    expect((st.expAvgSq as Tensor).dataSync()[0]).toBe(4); // 0.5*8 + 0.5*0
    expect((st.maxExpAvgSq as Tensor).dataSync()[0]).toBe(8);
  });

  it('Adagrad: PyTorch form g/(sqrt(G)+eps) by default, the course form g/sqrt(G+eps) on request', () => {
    const p = param([0]);
    expect(oneStep(new Adagrad([p], { lr: 1, eps: 0.5 }), p, [2])[0]).toBeCloseTo(-2 / (2 + 0.5), 6);
    const q = param([0]);
    expect(oneStep(new Adagrad([q], { lr: 1, eps: 0.5, epsInsideSqrt: true }), q, [2])[0]).toBeCloseTo(-2 / Math.sqrt(4.5), 6);
    const r = param([0]);
    const decayed = new Adagrad([r], { lr: 1, lrDecay: 1, initialAccumulatorValue: 1, eps: 0 });
    oneStep(decayed, r, [1]); // lr 1, G = 2
    expect(oneStep(decayed, r, [1])[0]).toBeCloseTo(-1 / Math.sqrt(2) - 0.5 / Math.sqrt(3), 6); // lr 1/2, G = 3
  });

  it('RMSprop: PyTorch form by default, course form on request; centered subtracts the mean squared', () => {
    const p = param([0]);
    expect(oneStep(new RMSprop([p], { lr: 1, alpha: 0.5, eps: 0.1 }), p, [2])[0]).toBeCloseTo(-2 / (Math.sqrt(2) + 0.1), 6);
    const q = param([0]);
    expect(oneStep(new RMSprop([q], { lr: 1, alpha: 0.5, eps: 0.1, epsInsideSqrt: true }), q, [2])[0]).toBeCloseTo(-2 / Math.sqrt(2.1), 6);
    const r = param([0]);
    expect(oneStep(new RMSprop([r], { lr: 1, alpha: 0.5, eps: 0, centered: true }), r, [2])[0]).toBeCloseTo(-2 / Math.sqrt(2 - 1), 6);
  });

  it('Adadelta: the first step is sqrt(eps)/sqrt(v + eps) * g', () => {
    const p = param([0]);
    const v = 0.1 * 4;
    expect(oneStep(new Adadelta([p], { eps: 1e-6 }), p, [2])[0]).toBeCloseTo(-(Math.sqrt(1e-6) / Math.sqrt(v + 1e-6)) * 2, 7);
  });

  it('Adamax: u = max(b2 u, |g| + eps); the first step moves by lr', () => {
    const p = param([1]);
    expect(oneStep(new Adamax([p], { lr: 0.1 }), p, [-3])[0]).toBeCloseTo(1.1, 6);
  });

  it("NAdam: the paper's (PyTorch >= 2.0) form by default, PyTorch 1.13's double-counted mu on request", () => {
    const mu = (t: number) => 0.9 * (1 - 0.5 * 0.96 ** (t * 4e-3));
    const [m1, m2] = [mu(1), mu(2)];
    const p = param([0]);
    expect(oneStep(new NAdam([p], { lr: 0.01 }), p, [-3])[0]).toBeCloseTo(0.01 * (1 + (0.1 * m2) / (1 - m1 * m2)), 7);
    const q = param([0]);
    expect(oneStep(new NAdam([q], { lr: 0.01, legacyMuProduct: true }), q, [-3])[0]).toBeCloseTo(0.01 * (1 + (0.1 * m2) / (1 - m1 * m1 * m2)), 7);
  });

  it('NAdam: decoupledWeightDecay shrinks the weight first', () => {
    const p = param([2]);
    const q = param([2]);
    const a = oneStep(new NAdam([p], { lr: 0.1, weightDecay: 0.5, decoupledWeightDecay: true }), p, [0]);
    const b = oneStep(new NAdam([q], { lr: 0.1, weightDecay: 0.5 }), q, [0]);
    expect(a[0]).toBeCloseTo(1.9, 6);
    expect(b[0]).toBeLessThan(1.9);
  });
});

describe('the optimizer protocol', () => {
  it('maximize ascends', () => {
    for (const Cls of [SGD, Adam, Adagrad, RMSprop, Adadelta, AdamW, NAdam, Adamax]) {
      const p = param([0]);
      const q = param([0]);
      oneStep(new (Cls as new (ps: Tensor[], o: object) => Optimizer)([p], { maximize: true }), p, [1]);
      oneStep(new (Cls as new (ps: Tensor[], o: object) => Optimizer)([q], {}), q, [-1]);
      expect(values(p)).toEqual(values(q));
      expect(values(p)[0]).toBeGreaterThan(0);
    }
  });

  it('zeroGrad clears the gradients; parameters without a gradient are skipped and get no state', () => {
    const p = param([1]);
    const q = param([1]);
    const opt = new Adam([p, q], { lr: 0.1 });
    p.grad = tensor([1]);
    opt.step();
    expect(values(q)).toEqual([1]);
    expect(opt.getState(q)).toBeUndefined();
    expect(opt.getState(p)!.step).toBe(1);
    opt.zeroGrad();
    expect(p.grad).toBeNull();
    opt.step();
    expect(opt.getState(p)!.step).toBe(1);
    expect(opt.stepCount).toBe(2);
  });

  it('updates in place: the parameter keeps its identity and buffer', () => {
    const p = param([1, 2]);
    const opt = new SGD([p], { lr: 0.5 });
    const storage = p.storage;
    oneStep(opt, p, [1, 1]);
    expect(p.storage).toBe(storage);
    expect(values(p)).toEqual([0.5, 1.5]);
  });

  it('state made by a first step inside a tidy outlives it, and so does state loaded inside one', () => {
    const p = param([1, 2]);
    const opt = new Adam([p], { lr: 0.1 });
    tidy(() => oneStep(opt, p, [1, -1]));
    for (const v of [opt.getState(p)!.expAvg, opt.getState(p)!.expAvgSq]) expect((v as Tensor).isDisposed).toBe(false);
    const sd = opt.stateDict();
    const q = param(values(p));
    const twin = new Adam([q], { lr: 0.1 });
    tidy(() => twin.loadStateDict(sd));
    expect((twin.getState(q)!.expAvg as Tensor).isDisposed).toBe(false);
    // Both go on from the same state: the second step agrees, which reads every moment.
    expect(oneStep(twin, q, [0.5, 0.5])).toEqual(oneStep(opt, p, [0.5, 0.5]));
  });

  it('param groups override options; options left out come from the optimizer', () => {
    const w = param([1]);
    const b = param([1]);
    const opt = new SGD([{ params: [w] }, { params: [b], lr: 0.5 }], { lr: 0.1, momentum: 0.9 });
    expect(opt.paramGroups.map((g) => [g.lr, g.momentum, g.params.length])).toEqual([[0.1, 0.9, 1], [0.5, 0.9, 1]]);
    w.grad = tensor([1]);
    b.grad = tensor([1]);
    opt.step();
    expect([values(w)[0], values(b)[0]]).toEqual([Math.fround(0.9), 0.5]);
    opt.paramGroups[1].lr = 0;
    opt.step();
    expect(values(b)[0]).toBe(0.5);
  });

  it('built without parameters, then bound with addParamGroup (what model.compile does)', () => {
    const opt = new Adam({ lr: 0.02 });
    expect(opt.paramGroups).toHaveLength(0);
    expect(opt.currentLr()).toBe(0.02);
    opt.step(); // nothing to do
    const p = param([1]);
    opt.addParamGroup({ params: [p] });
    expect(opt.paramGroups[0]).toMatchObject({ lr: 0.02, betas: [0.9, 0.999] });
    p.grad = tensor([1]);
    opt.step();
    expect(values(p)[0]).toBeCloseTo(0.98, 6);
  });

  it('step(closure) calls the closure first and returns its loss', () => {
    const p = param([3]);
    const opt = new SGD([p], { lr: 0.1 });
    const loss = opt.step(() => {
      opt.zeroGrad();
      const l = p.square().sum();
      l.backward();
      return l.item();
    });
    expect(loss).toBe(9);
    expect(values(p)[0]).toBeCloseTo(2.4, 6);
  });

  it('does not touch the gradient it reads', () => {
    const p = param([1, 2]);
    const opt = new RMSprop([p], { lr: 0.1, weightDecay: 0.1, clipValue: 0.5 });
    p.grad = tensor([3, -4]);
    opt.step();
    expect(values(p.grad)).toEqual([3, -4]);
  });

  it('defaults are PyTorch’s', () => {
    expect(new SGD().defaults).toEqual({ lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false });
    expect(new Adam().defaults).toEqual({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, epsInsideSqrt: false, weightDecay: 0, amsgrad: false, maximize: false });
    expect(new Adagrad().defaults).toMatchObject({ lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, epsInsideSqrt: false });
    expect(new RMSprop().defaults).toMatchObject({ lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, epsInsideSqrt: false });
    expect(new Adadelta().defaults).toMatchObject({ lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0 });
    expect(new NAdam().defaults).toMatchObject({ lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3, decoupledWeightDecay: false, legacyMuProduct: false });
    expect(new Adamax().defaults).toMatchObject({ lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 });
  });

  it('toString and name', () => {
    const opt = new AdamW([param([1]), param([2])]);
    expect(String(opt)).toBe('AdamW(1 group, 2 params, step 0)');
    expect(opt.name).toBe('adamw');
    expect(zeros([1])).toBeDefined();
  });
});

describe('review fixes', () => {
  it('a disposed gradient is named as such (the error said "backend: this tensor … has been disposed")', () => {
    const p = param([1, 2]);
    const opt = new SGD([p]);
    p.grad = tensor([1, 1]);
    p.grad.dispose();
    expect(() => opt.step()).toThrow('SGD: the gradient of a parameter of shape [2] has been disposed; set its grad to null to skip it');
    expect(values(p)).toEqual([1, 2]);
  });
});

describe('a custom optimizer over tensor ops (the README recipe)', () => {
  class SignSGD extends Optimizer<{ lr: Lr }> {
    constructor(params: Tensor[], options: { lr?: number; clipValue?: number } = {}) {
      super({ name: 'signsgd', title: 'SignSGD', defaults: { lr: 0.1 }, checks: { lr }, state: { step: 'number' } }, params, options);
    }
    protected initState(): ParamState {
      return { step: 0 };
    }
    protected update(w: Tensor, g: Tensor, st: ParamState, hp: Resolved<{ lr: Lr }>): void {
      (st.step as number)++;
      assign(w, sub(w, mul(sign(g), hp.lr)), { move: true });
    }
  }

  it('updates in place with assign, after clipping, and saves its state', () => {
    const p = param([1, -2, 3]);
    const opt = new SignSGD([p], { lr: 0.5, clipValue: 1 });
    p.grad = tensor([4, -0.25, 0]);
    opt.step();
    expect(values(p)).toEqual([0.5, -1.5, 3]);
    expect(Array.from(p.grad.dataSync())).toEqual([4, -0.25, 0]);
    expect(opt.stateDict().state).toEqual({ 0: { step: 1 } });
  });
});
