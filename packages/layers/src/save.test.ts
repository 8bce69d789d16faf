import { crc32 } from '@nn/core';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Adam } from '@nn/optim';
import { randn, setSeed } from '@nn/tensor';
import { activation, batchNorm, dense, flatten, layerNorm, loadModel, maxout, modelFromJSON, Precision, residual, sequential, type Sequential } from './node.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'nn-layers-'));

/** model.json's text for an edited file, with its integrity record recomputed so the checks behind it are reached. */
function sealed(json: Record<string, unknown>): string {
  const { integrity: _old, ...rest } = json;
  return JSON.stringify({ ...rest, integrity: { crc32: crc32(new TextEncoder().encode(JSON.stringify(rest))) } });
}

function bigModel(): Sequential {
  return sequential([
    flatten({ inputShape: [2, 3] }),
    dense(8, { activation: 'prelu', kernelInitializer: 'heNormal' }),
    batchNorm(),
    residual(sequential([dense(8, { activation: activation('leakyRelu', { slope: 0.2 }) }), layerNorm()])),
    maxout(4, { pieces: 3 }),
    dense(3, { activation: 'softmax' }),
  ]);
}

describe('JSON and save/load round trips', () => {
  it('toJSON/modelFromJSON rebuilds every layer kind; with the weights copied the predictions are identical', () => {
    setSeed(3);
    const model = bigModel();
    const x = randn([5, 2, 3]);
    const before = model.predict(x).dataSync();
    const json = JSON.stringify(model);
    const copy = modelFromJSON(json) as Sequential;
    expect(JSON.stringify(copy.toJSON())).toBe(JSON.stringify(model.toJSON()));
    copy.ensureBuilt([null, 2, 3]);
    copy.setWeights(model.getWeights());
    expect(Array.from(copy.predict(x).dataSync())).toEqual(Array.from(before));
  });

  it('save/loadModel restores architecture, weights, loss, metrics and optimizer state', async () => {
    setSeed(4);
    const model = bigModel();
    model.compile({ optimizer: new Adam({ lr: 0.01 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const x = randn([16, 2, 3]);
    const y = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0];
    await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
    const dir = tmp();
    await model.save(dir);
    const loaded = await loadModel(dir);
    expect(Array.from(loaded.predict(x).dataSync())).toEqual(Array.from(model.predict(x).dataSync()));
    expect(loaded.metrics.map((m) => m.name)).toEqual(['accuracy']);
    // The optimizer state came along: one more identical step on both gives identical weights.
    const a = model.trainOnBatch(x, y);
    const b = loaded.trainOnBatch(x, y);
    expect(b[0]).toBeCloseTo(a[0], 6);
    expect(Array.from(loaded.predict(x).dataSync())).toEqual(Array.from(model.predict(x).dataSync()));
  });

  it('save/loadModel keeps metrics given as instances, with their names and options', async () => {
    setSeed(6);
    const model = sequential([dense(1, { activation: 'sigmoid', inputShape: [3] })]);
    model.compile({ optimizer: new Adam({ lr: 0.01 }), loss: 'binaryCrossentropy', metrics: ['accuracy', new Precision({ name: 'prec', threshold: 0.3 })] });
    const x = randn([12, 3]);
    const y = [0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1, 0];
    const dir = tmp();
    await model.save(dir);
    const loaded = await loadModel(dir);
    expect(loaded.metrics.map((m) => m.name)).toEqual(['accuracy', 'prec']);
    expect((loaded.metrics[1] as Precision).threshold).toBe(0.3);
    expect(loaded.evaluate(x, y)).toEqual(model.evaluate(x, y));
  });

  it('a model compiled before it was built (predict built it) saves and loads with its optimizer and metrics', async () => {
    const model = sequential([dense(1, { activation: 'sigmoid' })]);
    model.compile({ optimizer: new Adam({ lr: 0.01 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    model.predict([[1, 2, 3]]);
    const dir = tmp();
    await model.save(dir);
    const loaded = await loadModel(dir);
    expect(loaded.metrics.map((m) => m.name)).toEqual(['accuracy']);
  });

  it('a layer frozen after compile: the saved optimizer state loads onto the weights it was bound to', async () => {
    setSeed(7);
    const first = dense(4, { activation: 'tanh', inputShape: [3] });
    const model = sequential([first, dense(1)]);
    model.compile({ optimizer: new Adam({ lr: 0.01 }), loss: 'meanSquaredError' });
    first.trainable = false;
    const x = randn([8, 3]);
    const y = randn([8, 1]);
    await model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 });
    const dir = tmp();
    await model.save(dir);
    const loaded = await loadModel(dir);
    expect(loaded.trainOnBatch(x, y)[0]).toBeCloseTo(model.trainOnBatch(x, y)[0], 6);
    expect(Array.from(loaded.predict(x).dataSync())).toEqual(Array.from(model.predict(x).dataSync()));
  });

  it('saving again replaces the model whole and leaves one weights file', async () => {
    const model = sequential([dense(2, { inputShape: [3] })]);
    const dir = tmp();
    await model.save(dir);
    model.setWeights([[[1, 2], [3, 4], [5, 6]], [7, 8]]);
    await model.save(dir);
    expect(readdirSync(dir).sort()).toEqual(expect.arrayContaining(['model.json']));
    expect(readdirSync(dir).filter((f) => f.endsWith('.bin'))).toHaveLength(1);
    expect(readdirSync(dir).some((f) => f.includes('.tmp-'))).toBe(false);
    const loaded = await loadModel(dir);
    expect(loaded.getWeights()[1].toArray()).toEqual([7, 8]);
  });

  it('refuses a missing, truncated, corrupted or mismatched file with an error naming it', async () => {
    const model = sequential([dense(2, { inputShape: [3] })]);
    const dir = tmp();
    await expect(loadModel(dir)).rejects.toThrow(/model\.json.*cannot read/);
    await model.save(dir);
    const bin = readdirSync(dir).find((f) => f.endsWith('.bin'))!;
    const bytes = readFileSync(join(dir, bin));
    writeFileSync(join(dir, bin), bytes.subarray(0, 10));
    await expect(loadModel(dir)).rejects.toThrow(new RegExp(`${bin}: truncated: expected 32 bytes, found 10`));
    const flipped = Buffer.from(bytes);
    flipped[5] ^= 0xff;
    writeFileSync(join(dir, bin), flipped);
    await expect(loadModel(dir)).rejects.toThrow(/corrupted/);
    writeFileSync(join(dir, bin), bytes);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    json.model.config.layers[0].config.units = 5;
    writeFileSync(join(dir, 'model.json'), sealed(json));
    await expect(loadModel(dir)).rejects.toThrow(/shape \[3,2\] but the model's .*kernel is \[3,5\]/);
    json.model.config.layers[0].name = 'dense';
    json.model.config.layers[0].config.units = 2;
    json.model.config.layers[0].name = 'densse';
    writeFileSync(join(dir, 'model.json'), sealed(json));
    await expect(loadModel(dir)).rejects.toThrow(/Unknown layer "densse".*Did you mean "dense"/);
    writeFileSync(join(dir, 'model.json'), '{"format": "nn-model", ');
    await expect(loadModel(dir)).rejects.toThrow(/model\.json: not valid JSON/);
    for (const weights of [undefined, null, { ...json.weights, entries: null }, { ...json.weights, byteLength: '32' }, { ...json.weights, entries: [{ name: 'k' }] }]) {
      writeFileSync(join(dir, 'model.json'), sealed({ ...json, weights }));
      await expect(loadModel(dir)).rejects.toThrow(/model\.json: its weights manifest is missing or malformed/);
    }
  });
});

describe('checkpoints', () => {
  it('training resumed from a saved checkpoint continues exactly as the uninterrupted run', async () => {
    const { SGD } = await import('@nn/optim');
    const data = () => {
      setSeed(9);
      return { x: randn([24, 3]), y: randn([24, 1]) };
    };
    const make = () => {
      setSeed(5);
      const m = sequential([dense(4, { activation: 'tanh', inputShape: [3] }), dense(1)]);
      m.compile({ optimizer: new SGD({ lr: 0.05, momentum: 0.9 }), loss: 'meanSquaredError' });
      return m;
    };
    const { x, y } = data();
    const straight = make();
    await straight.fit(x, y, { epochs: 4, batchSize: 8, shuffle: false, verbose: 0 });

    const first = make();
    await first.fit(x, y, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });
    const dir = tmp();
    await first.save(dir);
    const resumed = await loadModel(dir);
    const h = await resumed.fit(x, y, { epochs: 4, initialEpoch: 2, batchSize: 8, shuffle: false, verbose: 0 });
    expect(h.epoch).toEqual([2, 3]);
    const a = straight.getWeights().map((w) => Array.from(w.dataSync()));
    const b = resumed.getWeights().map((w) => Array.from(w.dataSync()));
    a.forEach((w, i) => w.forEach((v, j) => expect(b[i][j]).toBeCloseTo(v, 6)));
  });
});
