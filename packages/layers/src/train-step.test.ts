import { describe, expect, it } from 'vitest';
import { SGD } from '@nn/optim';
import { memory, tensor } from '@nn/tensor';
import { dense, sequential, trainStep } from './index.js';

// A linear model y = x·w + b with hand-picked weights, so one step can be computed by hand.
function linear() {
  const model = sequential([dense(1, { inputShape: [2] })]);
  model.compile({ optimizer: new SGD({ lr: 0.1 }), loss: 'meanSquaredError', metrics: ['mse'] });
  model.setWeights([tensor([[0.5], [-1]]), tensor([0.25])]);
  return model;
}
const x = tensor([[1, 2], [3, -1]]);
const y = tensor([[1], [0]]);

describe('trainStep', () => {
  it('does the forward pass, backward and update, returning the loss before the update', () => {
    const model = linear();
    // pred = [0.5 − 2 + 0.25, 1.5 + 1 + 0.25] = [−1.25, 2.75]; err = pred − y = [−2.25, 2.75]
    // loss = (2.25² + 2.75²)/2 = 6.3125; dL/dw = Σ err·x = [−2.25 + 8.25, −4.5 − 2.75] = [6, −7.25]; dL/db = 0.5
    const loss = trainStep(model, x, y);
    expect(loss.shape).toEqual([]);
    expect(loss.item()).toBeCloseTo(6.3125, 5);
    const [w, b] = model.getWeights().map((t) => Array.from(t.dataSync()));
    expect(w[0]).toBeCloseTo(0.5 - 0.6, 6);
    expect(w[1]).toBeCloseTo(-1 + 0.725, 6);
    expect(b[0]).toBeCloseTo(0.25 - 0.05, 6);
    expect(model.metrics[0].result()).toBeCloseTo(6.3125, 5);
  });

  it('clips by norm as the optimizer does (in place, the gradients being its own): clipNorm 1 scales the step to norm 1', () => {
    // The gradient [6, −7.25, 0.5] has norm √(36 + 52.5625 + 0.25) = √88.8125; SGD lr 0.1 moves by 0.1·g/‖g‖.
    const model = linear();
    model.compile({ optimizer: new SGD({ lr: 0.1, clipNorm: 1 }), loss: 'meanSquaredError' });
    trainStep(model, x, y).dispose();
    const n = Math.sqrt(88.8125);
    const [w, b] = model.getWeights().map((t) => Array.from(t.dataSync()));
    expect(w[0]).toBeCloseTo(0.5 - (0.1 * 6) / n, 6);
    expect(w[1]).toBeCloseTo(-1 + (0.1 * 7.25) / n, 6);
    expect(b[0]).toBeCloseTo(0.25 - (0.1 * 0.5) / n, 6);
    expect((model.optimizer as SGD).lastGradNorm).toBeCloseTo(n, 4);
    // The optimizer keeps the last norm (a scalar tensor until read); the step leaves nothing else behind.
    const start = memory().tensors;
    trainStep(model, x, y).dispose();
    expect((model.optimizer as SGD).lastGradNorm).toBeGreaterThan(0);
    expect(memory().tensors).toBe(start);
  });

  it('releases every gradient it made and nothing else leaks over many steps', () => {
    const model = linear();
    trainStep(model, x, y).dispose();
    const start = memory().tensors;
    for (let i = 0; i < 50; i++) trainStep(model, x, y, { updateMetrics: false }).dispose();
    expect(memory().tensors).toBe(start);
    for (const p of model.trainableWeights) expect(p.grad).toBeNull();
  });

  it('releases the gradients when the update throws, leaving nothing to the garbage collector', () => {
    const model = linear();
    trainStep(model, x, y).dispose();
    const start = memory();
    expect(() => trainStep(model, x, y, { beforeUpdate: () => { throw new Error('no update'); } })).toThrow('no update');
    for (const p of model.trainableWeights) expect(p.grad).toBeNull();
    // The step's loss (the caller's, lost with the throw) is the one tensor left.
    expect(memory().tensors).toBe(start.tensors + 1);
  });

  it('is the step trainOnBatch takes', () => {
    const a = linear();
    const b = linear();
    for (let i = 0; i < 3; i++) {
      const mine = trainStep(a, x, y);
      expect(mine.item()).toBe(b.trainOnBatch(x, y)[0]);
    }
    expect(a.getWeights().map((t) => Array.from(t.dataSync()))).toEqual(b.getWeights().map((t) => Array.from(t.dataSync())));
  });

  it('refuses an uncompiled model', () => {
    const model = sequential([dense(1, { inputShape: [2] })]);
    expect(() => trainStep(model, x, y)).toThrow(/trainStep: compile the model first/);
  });
});
