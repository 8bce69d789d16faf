// A training step on 'gpujs' with the real optimizers moves nothing between host and device except what is
// asked for (the loss): the update, its state, clipping, batch norm's running statistics and constraints
// stay on the device. Runs in whatever mode gpu.js selects (webasm in plain Node, headless-gl and the
// browsers in .ci/gpu-tests.sh); the counts are the same in every mode.
import { describe, expect, it } from 'vitest';
import { batchNorm, dense, sequential, trainStep } from '@nn/layers';
import { Adadelta, Adagrad, Adam, AdamW, Adamax, NAdam, RMSprop, SGD, type Optimizer } from '@nn/optim';
import { maxNorm } from '@nn/regularize';
import * as nn from '../index.js';
import type { Tensor } from '../index.js';
import { gpuBackend } from '../gpu.js';
import { makeData, makeMlp, trainMlp } from './mlp.js';

function on<T>(backend: string, fn: () => T): T {
  nn.setBackend(backend);
  try {
    return fn();
  } finally {
    nn.setBackend('cpu');
  }
}

/** Uploads and readbacks made by `fn`. */
function counted(fn: () => void): { uploads: number; readbacks: number } {
  const before = gpuBackend.transfers();
  fn();
  const after = gpuBackend.transfers();
  return { uploads: after.uploads - before.uploads, readbacks: after.readbacks - before.readbacks };
}

const optimizers: [string, (p: Tensor[]) => Optimizer][] = [
  ['SGD nesterov', (p) => new SGD(p, { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-3 })],
  ['Adagrad', (p) => new Adagrad(p, { lr: 0.05 })],
  ['RMSprop centered momentum', (p) => new RMSprop(p, { lr: 0.01, centered: true, momentum: 0.5 })],
  ['Adadelta', (p) => new Adadelta(p, { lr: 1 })],
  ['Adam amsgrad clipNorm', (p) => new Adam(p, { lr: 0.01, amsgrad: true, clipNorm: 1 })],
  ['AdamW clipValue', (p) => new AdamW(p, { lr: 0.01, clipValue: 0.5 })],
  ['NAdam', (p) => new NAdam(p, { lr: 0.01 })],
  ['Adamax maximize', (p) => new Adamax(p, { lr: 0.01, maximize: true })],
];

describe('a training step on gpujs reads back only what is asked', () => {
  const { x, labels } = makeData(32, 5, 3);

  for (const [name, make] of optimizers) {
    it(`${name}: no transfer per step, and the cpu backend's parameters after 5 steps`, () => {
      const run = (backend: string) =>
        on(backend, () => {
          const mlp = makeMlp([5, 8, 3]);
          const opt = make(mlp.params);
          const xt = nn.tensor(x, [32, 5]);
          const yt = nn.tensor(labels, [32], 'int32');
          const moved = [0, 1, 2, 3, 4].map(() => counted(() => trainMlp(mlp, opt, xt, yt).dispose()));
          return { params: mlp.params.map((p) => p.dataSync()), moved, state: opt.getState(mlp.params[0])! };
        });
      const cpu = run('cpu');
      const gpu = run('gpujs');
      expect(gpu.moved).toEqual(gpu.moved.map(() => ({ uploads: 0, readbacks: 0 })));
      for (const v of Object.values(gpu.state)) if (typeof v !== 'number') expect(v.backend).toBe(gpuBackend);
      gpu.params.forEach((p, i) => p.forEach((v, j) => expect(Math.abs(v - cpu.params[i][j]), `param ${i}[${j}]: ${v} vs ${cpu.params[i][j]}`).toBeLessThan(1e-4 + 1e-4 * Math.abs(cpu.params[i][j]))));
    });
  }

  it('trainStep of a model (batchNorm, maxNorm, Adam with clipNorm): one readback per step, the loss', async () => {
    const model = on('gpujs', () => {
      const m = sequential([dense(8, { inputShape: [5], activation: 'relu', kernelConstraint: maxNorm(1) }), batchNorm(), dense(3)]);
      m.compile({ optimizer: new Adam({ lr: 0.01, clipNorm: 1 }), loss: 'sparseCategoricalCrossentropy' });
      m.buildIfDeclared();
      return m;
    });
    const xt = on('gpujs', () => nn.tensor(x, [32, 5]));
    const yt = on('gpujs', () => nn.tensor(labels, [32, 1]));
    const losses: number[] = [];
    const moved: { uploads: number; readbacks: number }[] = [];
    for (let step = 0; step < 4; step++) {
      const before = gpuBackend.transfers();
      const loss = on('gpujs', () => trainStep(model, xt, yt, { updateMetrics: false }));
      losses.push((await loss.data())[0]);
      loss.dispose();
      const after = gpuBackend.transfers();
      moved.push({ uploads: after.uploads - before.uploads, readbacks: after.readbacks - before.readbacks });
    }
    expect(moved).toEqual(moved.map(() => ({ uploads: 0, readbacks: 1 })));
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[3]).toBeLessThan(losses[0]);
    // Everything the step touched is still on the device: weights, running statistics, optimizer state.
    for (const w of model.getWeights()) expect(w.backend).toBe(gpuBackend);
  });

  it('fit: per step one readback (the loss for the progress line) and one upload (the batch indices of the host shuffle)', async () => {
    const model = on('gpujs', () => {
      const m = sequential([dense(8, { inputShape: [5], activation: 'relu' }), dense(3)]);
      m.compile({ optimizer: new Adam({ lr: 0.01 }), loss: 'sparseCategoricalCrossentropy' });
      return m;
    });
    const xt = on('gpujs', () => nn.tensor(x, [32, 5]));
    const yt = on('gpujs', () => nn.tensor(labels, [32, 1]));
    const before = gpuBackend.transfers();
    nn.setBackend('gpujs');
    const history = await model.fit(xt, yt, { epochs: 2, batchSize: 16, verbose: 0 }).finally(() => nn.setBackend('cpu'));
    const after = gpuBackend.transfers();
    expect({ uploads: after.uploads - before.uploads, readbacks: after.readbacks - before.readbacks }).toEqual({ uploads: 4, readbacks: 4 });
    expect(history.history.loss.every(Number.isFinite)).toBe(true);
  });
});
