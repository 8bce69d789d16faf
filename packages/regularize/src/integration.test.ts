import { deserialize, registry, type Callback } from '@nn/core';
import { Dense, dense, loadModel, sequential, sparseCategoricalCrossentropy, type Sequential } from '@nn/layers';
import { randn, setSeed, slice, tensor, zeros, type Tensor } from '@nn/tensor';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Dropout, dropout, earlyStopping, L2, l2, labelSmoothing, MaxNorm, maxNorm } from './index.js';
import { PlainSGD } from './testing/sgd.js';

const values = (t: Tensor) => Array.from(t.dataSync());

/** Two noisy Gaussian blobs, labels 0/1. */
function blobs(n: number, seed = 1) {
  setSeed(seed);
  const noise = randn([n, 2]).dataSync();
  const xs: number[][] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    xs.push([noise[2 * i] + (c ? 1 : -1), noise[2 * i + 1] + (c ? 1 : -1)]);
    ys.push(c);
  }
  return { x: tensor(xs), y: tensor(ys) };
}

describe('regularizers in training', () => {
  it('l2 alone shrinks the kernel geometrically: W_k = W_0 (1 - 2 lr lambda)^k', async () => {
    // Zero inputs and targets: the data loss has no gradient on the kernel, so only the penalty moves it.
    setSeed(5);
    const lambda = 0.1;
    const lr = 0.5;
    const model = sequential([dense(3, { inputShape: [2], kernelRegularizer: l2(lambda) })]);
    model.compile({ optimizer: new PlainSGD(lr), loss: 'meanSquaredError' });
    const w0 = values(model.getWeights()[0]);
    const sq0 = w0.reduce((s, v) => s + v * v, 0);
    const h = await model.fit(zeros([8, 2]), zeros([8, 3]), { epochs: 4, batchSize: 8, shuffle: false, verbose: 0 });
    const factor = 1 - 2 * lr * lambda;
    const w4 = values(model.getWeights()[0]);
    w0.forEach((v, i) => expect(w4[i]).toBeCloseTo(v * factor ** 4, 6));
    // The logged loss is the penalty itself, before each step.
    h.history.loss.forEach((loss, k) => expect(loss).toBeCloseTo(lambda * sq0 * factor ** (2 * k), 5));
  });

  it('the penalty joins the loss fit minimizes: one step moves W by an extra -lr * 2 * lambda * W', () => {
    const { x, y } = blobs(16);
    setSeed(9);
    const lambda = 0.05;
    const lr = 0.1;
    const reg = sequential([dense(4, { inputShape: [2], activation: 'tanh', kernelRegularizer: l2(lambda) }), dense(1)]);
    const plain = sequential([dense(4, { inputShape: [2], activation: 'tanh' }), dense(1)]);
    reg.compile({ optimizer: new PlainSGD(lr), loss: 'meanSquaredError' });
    plain.compile({ optimizer: new PlainSGD(lr), loss: 'meanSquaredError' });
    plain.setWeights(reg.getWeights());
    const w0 = values(reg.getWeights()[0]);
    const penalty = lambda * w0.reduce((s, v) => s + v * v, 0);
    const [lossReg] = reg.evaluate(x, y);
    const [lossPlain] = plain.evaluate(x, y);
    expect(lossReg - lossPlain).toBeCloseTo(penalty, 5);
    reg.trainOnBatch(x, y);
    plain.trainOnBatch(x, y);
    const wr = values(reg.getWeights()[0]);
    const wp = values(plain.getWeights()[0]);
    w0.forEach((v, i) => expect(wr[i]).toBeCloseTo(wp[i] - lr * 2 * lambda * v, 6));
    // Only the regularized kernel differs: the other layer's weights took the same step.
    expect(values(reg.getWeights()[2])).toEqual(values(plain.getWeights()[2]));
  });

  it("'l2' by name in a dense layer is l2(0.01)", () => {
    const layer = dense(2, { inputShape: [3], kernelRegularizer: 'l2', biasRegularizer: 'l1' });
    layer.ensureBuilt([null, 3]);
    const w = values(layer.kernel);
    expect(layer.regularizationLosses()).toHaveLength(2);
    expect(layer.regularizationLosses()[0].item()).toBeCloseTo(0.01 * w.reduce((s, v) => s + v * v, 0), 7);
  });
});

