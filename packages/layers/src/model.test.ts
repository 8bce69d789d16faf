import { describe, expect, it } from 'vitest';
import { registry, type Callback, type Logs, type TrainingTarget } from '@nn/core';
import { SGD } from '@nn/optim';
import { assign, clip, memory, mul, randn, setSeed, sum, tensor, type Tensor } from '@nn/tensor';
import { batchNorm, dense, residual, sequential, ProgressBar } from './index.js';
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
  return { x: tensor(xs), y: tensor(ys), xs, ys };
}

const small = () => sequential([dense(8, { activation: 'relu', inputShape: [2] }), dense(1, { activation: 'sigmoid' })]);

describe('Model.fit', () => {
  it('fits a separable problem and returns a Keras-style History', async () => {
    const { x, y } = blobs(128);
    const model = small();
    model.compile({ optimizer: new PlainSGD(0.5), loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const h = await model.fit(x, y, { epochs: 10, batchSize: 16, verbose: 0, validationSplit: 0.25 });
    expect(Object.keys(h.history).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    expect(h.history.loss).toHaveLength(10);
    expect(h.epoch).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(h.params.steps).toBe(6); // 96 training samples in batches of 16
    expect(h.history.loss[9]).toBeLessThan(h.history.loss[0]);
    const [, acc] = model.evaluate(x, y);
    expect(acc).toBeGreaterThan(0.95);
    expect(model.predict(x).shape).toEqual([128, 1]);
  });

  it('accepts an optimizer by registered name and validationData', async () => {
    const { xs, ys } = blobs(64);
    const model = small();
    model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy', 'precision', 'recall', 'auc'] });
    const h = await model.fit(xs, ys, { epochs: 2, verbose: 0, validationData: [xs, ys] });
    expect(Object.keys(h.history)).toEqual(expect.arrayContaining(['val_precision', 'val_recall', 'val_auc']));
  });

  it('runs callbacks in order with logs, and a callback can stop training', async () => {
    const { x, y } = blobs(64);
    const model = small();
    model.compile({ optimizer: new PlainSGD(0.1), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const events: string[] = [];
    let target: TrainingTarget | undefined;
    const cb: Callback = {
      setTarget: (t) => (target = t),
      onTrainBegin: () => void events.push('trainBegin'),
      onEpochBegin: (e) => void events.push(`epochBegin ${e}`),
      onBatchEnd: (b, logs?: Logs) => void events.push(`batchEnd ${b} ${typeof logs?.loss}`),
      onEpochEnd: async (e, logs?: Logs) => {
        events.push(`epochEnd ${e} ${Object.keys(logs ?? {}).join(',')}`);
        if (e === 1) target!.stopTraining = true;
      },
      onTrainEnd: () => void events.push('trainEnd'),
    };
    const h = await model.fit(x, y, { epochs: 10, batchSize: 32, verbose: 0, callbacks: [cb], shuffle: false });
    expect(target).toBe(model);
    expect(h.history.loss).toHaveLength(2);
    expect(events).toEqual([
      'trainBegin', 'epochBegin 0', 'batchEnd 0 number', 'batchEnd 1 number', 'epochEnd 0 loss,accuracy',
      'epochBegin 1', 'batchEnd 0 number', 'batchEnd 1 number', 'epochEnd 1 loss,accuracy', 'trainEnd',
    ]);
  });

  it('History records what callbacks add to the epoch logs, as Keras (History runs after them)', async () => {
    const { x, y } = blobs(32);
    const model = small();
    model.compile({ optimizer: new PlainSGD(0.1), loss: 'binaryCrossentropy' });
    const cb: Callback = { onEpochEnd: (e, logs?: Logs) => void (logs!.lr = 0.1 / (e + 1)) };
    const h = await model.fit(x, y, { epochs: 2, verbose: 0, callbacks: [cb] });
    expect(h.history.lr).toEqual([0.1, 0.05]);
  });

  it('resolves callbacks given by registered name', async () => {
    const seen: number[] = [];
    class Counter {
      static fromConfig = () => new Counter();
      onEpochEnd(epoch: number) {
        seen.push(epoch);
      }
    }
    (registry as unknown as { register(k: string, n: string, e: unknown): void }).register('callback', 'layersTestCounter', Counter);
    const { x, y } = blobs(16);
    const model = small();
    model.compile({ optimizer: new PlainSGD(0.1), loss: 'binaryCrossentropy' });
    await model.fit(x, y, { epochs: 3, verbose: 0, callbacks: ['layersTestCounter'] });
    expect(seen).toEqual([0, 1, 2]);
    await expect(model.fit(x, y, { verbose: 0, callbacks: ['layersTestCountr'] })).rejects.toThrow(/Unknown callback "layersTestCountr"/);
  });

  it('getWeights/setWeights restore a state (what restoreBestWeights needs)', async () => {
    const { x, y } = blobs(32);
    const model = small();
    model.compile({ optimizer: new PlainSGD(0.5), loss: 'binaryCrossentropy' });
    const saved = model.getWeights();
    const before = model.predict(x).dataSync();
    await model.fit(x, y, { epochs: 2, verbose: 0 });
    expect(Array.from(model.predict(x).dataSync())).not.toEqual(Array.from(before));
    model.setWeights(saved);
    expect(Array.from(model.predict(x).dataSync())).toEqual(Array.from(before));
  });

  it('refuses bad data before any training step, naming the problem', async () => {
    const model = small();
    model.compile({ optimizer: new PlainSGD(0.1), loss: 'binaryCrossentropy' });
    const w = model.getWeights()[0].dataSync();
    await expect(model.fit([[1, 2], [3, 4]], [1], { verbose: 0 })).rejects.toThrow(/x has 2 samples but y has 1/);
    await expect(model.fit([[1, 2, 3]], [1], { verbose: 0 })).rejects.toThrow(/expects samples of shape \[2\] \(2 features\), got x of shape \[1,3\]/);
    await expect(model.fit([[1, NaN]], [1], { verbose: 0 })).rejects.toThrow(/x contains NaN at sample 0, value 1/);
    await expect(model.fit([[1, 2]], [2], { verbose: 0 })).rejects.toThrow(/targets in \[0, 1\]; target 0 is 2/);
    await expect(model.fit([[1, 2]], [1], { verbose: 0, epochs: 0 })).rejects.toThrow(/epochs must be a positive integer/);
    expect(Array.from(model.getWeights()[0].dataSync())).toEqual(Array.from(w));
    const multi = sequential([dense(3, { inputShape: [2] })]);
    multi.compile({ optimizer: new PlainSGD(0.1), loss: 'sparseCategoricalCrossentropy' });
    await expect(multi.fit([[1, 2]], [3], { verbose: 0 })).rejects.toThrow(/integer class labels in \[0, 3\); label 0 is 3/);
  });

  it('names a single sample given without its batch axis', async () => {
    const model = small();
    expect(model.predict([[1, 2]]).shape).toEqual([1, 1]);
    expect(() => model.predict([1, 2])).toThrow('predict: x of shape [2] is one sample without the batch axis; the model takes a batch of samples of shape [2]: wrap it, [x], for a batch of one (shape [1,2])');
    // Also before the model is built: it builds from its declared input shape, not from the mis-shaped x.
    expect(() => small().predict([1, 2])).toThrow('predict: x of shape [2] is one sample without the batch axis');
  });

  it('needs compile before fit', async () => {
    await expect(small().fit([[1, 2]], [1], { verbose: 0 })).rejects.toThrow(/compile the model first/);
  });

  it('applies an augment object to training batches only', async () => {
    const { x, y } = blobs(32);
    const model = small();
    model.compile({ optimizer: new PlainSGD(0.1), loss: 'binaryCrossentropy' });
    const seen: number[] = [];
    const augment = { apply: ({ image, labels }: { image: Tensor; labels: Tensor }) => (seen.push(image.shape[0], labels.shape[0]), { image: mul(image, 1) }) };
    await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0, augment, validationSplit: 0.25 });
    expect(seen).toEqual([8, 8, 8, 8, 8, 8]);
  });

  it('trains without shuffling on consecutive batches, the last one short, as trainOnBatch on those rows does', async () => {
    const { x, y, xs, ys } = blobs(7);
    const a = small();
    a.compile({ optimizer: new PlainSGD(0.1), loss: 'binaryCrossentropy' });
    const b = small();
    b.compile({ optimizer: new PlainSGD(0.1), loss: 'binaryCrossentropy' });
    b.setWeights(a.getWeights());
    await a.fit(x, y, { epochs: 2, batchSize: 3, verbose: 0, shuffle: false });
    for (let epoch = 0; epoch < 2; epoch++) {
      for (const start of [0, 3, 6]) b.trainOnBatch(xs.slice(start, start + 3), ys.slice(start, start + 3));
    }
    expect(a.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(b.getWeights().map((w) => Array.from(w.dataSync())));
  });

  it('trains on the labels an augmenter returns (batch mixing)', async () => {
    const { x, y } = blobs(16);
    const model = small();
    // lr 0: the weights stay put, so the reported loss can be recomputed from predict().
    model.compile({ optimizer: new PlainSGD(0), loss: 'binaryCrossentropy' });
    const augment = { apply: ({ image, labels }: { image: Tensor; labels: Tensor }) => ({ image, labels: mul(labels, 0).add(0.5) }) };
    const h = await model.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0, shuffle: false, augment });
    const p = Array.from(model.predict(x).dataSync());
    const againstHalf = p.reduce((s, q) => s - (0.5 * Math.log(q) + 0.5 * Math.log(1 - q)), 0) / p.length;
    expect(h.history.loss[0]).toBeCloseTo(againstHalf, 5);
  });

  it('adds regularizer penalties to the loss and applies constraints after each step', async () => {
    const calls: string[] = [];
    const l2 = { penalty: (w: Tensor) => (calls.push('penalty'), mul(sum(mul(w, w)), 0.01)) };
    const clamp = { apply: (w: Tensor) => (calls.push('constraint'), void assign(w, clip(w, -0.1, 0.1), { move: true })) };
    const { x, y } = blobs(16);
    const model = sequential([dense(4, { inputShape: [2], kernelRegularizer: l2, kernelConstraint: clamp }), dense(1)]);
    model.compile({ optimizer: new PlainSGD(0.1), loss: 'meanSquaredError' });
    const plain = sequential([dense(4, { inputShape: [2] }), dense(1)]);
    plain.compile({ optimizer: new PlainSGD(0.1), loss: 'meanSquaredError' });
    plain.setWeights(model.getWeights());
    const [withPenalty] = model.evaluate(x, y);
    const [without] = plain.evaluate(x, y);
    expect(withPenalty).toBeGreaterThan(without);
    model.trainOnBatch(x, y);
    expect(calls).toContain('constraint');
    expect(Math.max(...model.getWeights()[0].dataSync().map(Math.abs))).toBeLessThanOrEqual(0.1 + 1e-7);
  });

  it('does not grow live tensors over hundreds of steps', async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    const { x, y } = blobs(64);
    const model = sequential([dense(16, { activation: 'relu', inputShape: [2] }), batchNorm(), dense(1, { activation: 'sigmoid' })]);
    model.compile({ optimizer: new SGD({ lr: 0.05, momentum: 0.9 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
    gc?.();
    const start = memory().tensors;
    await model.fit(x, y, { epochs: 40, batchSize: 8, verbose: 0, validationSplit: 0.25 }); // 240 steps + validation
    gc?.();
    // The train step frees what it makes (tidy + explicit disposal), so this holds even without a GC.
    expect(memory().tensors - start).toBeLessThan(20);
  });

  it('freezing a layer keeps its weights fixed', async () => {
    const { x, y } = blobs(32);
    const model = small();
    model.compile({ optimizer: new PlainSGD(0.5), loss: 'binaryCrossentropy' });
    model.layers[0].trainable = false;
    const before = model.getWeights();
    await model.fit(x, y, { epochs: 2, verbose: 0 });
    const after = model.getWeights();
    expect(Array.from(after[0].dataSync())).toEqual(Array.from(before[0].dataSync()));
    expect(Array.from(after[2].dataSync())).not.toEqual(Array.from(before[2].dataSync()));
  });

  it('trains after freezing a block before it is built, or unfreezing a layer after compile', async () => {
    const { x, y } = blobs(32);
    const block = sequential([dense(4, { activation: 'relu' }), dense(4)]);
    const model = sequential([block, dense(1, { activation: 'sigmoid' })]);
    block.trainable = false;
    model.compile({ optimizer: new PlainSGD(0.5), loss: 'binaryCrossentropy' });
    model.predict(x);
    const before = model.getWeights();
    await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
    const after = model.getWeights();
    for (let i = 0; i < 4; i++) expect(Array.from(after[i].dataSync())).toEqual(Array.from(before[i].dataSync()));
    expect(Array.from(after[4].dataSync())).not.toEqual(Array.from(before[4].dataSync()));

    const thawed = small();
    thawed.layers[0].trainable = false;
    thawed.compile({ optimizer: new PlainSGD(0.5), loss: 'binaryCrossentropy' });
    thawed.layers[0].trainable = true;
    const h = await thawed.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
    expect(h.history.loss.every(Number.isFinite)).toBe(true);
  });

  it('trains nested blocks: a sequential inside a residual inside a sequential', async () => {
    const { x, y } = blobs(64);
    const model = sequential([
      dense(8, { activation: 'relu', inputShape: [2] }),
      residual(sequential([dense(8, { activation: 'relu' }), dense(8)])),
      dense(1, { activation: 'sigmoid' }),
    ]);
    model.compile({ optimizer: new PlainSGD(0.2), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    await model.fit(x, y, { epochs: 15, batchSize: 16, verbose: 0 });
    expect(model.evaluate(x, y)[1]).toBeGreaterThan(0.9);
    expect(model.countParams()).toBe(2 * 8 + 8 + 2 * (8 * 8 + 8) + 8 + 1);
  });
});

describe('progress and summary', () => {
  it("prints Keras' epoch line", () => {
    const out: string[] = [];
    const bar = new ProgressBar(14, 1, { write: (s) => void out.push(s), isTTY: false });
    bar.update(3, { loss: 1 });
    bar.end(14, { loss: 0.50271, accuracy: 0.81462 });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^14\/14 \[==============================\] - 0s \d+(us|ms)\/step - loss: 0\.5027 - accuracy: 0\.8146\n$/);
  });

  it('prints epoch headers and lines during fit when verbose', async () => {
    const { x, y } = blobs(32);
    const model = small();
    model.compile({ optimizer: new PlainSGD(0.1), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const chunks: string[] = [];
    const orig = process.stdout.write;
    process.stdout.write = ((s: string) => (chunks.push(String(s)), true)) as typeof process.stdout.write;
    try {
      await model.fit(x, y, { epochs: 2, batchSize: 16, validationSplit: 0.5 });
    } finally {
      process.stdout.write = orig;
    }
    const text = chunks.join('');
    expect(text).toMatch(/Epoch 1\/2\n/);
    // Keras writes a value at most 1e-3 in e-notation: an accuracy of 0 is '0.0000e+00'
    const v = String.raw`\d\.\d{4}(e[+-]\d\d)?`;
    expect(text).toMatch(new RegExp(String.raw`1/1 \[=+\] - \d+s \S+/step - loss: ${v} - accuracy: ${v} - val_loss: ${v} - val_accuracy: ${v}`));
  });

  it('summary() lists layers, output shapes and parameter counts', () => {
    const model = sequential([dense(64, { activation: 'relu', inputShape: [30] }), dense(64, { activation: 'relu' }), batchNorm(), dense(1, { activation: 'sigmoid' })]);
    const text = model.summary({ print: null });
    expect(text).toContain('(None, 64)');
    expect(text).toMatch(/Dense\)\s+\(None, 1\)\s+65/);
    expect(text).toContain('Total params: 6,465');
    expect(text).toContain('Trainable params: 6,337');
    expect(text).toContain('Non-trainable params: 128');
  });

  it('a nested sequential first layer declares the input shape of its own first layer, as Keras', () => {
    const model = sequential([sequential([dense(4, { inputShape: [3] })]), dense(1)]);
    expect(model.summary({ print: null })).toContain('Total params: 21');
    expect(model.getWeights()).toHaveLength(4);
  });
});
