import { Adam } from '@nn/optim';
import { dropout } from '@nn/regularize';
import { add, matmul, memory, mean, neg, logSoftmax, mul, oneHot, randn, relu, setSeed, sum, tensor, zeros, type Tensor } from '@nn/tensor';
import { describe, expect, it } from 'vitest';
import { dense } from './dense.js';
import { sparseCategoricalCrossentropy } from './losses.js';
import { batchNorm } from './normalization.js';
import { sequential } from './sequential.js';

/**
 * Synchronous training loops with no tidy and no await: FinalizationRegistry callbacks never run inside
 * them, so only deterministic release keeps memory flat. backward() releases the graph (intermediates,
 * gradients of intermediates, ops' constants, loss targets, dropout masks), zeroGrad releases the gradients
 * backward made; the user disposes what they make themselves: the loss once read.
 */
describe('memory in a synchronous loop', () => {
  it('a hand-written MLP loop (ops, backward, Adam) holds a flat live-buffer count over 10,000 steps', () => {
    setSeed(0);
    const params = [randn([20, 16]), zeros([16]), randn([16, 4]), zeros([4])];
    for (const p of params) p.requiresGrad = true;
    const [w1, b1, w2, b2] = params;
    const opt = new Adam(params, { lr: 1e-3 });
    const x = randn([8, 20]);
    const y = oneHot(tensor([0, 1, 2, 3, 0, 1, 2, 3]), 4);
    const counts: number[] = [];
    let last = 0;
    for (let step = 0; step < 10_000; step++) {
      opt.zeroGrad();
      const logits = add(matmul(relu(add(matmul(x, w1), b1)), w2), b2);
      const loss: Tensor = neg(mean(sum(mul(y, logSoftmax(logits)), -1)));
      loss.backward();
      opt.step();
      last = loss.item();
      loss.dispose();
      if (step === 0 || (step + 1) % 2_500 === 0) counts.push(memory().buffers);
    }
    expect(Number.isFinite(last)).toBe(true);
    // After the first step (Adam's state appears) the count never moves.
    expect(new Set(counts).size).toBe(1);
  });

  it('a loop over layers (batchNorm, dropout, sparse crossentropy) holds flat too', () => {
    setSeed(1);
    const model = sequential([dense(16, { activation: 'relu', inputShape: [10] }), batchNorm(), dropout(0.3, { seed: 2 }), dense(3)]);
    const lossFn = sparseCategoricalCrossentropy({ fromLogits: true });
    const x = randn([12, 10]);
    const y = tensor([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]);
    model.ensureBuilt(x.shape);
    const opt = new Adam(model.trainableWeights, { lr: 1e-3 });
    const counts: number[] = [];
    for (let step = 0; step < 1_000; step++) {
      opt.zeroGrad();
      const loss = lossFn.compute(y, model.apply(x, { training: true }));
      loss.backward();
      opt.step();
      loss.dispose();
      if (step === 0 || (step + 1) % 250 === 0) counts.push(memory().buffers);
    }
    expect(new Set(counts).size).toBe(1);
  });
});