describe('maxNorm in training', () => {
  it('keeps every kernel column within the max norm after each optimizer step', async () => {
    const { x, y } = blobs(64);
    setSeed(2);
    const norms: number[][] = [];
    const watch: Callback = { onBatchEnd: () => void norms.push(columnNorms(model.layers[0] as Dense)) };
    const model = sequential([dense(8, { inputShape: [2], activation: 'relu', kernelConstraint: maxNorm(0.5) }), dense(1)]);
    model.compile({ optimizer: new PlainSGD(1), loss: 'binaryCrossentropy' });
    await model.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0, callbacks: [watch] });
    expect(norms).toHaveLength(12);
    for (const n of norms.flat()) expect(n).toBeLessThanOrEqual(0.5 + 1e-6);
    // The projection is in place: the optimizer still updates the layer's own kernel tensor.
    expect(model.optimizer!.paramGroups[0].params[0]).toBe((model.layers[0] as Dense).kernel);
  });

  it("'maxNorm' by name is Keras' MaxNorm(2)", () => {
    const layer = dense(3, { inputShape: [4], kernelConstraint: 'maxNorm', kernelInitializer: 'ones' });
    layer.ensureBuilt([null, 4]);
    layer.applyConstraints();
    // Columns of four ones (norm 2) stay, up to Keras' epsilon.
    for (const n of columnNorms(layer)) expect(n).toBeCloseTo(2, 5);
    const big = dense(3, { inputShape: [9], kernelConstraint: 'maxNorm', kernelInitializer: 'ones' });
    big.ensureBuilt([null, 9]);
    big.applyConstraints();
    for (const n of columnNorms(big)) expect(n).toBeCloseTo(2, 5);
  });
});

function columnNorms(layer: Dense): number[] {
  const [rows, cols] = layer.kernel.shape;
  const w = layer.kernel.dataSync();
  return Array.from({ length: cols }, (_, j) => Math.sqrt(Array.from({ length: rows }, (_, i) => w[i * cols + j] ** 2).reduce((a, b) => a + b, 0)));
}

describe('end to end: l2, dropout and earlyStopping through fit', () => {
  it('trains, stops early on val_loss and ends with the best epoch’s weights', async () => {
    const { x, y } = blobs(96, 3);
    setSeed(4);
    const model = sequential([
      dense(16, { inputShape: [2], activation: 'relu', kernelRegularizer: 'l2' }),
      dropout(0.5),
      dense(1, { activation: 'sigmoid' }),
    ]);
    // A learning rate large enough that val_loss turns noisy soon, so the stop comes within 60 epochs.
    model.compile({ optimizer: new PlainSGD(2), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const snapshots: Tensor[][] = [];
    const snap: Callback = { onEpochEnd: () => void snapshots.push(model.getWeights()) };
    const es = earlyStopping({ patience: 3, restoreBestWeights: true });
    const h = await model.fit(x, y, { epochs: 60, batchSize: 16, validationSplit: 0.25, verbose: 0, callbacks: [snap, es] });
    const val = h.history.val_loss;
    expect(val.length).toBeLessThan(60);
    expect(es.stoppedEpoch).toBe(val.length - 1);
    const best = val.indexOf(Math.min(...val));
    expect(es.bestEpoch).toBe(best);
    expect(es.stoppedEpoch - es.bestEpoch).toBe(3);
    // The model holds the best epoch's weights, and evaluating on the validation data gives its val_loss.
    model.getWeights().forEach((w, i) => expect(values(w)).toEqual(values(snapshots[best][i])));
    const [vl] = model.evaluate(slice(x, [72], [24]), slice(y, [72], [24]));
    expect(vl).toBeCloseTo(val[best], 5);
    expect(h.history.accuracy.at(-1)).toBeGreaterThan(0.6);
  });

  it('is reproducible under setSeed (dropout masks and shuffles come from the global generator)', async () => {
    const train = async () => {
      const { x, y } = blobs(32, 8);
      setSeed(10);
      const model = sequential([dense(8, { inputShape: [2], activation: 'relu' }), dropout(0.3), dense(1)]);
      model.compile({ optimizer: new PlainSGD(0.1), loss: 'binaryCrossentropy' });
      await model.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0 });
      return model.getWeights().map(values);
    };
    expect(await train()).toEqual(await train());
  });

  it('labelSmoothing compiles as a loss; accuracy still reads the integer labels', async () => {
    const { x, y } = blobs(32);
    setSeed(6);
    const model = sequential([dense(2, { inputShape: [2] })]);
    model.compile({ optimizer: new PlainSGD(0.5), loss: labelSmoothing(0.1, sparseCategoricalCrossentropy({ fromLogits: true })), metrics: ['accuracy'] });
    const h = await model.fit(x, y, { epochs: 5, batchSize: 8, verbose: 0 });
    expect(h.history.accuracy.at(-1)).toBeGreaterThan(0.7);
    expect(h.history.loss.at(-1)!).toBeLessThan(h.history.loss[0]);
  });
});

