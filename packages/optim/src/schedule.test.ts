import { tensor, zeros } from '@nn/tensor';
import { describe, expect, it } from 'vitest';
import { Adam, Adagrad, RMSprop, SGD } from './index.js';

describe('lr as a schedule object (duck-typed { lrAt(step) })', () => {
  it('reads lrAt(stepCount) at every step: step 0 is the first update', () => {
    const seen: number[] = [];
    const schedule = {
      lrAt: (t: number) => {
        seen.push(t);
        return 0.1 * (t + 1);
      },
    };
    const w = zeros([1]);
    const opt = new SGD([w], { lr: schedule });
    expect(opt.currentLr()).toBeCloseTo(0.1, 12);
    for (let t = 0; t < 3; t++) {
      w.grad = tensor([1]);
      opt.step();
    }
    // w = -(0.1 + 0.2 + 0.3)
    expect(w.dataSync()[0]).toBeCloseTo(-0.6, 6);
    expect(seen.filter((_, i) => i > 0)).toEqual([0, 1, 2]);
    expect(opt.stepCount).toBe(3);
    expect(opt.currentLr()).toBeCloseTo(0.4, 12);
    expect(opt.paramGroups[0].lr).toBe(schedule);
  });

  it('a schedule per parameter group', () => {
    const w = zeros([1]);
    const v = zeros([1]);
    const opt = new SGD([w], { lr: 1 });
    opt.addParamGroup({ params: [v], lr: { lrAt: () => 0.25 } });
    w.grad = tensor([1]);
    v.grad = tensor([1]);
    opt.step();
    expect([w.dataSync()[0], v.dataSync()[0]]).toEqual([-1, -0.25]);
    expect(opt.currentLr(1)).toBe(0.25);
    expect(() => opt.currentLr(2)).toThrow(/no parameter group 2/);
  });

  it('a schedule giving a negative lr is an error naming the step', () => {
    const w = zeros([1]);
    const opt = new SGD([w], { lr: { lrAt: (t: number) => 0.1 - t } });
    w.grad = tensor([1]);
    opt.step();
    expect(() => opt.step()).toThrow(/SGD: the lr schedule gave -0.9 at step 1/);
  });

  it('momentumAt drives SGD momentum and RMSprop momentum; undefined leaves the option in force', () => {
    const run = (opt: SGD | RMSprop, w: ReturnType<typeof zeros>) => {
      for (let t = 0; t < 4; t++) {
        w.grad = tensor([1, -2]);
        opt.step();
      }
      return Array.from(w.dataSync());
    };
    const cyc = { lrAt: () => 0.1, momentumAt: (t: number) => (t < 2 ? 0.5 : 0.9) };
    const w1 = zeros([2]);
    const a = run(new SGD([w1], { lr: cyc, momentum: 0.1 }), w1);
    // the same by hand: changing the option between steps
    const w2 = zeros([2]);
    const manual = new SGD([w2], { lr: 0.1, momentum: 0.5 });
    for (let t = 0; t < 4; t++) {
      manual.paramGroups[0].momentum = t < 2 ? 0.5 : 0.9;
      w2.grad = tensor([1, -2]);
      manual.step();
    }
    expect(a).toEqual(Array.from(w2.dataSync()));

    const none = { lrAt: () => 0.1, momentumAt: () => undefined };
    const w3 = zeros([2]);
    const w4 = zeros([2]);
    expect(run(new RMSprop([w3], { lr: none, momentum: 0.3 }), w3)).toEqual(run(new RMSprop([w4], { lr: 0.1, momentum: 0.3 }), w4));
  });

  it("momentumAt drives Adam's beta1 (beta2 unchanged)", () => {
    const w1 = zeros([2]);
    const a = new Adam([w1], { lr: { lrAt: () => 0.01, momentumAt: () => 0.8 }, betas: [0.9, 0.99] });
    const w2 = zeros([2]);
    const b = new Adam([w2], { lr: 0.01, betas: [0.8, 0.99] });
    for (let t = 0; t < 5; t++) {
      w1.grad = tensor([1, -t]);
      w2.grad = tensor([1, -t]);
      a.step();
      b.step();
    }
    expect(Array.from(w1.dataSync())).toEqual(Array.from(w2.dataSync()));
  });

  it('optimizers without momentum ignore momentumAt', () => {
    const w = zeros([1]);
    const opt = new Adagrad([w], { lr: { lrAt: () => 0.1, momentumAt: () => 0.99 } });
    w.grad = tensor([2]);
    opt.step();
    expect(w.dataSync()[0]).toBeCloseTo(-0.1, 6);
  });
});
