import { describe, expect, it } from 'vitest';
import { randn, setSeed, tensor } from '@nn/tensor';
import { dense, sequential } from './index.js';
import { PlainSGD } from './testing/sgd.js';

function blobs(n: number) {
  setSeed(1);
  const x = randn([n, 2]).dataSync();
  const xs: number[][] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    xs.push([x[2 * i] + (c ? 2 : -2), x[2 * i + 1] + (c ? 2 : -2)]);
    ys.push(c);
  }
  return { x: tensor(xs), y: tensor(ys) };
}

describe('Model', () => {
  it('fits a separable problem and reports Keras-style history', async () => {
    const { x, y } = blobs(128);
    const model = sequential([dense(8, { activation: 'relu', inputShape: [2] }), dense(1, { activation: 'sigmoid' })]);
    model.compile({ optimizer: new PlainSGD(0.5), loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const h = await model.fit(x, y, { epochs: 10, batchSize: 16, verbose: 0, validationSplit: 0.25 });
    expect(h.history.loss).toHaveLength(10);
    expect(h.history.val_accuracy).toHaveLength(10);
    expect(h.history.loss[9]).toBeLessThan(h.history.loss[0]);
    const [, acc] = model.evaluate(x, y);
    expect(acc).toBeGreaterThan(0.95);
    expect(model.predict(x).shape).toEqual([128, 1]);
  });
});
