import { SGD } from '@nn/optim';
import { tensor } from '@nn/tensor';
import { describe, expect, it } from 'vitest';
import { dense, getLoss, sequential } from './index.js';

describe("a dense layer's sigmoid output keeps its logits", () => {
  it('binaryCrossentropy of a saturated unit is exact (softplus(z) − y·z) and still has a gradient', () => {
    const model = sequential([dense(1, { activation: 'sigmoid', inputShape: [1] })]);
    model.compile({ optimizer: new SGD(), loss: 'binaryCrossentropy' });
    model.setWeights([[[50]], [0]]);
    const kernel = model.trainableWeights[0];
    const loss = getLoss('binaryCrossentropy').compute(tensor([[0]]), model.call(tensor([[1]]), true));
    // z = 50, y = 0: softplus(50) = 50; a clipped probability would give −ln(1e-7) ≈ 16.1 and no gradient
    expect(loss.item()).toBeCloseTo(50, 4);
    loss.backward();
    expect(kernel.grad!.item()).toBeCloseTo(1, 6); // (σ(50) − 0)·x
  });
});
