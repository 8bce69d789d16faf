import { describe, expect, it } from 'vitest';
import { SGD } from '@nn/optim';
import { transpose, tensor } from '@nn/tensor';
import golden from './fixtures/mlp.json';
import { binaryCrossentropy, dense, sequential } from './index.js';
import { expectClose } from './testing/close.js';

describe('a whole training run against PyTorch 1.13', () => {
  it('Dense 30-16-8-1, BCE from logits, SGD lr 0.1 momentum 0.9: 8 losses and the final weights', () => {
    const [d0, d1, d2, d3] = golden.dims;
    const model = sequential([
      dense(d1, { activation: 'relu', inputShape: [d0] }),
      dense(d2, { activation: 'relu' }),
      dense(d3),
    ]);
    model.compile({ optimizer: new SGD({ lr: golden.optimizer.lr, momentum: golden.optimizer.momentum }), loss: binaryCrossentropy({ fromLogits: true }) });
    // PyTorch's Linear weight is [out, in]; our kernel is [in, out].
    model.setWeights(golden.W_init.flatMap((w, i) => [transpose(tensor(w)), tensor(golden.b_init[i])]));
    const losses: number[] = [];
    for (let s = 0; s < golden.losses.length; s++) {
      const [loss] = model.trainOnBatch(golden.X.slice(8 * s, 8 * s + 8), golden.Y.slice(8 * s, 8 * s + 8));
      losses.push(loss);
    }
    expectClose(losses, golden.losses, 1e-5, 'losses');
    const weights = model.getWeights();
    expect(weights).toHaveLength(6);
    golden.W_final.forEach((w, i) => {
      expectClose(transpose(weights[2 * i]), w, 1e-5, `W${i}`);
      expectClose(weights[2 * i + 1], golden.b_final[i], 1e-5, `b${i}`);
    });
  });
});
