import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Adam, SGD } from '@nn/optim';
import { randn, setSeed, tensor, add as addTensors, matmul, tanh, type Tensor } from '@nn/tensor';
import type { Functional} from '../node.js';
import {
  add, concatenate, dense, input, loadModel, lstm, model, modelFromJSON, sequential, embedding,
} from '../node.js';
import { expectClose } from '../testing/close.js';

/** Two inputs; one dense layer shared by both branches; a skip connection; two outputs (a value and a class). */
function twoHeaded() {
  const a = input({ shape: [3], name: 'a' });
  const b = input({ shape: [3], name: 'b' });
  const shared = dense(4, { activation: 'tanh', name: 'shared' });
  const ha = shared.apply(a);
  const hb = shared.apply(b);
  const skip = add({ name: 'skip' }).apply([ha, hb]);
  const joined = concatenate({ name: 'joined' }).apply([skip, a]);
  const value = dense(1, { name: 'value' }).apply(joined);
  const cls = dense(1, { activation: 'sigmoid', name: 'cls' }).apply(hb);
  return { m: model({ inputs: [a, b], outputs: [value, cls], name: 'two_headed' }), shared };
}

/** Targets the two-headed model can learn: value = sum(a) - sum(b), class = [sum(b) > 0]. */
function data(n: number) {
  const a = randn([n, 3]);
  const b = randn([n, 3]);
  const av = a.toArray() as number[][];
  const bv = b.toArray() as number[][];
  const sum = (r: number[]) => r.reduce((x, y) => x + y, 0);
  return { a, b, value: av.map((r, i) => [sum(r) - sum(bv[i])]), cls: bv.map((r) => [sum(r) > 0 ? 1 : 0]) };
}