describe('serialization with a model', () => {
  it('a model with regularizers, a constraint and dropout round-trips through JSON', () => {
    const model = sequential([
      dense(4, { inputShape: [3], kernelRegularizer: l2(0.05), biasRegularizer: 'l1', kernelConstraint: maxNorm(3, { axis: 0 }) }),
      dropout(0.2, { seed: 1 }),
      dense(1),
    ]);
    const json = JSON.parse(JSON.stringify(model.toJSON()));
    const back = deserialize<Sequential>(json);
    const d = back.layers[0] as Dense;
    expect(d.options.kernelRegularizer).toBeInstanceOf(L2);
    expect((d.options.kernelRegularizer as L2).l2).toBe(0.05);
    expect(d.options.biasRegularizer).toBe('l1');
    expect(d.options.kernelConstraint).toBeInstanceOf(MaxNorm);
    expect(back.layers[1]).toBeInstanceOf(Dropout);
    expect(JSON.parse(JSON.stringify(back.toJSON()))).toEqual(json);
  });

  it('save/load keeps the regularized layers and the label-smoothing loss', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nn-regularize-'));
    try {
      const model = sequential([dense(3, { inputShape: [2], kernelRegularizer: l2(0.02) }), dropout(0.5)]);
      model.compile({ optimizer: new PlainSGD(0.1), loss: labelSmoothing(0.2, 'sparseCategoricalCrossentropy') });
      await model.save(dir);
      const loaded = (await loadModel(dir)) as Sequential;
      expect(loaded.layers[1]).toBeInstanceOf(Dropout);
      expect(((loaded.layers[0] as Dense).options.kernelRegularizer as L2).l2).toBe(0.02);
      expect(loaded.getWeights().map(values)).toEqual(model.getWeights().map(values));
      expect(loaded.loss?.getConfig()).toEqual(model.loss?.getConfig());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('without @nn/regularize', () => {
  it('a registry lacking the package names it in the error', async () => {
    const { Registry } = await import('@nn/core');
    const fresh = new Registry();
    const get = fresh.get.bind(fresh) as (kind: string, name: string) => unknown;
    expect(() => get('regularizer', 'l2')).toThrow('Unknown regularizer "l2". regularizers are provided by @nn/regularize: install it and import it. No regularizer is registered.');
    expect(() => get('constraint', 'maxNorm')).toThrow(/constraints are provided by @nn\/regularize: install it and import it/);
    // Layers installed, dropout not: the layer kind names @nn/layers, but dropout itself names @nn/regularize.
    (fresh.register as (k: string, n: string, e: unknown) => void)('layer', 'dense', Dense);
    expect(() => get('layer', 'dropout')).toThrow(/Unknown layer "dropout"\. "dropout" is provided by @nn\/regularize: install it and import it/);
    expect(() => get('callback', 'earlyStopping')).toThrow(/"earlyStopping" is provided by @nn\/regularize: install it and import it/);
  });

  it("dense(…, { kernelRegularizer: 'l2' }) says no plugin registered 'l2' when the package is loaded but the name is not", () => {
    const untyped = registry as unknown as { unregister(k: string, n: string): boolean; register(k: string, n: string, e: unknown): void };
    const saved = ['l1', 'l2', 'l1l2', 'l1_l2'].map((n) => [n, registry.get('regularizer', n)] as const);
    for (const [n] of saved) untyped.unregister('regularizer', n);
    try {
      // The name is resolved where the layer is written, so the hint comes at construction.
      // @nn/regularize is imported (its other entries are registered): installing it is not the fix, so the error says so.
      expect(() => dense(2, { inputShape: [3], kernelRegularizer: 'l2' })).toThrow('Unknown regularizer "l2". @nn/regularize is loaded, but no plugin registered regularizer "l2" (a third-party one must be installed with use(plugin)).');
    } finally {
      for (const [n, e] of saved) untyped.register('regularizer', n, e);
    }
    expect(registry.get('regularizer', 'l2')).toBe(L2);
  });
});
