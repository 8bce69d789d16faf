import { describe, expect, it } from 'vitest';
import { oneHot, tensor, type Tensor } from '@nn/tensor';
import golden from './fixtures/losses.json';
import { BinaryCrossentropy, CategoricalCrossentropy, getLoss, Huber, MeanSquaredError, SparseCategoricalCrossentropy, type Loss } from './index.js';
import { expectClose } from './testing/close.js';

const c = golden.cases;

function check(loss: Loss, yTrue: Tensor, input: number[][], expectedLoss: number, expectedGrad: number[][]) {
  const x = tensor(input);
  x.requiresGrad = true;
  const value = loss.compute(yTrue, x);
  expectClose(value.item(), expectedLoss, 1e-5, 'loss');
  value.backward();
  expectClose(x.grad!, expectedGrad, 1e-5, 'gradient');
}

describe('losses against PyTorch 1.13', () => {
  it('binary cross-entropy from logits', () => {
    const k = c['binaryCrossentropy(fromLogits)'];
    check(new BinaryCrossentropy({ fromLogits: true }), tensor(k.y), k.logits, k.loss, k.dL_dlogits);
  });
  it('binary cross-entropy from probabilities', () => {
    const k = c['binaryCrossentropy(probabilities)'];
    check(new BinaryCrossentropy(), tensor(k.y), k.p, k.loss, k.dL_dp);
  });
  it('categorical cross-entropy from logits, one-hot and sparse labels', () => {
    const k = c['categoricalCrossentropy(fromLogits, labelSmoothing=0.0)'];
    check(new CategoricalCrossentropy({ fromLogits: true }), oneHot(k.classIndex, 5), k.logits, k.loss, k.dL_dlogits);
    check(new SparseCategoricalCrossentropy({ fromLogits: true }), tensor(k.classIndex), k.logits, k.loss, k.dL_dlogits);
  });
  it('categorical cross-entropy with label smoothing 0.1', () => {
    const k = c['categoricalCrossentropy(fromLogits, labelSmoothing=0.1)'];
    check(new CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }), oneHot(k.classIndex, 5), k.logits, k.loss, k.dL_dlogits);
  });
  it('mean squared error', () => {
    const k = c.meanSquaredError;
    check(new MeanSquaredError(), tensor(k.target), k.pred, k.loss, k.dL_dpred);
  });
  it('huber with delta 1', () => {
    const k = c['huber(delta=1)'];
    check(new Huber({ delta: 1 }), tensor(k.target), k.pred, k.loss, k.dL_dpred);
  });
});

describe('losses', () => {
  it('are stable from logits at extreme values', () => {
    const l = new BinaryCrossentropy({ fromLogits: true }).compute(tensor([[1], [0]]), tensor([[-200], [200]]));
    expectClose(l.item(), 200, 1e-6);
    const cce = new CategoricalCrossentropy({ fromLogits: true }).compute(tensor([[1, 0]]), tensor([[-500, 500]]));
    expectClose(cce.item(), 1000, 1e-6);
  });
  it('from saturated probabilities stay finite', () => {
    const l = new BinaryCrossentropy().compute(tensor([[1]]), tensor([[0]]));
    expect(Number.isFinite(l.item())).toBe(true);
  });
  it('resolve by name, Keras spellings too, and name near misses', () => {
    expect(getLoss('binary_crossentropy')).toBeInstanceOf(BinaryCrossentropy);
    expect(getLoss('mse')).toBeInstanceOf(MeanSquaredError);
    expect(() => getLoss('binaryCrossentropi')).toThrow(/Did you mean "binaryCrossentropy"/);
  });
  it('label smoothing for binary cross-entropy moves targets towards 0.5', () => {
    const smooth = new BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.2 }).compute(tensor([1]), tensor([0])).item();
    expectClose(smooth, Math.log(2), 1e-6);
  });
});