describe('functional models', () => {
  it('a shared layer is one set of weights; the graph computes what its layers say', () => {
    setSeed(1);
    const { m, shared } = twoHeaded();
    // shared (kernel, bias) + value (kernel [7,1], bias) + cls (kernel [4,1], bias); the shared layer counted once.
    expect(m.getWeights().map((w) => w.shape)).toEqual([[3, 4], [4], [7, 1], [1], [4, 1], [1]]);
    expect(m.layers.map((l) => l.name)).toEqual(['a', 'shared', 'b', 'skip', 'joined', 'value', 'cls']);
    const x1 = randn([2, 3]);
    const x2 = randn([2, 3]);
    const [value, cls] = m.predict([x1, x2]);
    const [k, bias, vk, vb] = m.getWeights();
    const h = (x: Tensor) => tanh(addTensors(matmul(x, k), bias));
    const joined = tensor((addTensors(h(x1), h(x2)).toArray() as number[][]).map((r, i) => [...r, ...(x1.toArray() as number[][])[i]]));
    expectClose(value, addTensors(matmul(joined, vk), vb).toArray() as number[][], 1e-5, 'value head');
    expect(cls.shape).toEqual([2, 1]);
    expect(shared.built).toBe(true);
  });

  it('trains with per-output losses, metrics and loss weights; history names metrics per output', async () => {
    setSeed(2);
    const { m } = twoHeaded();
    const d = data(128);
    m.compile({ optimizer: new Adam({ lr: 0.03 }), loss: { value: 'meanSquaredError', cls: 'binaryCrossentropy' }, metrics: { cls: ['accuracy'] }, lossWeights: [1, 0.5] });
    const [before] = m.evaluate([d.a, d.b], [d.value, d.cls]);
    const history = await m.fit([d.a, d.b], [d.value, d.cls], { epochs: 40, batchSize: 32, verbose: 0, validationSplit: 0.25 });
    const [after, valueLoss, clsLoss, acc] = m.evaluate([d.a, d.b], [d.value, d.cls]);
    // Keras' other form: data keyed by input and output layer names.
    expect(m.evaluate({ b: d.b, a: d.a }, { cls: d.cls, value: d.value })).toEqual([after, valueLoss, clsLoss, acc]);
    expect(after).toBeLessThan(before / 4);
    expect(acc).toBeGreaterThan(0.9);
    // Each output's loss is logged beside the total, as Keras: value_loss, cls_loss, then the metrics.
    expect(Object.keys(history.history).sort()).toEqual(['cls_accuracy', 'cls_loss', 'loss', 'val_cls_accuracy', 'val_cls_loss', 'val_loss', 'val_value_loss', 'value_loss']);
    expect(after).toBeCloseTo(valueLoss + 0.5 * clsLoss, 5);
    // ... and they are the outputs' own losses.
    const [v, c] = m.predict([d.a, d.b]);
    const mse = (v.toArray() as number[][]).reduce((s, r, i) => s + (r[0] - d.value[i][0]) ** 2, 0) / 128;
    const bce = (c.toArray() as number[][]).reduce((s, r, i) => s - (d.cls[i][0] ? Math.log(r[0]) : Math.log(1 - r[0])), 0) / 128;
    expect(valueLoss).toBeCloseTo(mse, 4);
    expect(clsLoss).toBeCloseTo(bce, 4);
  });

  it('round-trips through JSON (same config, same outputs) and through save/loadModel, compiled, and keeps training', async () => {
    setSeed(3);
    const { m } = twoHeaded();
    const d = data(32);
    m.compile({ optimizer: new SGD({ lr: 0.05, momentum: 0.9 }), loss: ['meanSquaredError', 'binaryCrossentropy'], metrics: [[], ['accuracy']] });
    await m.fit([d.a, d.b], [d.value, d.cls], { epochs: 2, verbose: 0 });
    const json = JSON.parse(JSON.stringify(m.toJSON()));
    const copy = modelFromJSON(json) as Functional<Tensor[]>;
    expect(copy.toJSON()).toEqual(json);
    copy.setWeights(m.getWeights());
    const expected = m.predict([d.a, d.b]);
    copy.predict([d.a, d.b]).forEach((y, i) => expectClose(y, expected[i].toArray() as number[][], 1e-6, `json output ${i}`));

    const dir = await mkdtemp(join(tmpdir(), 'nn-functional-'));
    try {
      await m.save(dir);
      const loaded = (await loadModel(dir)) as Functional<Tensor[]>;
      loaded.predict([d.a, d.b]).forEach((y, i) => expectClose(y, expected[i].toArray() as number[][], 1e-6, `loaded output ${i}`));
      expect(loaded.evaluate([d.a, d.b], [d.value, d.cls])).toEqual(m.evaluate([d.a, d.b], [d.value, d.cls]));
      // The optimizer state came back too: one more step on each gives the same weights.
      m.trainOnBatch([d.a, d.b], [d.value, d.cls]);
      loaded.trainOnBatch([d.a, d.b], [d.value, d.cls]);
      loaded.getWeights().forEach((w, i) => expectClose(w, m.getWeights()[i].toArray() as number[][], 1e-6, `weight ${i} after a step`));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('summary lists every layer once with what it is connected to', () => {
    const { m } = twoHeaded();
    const text = m.summary({ print: null });
    expect(text).toContain('Connected to');
    const lines = text.split('\n');
    const sharedAt = lines.findIndex((l) => l.startsWith(' shared (Dense)'));
    expect(lines[sharedAt]).toMatch(/\(None, 4\)\s+16\s+a\[0\]\[0\]$/);
    expect(lines[sharedAt + 1].trim()).toBe('b[0][0]');
    expect(lines.find((l) => l.startsWith(' skip (Add)'))).toMatch(/shared\[0\]\[0\]$/);
    expect(text).toContain('Total params: 29');
  });

  it('one input and one output: the same as the sequential model with the same weights', async () => {
    setSeed(4);
    const x = input({ shape: [5] });
    const y = dense(1).apply(dense(8, { activation: 'relu' }).apply(x));
    const f = model({ inputs: x, outputs: y });
    const s = sequential([dense(8, { activation: 'relu', inputShape: [5] }), dense(1)]);
    s.setWeights(f.getWeights());
    const xs = randn([16, 5]);
    expectClose(f.predict(xs), s.predict(xs).toArray() as number[][], 1e-6, 'predict');
    const ys = randn([16, 1]);
    for (const mm of [f, s]) mm.compile({ optimizer: new SGD({ lr: 0.1 }), loss: 'meanSquaredError' });
    await f.fit(xs, ys, { epochs: 2, batchSize: 4, shuffle: false, verbose: 0 });
    await s.fit(xs, ys, { epochs: 2, batchSize: 4, shuffle: false, verbose: 0 });
    f.getWeights().forEach((w, i) => expectClose(w, s.getWeights()[i].toArray() as number[][], 1e-6, `weight ${i}`));
  });

  it('recurrent layers in graphs: encoder states start a decoder (returnState, initial state), masks flow', () => {
    setSeed(5);
    const src = input({ shape: [4] });
    const tgt = input({ shape: [3, 2] });
    const emb = embedding(6, 3, { maskZero: true }).apply(src);
    const [, h, c] = lstm(5, { returnState: true }).applyAll(emb);
    const dec = lstm(5, { returnSequences: true }).apply([tgt, h, c]);
    const out = dense(2).apply(dec);
    const m = model({ inputs: [src, tgt], outputs: out });
    expect(out.shape).toEqual([null, 3, 2]);
    const y = m.predict([tensor([[1, 2, 0, 0], [3, 4, 5, 0]]), randn([2, 3, 2])]);
    expect(y.shape).toEqual([2, 3, 2]);
    expect(() => lstm(5, { returnState: true }).apply(emb)).toThrow(/gives 3 outputs.*use applyAll/);
  });

  it('errors name the model, the input and the shapes', () => {
    const a = input({ shape: [3], name: 'ia' });
    const b = input({ shape: [2], name: 'ib' });
    const y = dense(1).apply(concatenate().apply([a, b]));
    expect(() => model({ inputs: a, outputs: y })).toThrow(/depend on input "ib", which is not in inputs/);
    const m = model({ inputs: [a, b], outputs: y, name: 'mm' });
    expect(() => m.predict(randn([2, 3]) as never)).toThrow(/mm has 2 inputs \(ia, ib\); give x as a list of 2 arrays/);
    expect(() => m.predict([randn([2, 3]), randn([2, 4])])).toThrow(/input "ib" expects samples of shape \(2,\), got x\[1\] of shape \[2,4\]/);
    expect(() => m.predict([randn([2, 3]), randn([3, 2])])).toThrow(/x\[0\] has 2 samples but x\[1\] has 3/);
    expect(() => add({ name: 'plus' }).apply([a, b])).toThrow(/plus: inputs must have one shape, got \(None, 3\), \(None, 2\)/);
    expect(() => dense(2, { name: 'd' }).apply([a, b])).toThrow(/d.apply: Dense takes one input, got 2/);
    expect(() => dense(2).apply([a, randn([1, 3])] as never)).toThrow(/not a mix/);
    expect(() => input({ shape: [0] })).toThrow(/input: .*positive integers/);
    expect(() => model({ inputs: y, outputs: y })).toThrow(/inputs\[0\] comes from layer/);
    expect(() => m.compile({ optimizer: new SGD({ lr: 0.1 }), loss: ['meanSquaredError', 'meanSquaredError'] })).toThrow(/has one output; give one loss/);
    const two = twoHeaded().m;
    expect(() => two.compile({ optimizer: new SGD({ lr: 0.1 }), loss: ['meanSquaredError'] })).toThrow(/loss has 1 entries for 2 outputs \(value, cls\)/);
    expect(() => two.compile({ optimizer: new SGD({ lr: 0.1 }), loss: { value: 'meanSquaredError', clss: 'binaryCrossentropy' } })).toThrow(/loss names "clss", not an output/);
    expect(() => two.compile({ optimizer: new SGD({ lr: 0.1 }), loss: { value: 'meanSquaredError' } })).toThrow(/no loss for output "cls"/);
    // The registered wrappers are made by compile; by name alone they say so.
    expect(() => two.compile({ optimizer: new SGD({ lr: 0.1 }), loss: 'outputs' })).toThrow(/outputs loss: needs a list of losses/);
    expect(() => two.predict([randn([2, 3])])).toThrow(/two_headed has 2 inputs/);
    expect(() => two.predict({ a: randn([2, 3]), c: randn([2, 3]) })).toThrow(/x is keyed by name, but "c" is not an input, "b" is missing \(inputs: a, b\)/);
  });
});

describe('models inside models', () => {
  it('a functional model is a layer: applied in another graph (and in a sequential), it shares its weights and round-trips', () => {
    setSeed(6);
    const x = input({ shape: [4], name: 'inner_in' });
    const inner = model({ inputs: x, outputs: dense(3, { activation: 'tanh', name: 'inner_dense' }).apply(x), name: 'encoder' });
    const a = input({ shape: [4], name: 'outer_a' });
    const b = input({ shape: [4], name: 'outer_b' });
    const outer = model({ inputs: [a, b], outputs: dense(1, { name: 'head' }).apply(concatenate().apply([inner.apply(a), inner.apply(b)])), name: 'siamese' });
    expect(outer.getWeights().map((w) => w.shape)).toEqual([[4, 3], [3], [6, 1], [1]]);
    const xa = randn([5, 4]);
    const xb = randn([5, 4]);
    const y = outer.predict([xa, xb]);
    const [k, bias, hk, hb] = outer.getWeights();
    const enc = (v: Tensor) => tanh(addTensors(matmul(v, k), bias));
    const joined = tensor((enc(xa).toArray() as number[][]).map((r, i) => [...r, ...(enc(xb).toArray() as number[][])[i]]));
    expectClose(y, addTensors(matmul(joined, hk), hb).toArray() as number[][], 1e-5, 'siamese output');
    const copy = modelFromJSON(JSON.parse(JSON.stringify(outer.toJSON())));
    copy.setWeights(outer.getWeights());
    expectClose((copy as Functional<Tensor>).predict([xa, xb]), y.toArray() as number[][], 1e-6, 'round trip');
    const s = sequential([inner, dense(2)]);
    expect(s.predict(xa).shape).toEqual([5, 2]);
  });
});
