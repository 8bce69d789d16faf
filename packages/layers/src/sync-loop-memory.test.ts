import { Adam, SGD } from '@nn/optim';
import { gpuBackend } from '@nn/tensor/gpu';
import { dropout } from '@nn/regularize';
import { add, matmul, memory, mean, neg, logSoftmax, mul, oneHot, randn, relu, setBackend, setSeed, sum, tensor, zeros, type Tensor } from '@nn/tensor';
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

  it('on the gpu.js backend (its plain-Node mode here) the live-texture count holds flat too', () => {
    setBackend('gpujs');
    try {
      setSeed(3);
      const params = [randn([6, 8]), zeros([8]), randn([8, 3]), zeros([3])];
      for (const p of params) p.requiresGrad = true;
      const [w1, b1, w2, b2] = params;
      const opt = new SGD(params, { lr: 0.05, momentum: 0.9 });
      const x = randn([10, 6]);
      const y = oneHot(tensor([0, 1, 2, 0, 1, 2, 0, 1, 2, 0]), 3);
      const counts: number[] = [];
      for (let step = 0; step < 200; step++) {
        opt.zeroGrad();
        const loss = neg(mean(sum(mul(y, logSoftmax(add(matmul(relu(add(matmul(x, w1), b1)), w2), b2))), -1)));
        loss.backward();
        opt.step();
        loss.dispose();
        if (step === 0 || (step + 1) % 50 === 0) counts.push(gpuBackend.memory().liveTextures);
      }
      expect(new Set(counts).size, `live textures: ${counts.join(', ')}`).toBe(1);
    } finally {
      setBackend('cpu');
    }
  });
});
