import { describe, expect, it } from 'vitest';
import { deserialize, registry, serialize } from '@nn/core';
import { stepDecay } from '@nn/schedule';
import { SGD } from '@nn/optim';
import { randn, setSeed, tensor } from '@nn/tensor';
import {
  activation, AUC, batchNorm, dense, Dense, flatten, getLayerClass, layerNorm, maxout, modelFromJSON, Precision, Recall, residual, sequential, type Layer,
} from './index.js';
import { roundTrip } from './testing/round-trip.js';

describe('dense', () => {
  it('has a Keras-layout kernel [in, out] and bias [out], Keras defaults (glorotUniform, zeros)', () => {
    const d = dense(3, { inputShape: [4] });
    d.ensureBuilt([null, 4]);
    const [k, b] = d.getWeights();
    expect(k.shape).toEqual([4, 3]);
    expect(b.toArray()).toEqual([0, 0, 0]);
    expect(Math.max(...Array.from(k.dataSync(), Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / 7));
    d.setWeights([[[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]], [1, 2, 3]]);
    expect(d.apply(tensor([[1, 2, 3, 4]])).toArray()).toEqual([[6, 8, 10]]);
  });

  it('useBias false, learnable activations as options, and errors on bad input', () => {
    const d = dense(2, { useBias: false, activation: 'prelu' });
    d.ensureBuilt([1, 5]);
    expect(d.getWeights().map((w) => w.shape)).toEqual([[5, 2], [2]]);
    expect(() => d.apply(tensor([[1, 2]]))).toThrow(/expected inputs with 5 features/);
    expect(() => dense(0)).toThrow(/positive integer/);
    expect(() => dense(2, { activation: 'relux' })).toThrow(/Did you mean "relu"/);
  });

  it('resolves regularizer, constraint and initializer names where the layer is written, not at build', () => {
    // @nn/regularize is not imported here: the error names the package that provides regularizers.
    expect(() => dense(2, { kernelRegularizer: 'l2' })).toThrow(/Unknown regularizer "l2". regularizers are provided by @nn\/regularize/);
    expect(() => dense(2, { biasConstraint: 'maxNorm' })).toThrow(/Unknown constraint "maxNorm"/);
    expect(() => dense(2, { kernelInitializer: 'glorotUnifrom' })).toThrow(/Did you mean "glorotUniform"/);
  });
});

describe('layers round-trip through the registry and JSON', () => {
  const all: [string, () => Layer][] = [
    ['dense', () => dense(4, { activation: 'tanh', kernelInitializer: 'heUniform', useBias: false })],
    ['batchNorm', () => batchNorm({ momentum: 0.01, eps: 1e-3 })],
    ['layerNorm', () => layerNorm({ eps: 1e-6 })],
    ['maxout', () => maxout(3, { pieces: 4 })],
    ['flatten', () => flatten()],
    ['residual', () => residual(sequential([dense(4), activation('elu', { alpha: 0.5 })]))],
    ['sequential', () => sequential([dense(4, { activation: 'swish' }), dense(2, { activation: activation('swish', { beta: 2, learnable: true }) })])],
  ];
  for (const [name, make] of all) {
    it(`${name}: identical config and identical outputs after copying the weights`, () => {
      setSeed(1);
      const { json, y, copied } = roundTrip(make(), randn([3, 4]));
      expect(json.name).toBe(name);
      expect(Array.from(copied.dataSync())).toEqual(Array.from(y.dataSync()));
    });
  }

  it('every activation is registered and round-trips', () => {
    const names = registry.list('activation');
    for (const n of ['step', 'sign', 'sigmoid', 'logistic', 'tanh', 'relu', 'leakyRelu', 'prelu', 'elu', 'softplus', 'swish', 'maxout', 'softmax', 'gelu', 'selu', 'mish']) {
      expect(names).toContain(n);
      const a = activation(n);
      const copy = deserialize<Layer>(serialize(a));
      expect(copy.constructor).toBe(a.constructor);
    }
    expect(getLayerClass('dense')).toBe(Dense);
    expect(registry.list('loss')).toEqual(expect.arrayContaining(['binaryCrossentropy', 'huber']));
    expect(registry.list('metric')).toEqual(expect.arrayContaining(['precision', 'recall', 'auc', 'mae', 'mse']));
  });

  it('a dense config names a plain activation by name, as Keras', () => {
    expect(dense(2, { activation: 'relu' }).getConfig().activation).toBe('relu');
    expect(typeof dense(2, { activation: activation('leakyRelu', { slope: 0.3 }) }).getConfig().activation).toBe('object');
  });
});

describe('residual', () => {
  it('refuses a block that changes the shape, naming both shapes with the batch axis as None', () => {
    const model = sequential([dense(4, { inputShape: [3] }), residual(sequential([dense(5)]), { name: 'res' })]);
    expect(() => model.predict([[1, 2, 3]])).toThrow('res: the block maps shape (None, 4) to (None, 5); a residual block must keep the shape');
  });
});

describe('batchNorm in a model', () => {
  it('uses batch statistics in training and running averages in inference', () => {
    const bn = batchNorm({ momentum: 1 });
    const x = tensor([[1, 10], [3, 30]]);
    const train = bn.apply(x, { training: true }).dataSync();
    expect(Array.from(train).map((v) => Math.round(v * 1000) / 1000)).toEqual([-1, -1, 1, 1]);
    // momentum 1: the running stats are the batch's (variance unbiased: 2 and 200)
    expect(Array.from(bn.runningMean.dataSync())).toEqual([2, 20]);
    expect(Array.from(bn.runningVar.dataSync())).toEqual([2, 200]);
    expect(bn.nonTrainableWeights).toHaveLength(2);
  });

  it('frozen (itself or by a block holding it) runs in inference mode and keeps its running statistics, as Keras', async () => {
    const x = tensor([[1, 10], [3, 30], [2, 5], [0, 1]]);
    const y = tensor([[1], [0], [1], [0]]);
    for (const freeze of ['layer', 'block', 'block from JSON'] as const) {
      const bn = batchNorm();
      const block = sequential([dense(2, { inputShape: [2] }), bn]);
      let model = sequential([block, dense(1, { activation: 'sigmoid' })]);
      if (freeze === 'layer') bn.trainable = false;
      else block.trainable = false;
      if (freeze === 'block from JSON') model = modelFromJSON(JSON.stringify(model)) as typeof model;
      model.compile({ optimizer: new SGD({ lr: 0.1 }), loss: 'binaryCrossentropy' });
      model.predict(x);
      const before = model.getWeights().map((w) => Array.from(w.dataSync()));
      const frozenBn = ((model.layers[0] as typeof block).layers[1]) as typeof bn;
      expect(Array.from(frozenBn.apply(tensor([[1, 2], [3, 4]]), { training: true }).dataSync())).toEqual(Array.from(frozenBn.apply(tensor([[1, 2], [3, 4]])).dataSync()));
      await model.fit(x, y, { epochs: 2, batchSize: 2, verbose: 0 });
      const after = model.getWeights().map((w) => Array.from(w.dataSync()));
      // gamma, beta, running mean and running variance unchanged; the block's dense too when the block is frozen.
      expect(after.slice(2, 6), freeze).toEqual(before.slice(2, 6));
      if (freeze === 'layer') expect(after[0]).not.toEqual(before[0]);
      else expect(after.slice(0, 2), freeze).toEqual(before.slice(0, 2));
      expect(after[6]).not.toEqual(before[6]);
    }
  });
});

describe('metrics', () => {
  it('precision, recall and AUC accumulate over batches', () => {
    const p = new Precision();
    const r = new Recall();
    const auc = new AUC();
    for (const m of [p, r, auc]) {
      m.update(tensor([1, 0, 1]), tensor([0.9, 0.8, 0.2]));
      m.update(tensor([0, 1]), tensor([0.1, 0.7]));
    }
    expect(p.result()).toBeCloseTo(2 / 3);
    expect(r.result()).toBeCloseTo(2 / 3);
    expect(auc.result()).toBeCloseTo(4 / 6);
  });
});

describe('schedules', () => {
  it('a schedule given as the optimizer lr advances once per batch', async () => {
    const model = sequential([dense(1, { inputShape: [1] })]);
    const opt = new SGD({ lr: stepDecay({ lr: 1, stepSize: 1, gamma: 0.5 }) });
    model.compile({ optimizer: opt, loss: 'meanSquaredError' });
    await model.fit([[1], [2], [3], [4], [5]], [1, 2, 3, 4, 5], { epochs: 1, batchSize: 2, verbose: 0 });
    expect(opt.stepCount).toBe(3);
    expect(opt.currentLr()).toBeCloseTo(0.125);
  });
});
