// `pnpm bench` for @nn/layers: training throughput (samples/s) of two MLPs through `fit` on our wasm
// backend (1 and 2 threads) and cpu backend, beside the same networks trained by tfjs-core's optimizers on
// tfjs-cpu and tfjs-wasm and, where a Python with torch is installed, by PyTorch on one thread (the peer in
// @nn/tensor's bench/torch-peer.ts), in one run, printed as ratios against tfjs-wasm and PyTorch. Not a
// test: numbers vary with the machine and its load.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { Adam, SGD } from '@nn/optim';
import * as nn from '@nn/tensor';
import { initWasmBackend } from '@nn/tensor/wasm';
import { roundOrder } from '../../tensor/bench/rounds.js';
import { median } from '../../tensor/bench/timing.js';
import { TorchPeer } from '../../tensor/bench/torch-peer.js';
import { dense, sequential } from '../src/index.js';

const require = createRequire(import.meta.url);

interface Net {
  name: string;
  sizes: number[];
  batch: number;
  /** Samples per timed epoch. */
  samples: number;
  optimizer: 'adam' | 'sgd';
  /** Softmax over classes, or one sigmoid unit. */
  head: 'softmax' | 'sigmoid';
}

const NETS: Net[] = [
  { name: '784-256-128-10 Adam b128', sizes: [784, 256, 128, 10], batch: 128, samples: 128 * 24, optimizer: 'adam', head: 'softmax' },
  { name: '30-64-64-1 SGD b32', sizes: [30, 64, 64, 1], batch: 32, samples: 32 * 200, optimizer: 'sgd', head: 'sigmoid' },
];

function data(net: Net) {
  const g = new nn.Generator(7);
  const inputs = net.sizes[0];
  const classes = net.sizes[net.sizes.length - 1];
  const x = nn.rand([net.samples, inputs], { generator: g }).dataSync();
  const labels = Float32Array.from({ length: net.samples }, (_, i) => (net.head === 'softmax' ? (i * 7) % net.sizes[3] : i % 2));
  return { x, labels, inputs, classes };
}

/** One training epoch; the PyTorch peer's says the seconds it measured itself (no pipe round trip in them). */
type Epoch = () => Promise<number | void>;

/** Our model through `fit`, on the current backend. */
function ours(net: Net): Epoch {
  const { x, labels, inputs } = data(net);
  const hidden = net.sizes.slice(1, -1);
  const model = sequential([
    ...hidden.map((units, i) => dense(units, { activation: 'relu', ...(i === 0 ? { inputShape: [inputs] } : {}) })),
    dense(net.sizes[net.sizes.length - 1], { activation: net.head }),
  ]);
  model.compile({
    optimizer: net.optimizer === 'adam' ? new Adam({ lr: 1e-3 }) : new SGD({ lr: 0.01 }),
    loss: net.head === 'softmax' ? 'sparseCategoricalCrossentropy' : 'binaryCrossentropy',
  });
  const xs = nn.tensor(x, [net.samples, inputs]);
  const ys = net.head === 'softmax' ? nn.tensor(labels) : nn.tensor(labels, [net.samples, 1]);
  return async () => void (await model.fit(xs, ys, { epochs: 1, batchSize: net.batch, shuffle: false, verbose: 0 }));
}

/** The same network in tfjs-core on the current tfjs backend. */
let tfModels = 0;

function tfjs(net: Net): Epoch {
  // tfjs names variables globally: each model's get a prefix.
  const tag = `m${++tfModels}`;
  const { x, labels, inputs, classes } = data(net);
  const params = net.sizes.slice(1).map((out, i) => {
    const fanIn = net.sizes[i];
    const limit = Math.sqrt(6 / (fanIn + out));
    return { w: tf.variable(tf.randomUniform([fanIn, out], -limit, limit), true, `${tag}w${i}`), b: tf.variable(tf.zeros([out]), true, `${tag}b${i}`) };
  });
  const optimizer = net.optimizer === 'adam' ? tf.train.adam(1e-3) : tf.train.sgd(0.01);
  const xs = tf.tensor2d(x, [net.samples, inputs]);
  const ys = net.head === 'softmax' ? tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), classes), 'float32') : tf.tensor2d(labels, [net.samples, 1]);
  const batches = net.samples / net.batch;
  // tfjs-core ships no gradients for Node's ESM import (they live in an entry Node cannot load), so the
  // backward pass is written out: the same work tfjs' tape would do, then the optimizer's applyGradients.
  const names = params.flatMap((_, i) => [`${tag}w${i}`, `${tag}b${i}`]);
  const epoch = async () => {
    for (let b = 0; b < batches; b++) {
      const loss = tf.tidy(() => {
        const xb = tf.slice(xs, [b * net.batch, 0], [net.batch, inputs]);
        const yb = tf.slice(ys, [b * net.batch, 0], [net.batch, ys.shape[1]!]);
        const hs: tf.Tensor2D[] = [xb];
        let z: tf.Tensor2D = xb;
        params.forEach(({ w, b: bias }, i) => {
          z = tf.add(tf.matMul(hs[i], w), bias);
          if (i < params.length - 1) hs.push(tf.relu(z));
        });
        const p = net.head === 'softmax' ? tf.softmax(z) : tf.sigmoid(z);
        const value = net.head === 'softmax' ? tf.losses.softmaxCrossEntropy(yb, z) : tf.losses.sigmoidCrossEntropy(yb, z);
        let dz: tf.Tensor2D = tf.div(tf.sub(p, yb), net.batch);
        const grads: Record<string, tf.Tensor> = {};
        for (let i = params.length - 1; i >= 0; i--) {
          grads[`${tag}w${i}`] = tf.matMul(hs[i], dz, true, false);
          grads[`${tag}b${i}`] = tf.sum(dz, 0);
          if (i > 0) dz = tf.mul(tf.matMul(dz, params[i].w, false, true), tf.step(hs[i]));
        }
        optimizer.applyGradients(names.map((name) => ({ name, tensor: grads[name] })));
        return value;
      });
      // The loss for the progress line, as fit reads it.
      await loss.data();
      loss.dispose();
    }
  };
  return epoch;
}

/** The same network in PyTorch (torch_peer.py), same data, same batches. */
function pytorch(net: Net, peer: TorchPeer): Epoch {
  const { x, labels, inputs } = data(net);
  const request = { op: 'fit', ...net, x: peer.input(x, [net.samples, inputs]), labels: peer.input(labels, [net.samples]) };
  return () => peer.seconds(request);
}

const ALL_COLUMNS = ['wasm x1', 'wasm x2', 'nn cpu', 'tfjs-cpu', 'tfjs-wasm', 'torch x1'] as const;
type Column = (typeof ALL_COLUMNS)[number];

async function enter(col: Column): Promise<void> {
  if (col === 'torch x1') return;
  if (col === 'nn cpu') nn.setBackend('cpu');
  else if (col.startsWith('wasm')) {
    await initWasmBackend({ threads: col === 'wasm x2' ? 2 : 1 });
    nn.setBackend('wasm');
  } else {
    await tf.setBackend(col === 'tfjs-cpu' ? 'cpu' : 'wasm');
    await tf.ready();
  }
}

/** Timed epochs per column, interleaved over the columns so that a change in load hits each alike. */
const ROUNDS = 7;
/**
 * Warm-up per column: epochs until this long has passed (at least one). V8 needs several epochs to optimize
 * the JavaScript of a step: with one warm-up epoch the small net's first timed epochs ran 3-4x slower than
 * its tenth, which ranked the first-timed column lowest.
 */
const WARMUP_SECONDS = 1.5;
/** tfjs-cpu's epochs of the 784 net take seconds: it is timed in the first three rounds only. */
const SLOW_ROUNDS = 3;

async function main() {
  setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + '/');
  const torch = await TorchPeer.start();
  const COLUMNS = ALL_COLUMNS.filter((col) => col !== 'torch x1' || torch);
  const rows: Record<Column, number>[] = [];
  for (const net of NETS) {
    // One model per backend (wasm x1 and x2 share one: the thread count changes under it), warmed up.
    const epochs = {} as Record<Column, Epoch>;
    for (const col of COLUMNS) {
      await enter(col);
      epochs[col] = col === 'wasm x2' ? epochs['wasm x1'] : col === 'torch x1' ? pytorch(net, torch!) : col.startsWith('tfjs') ? tfjs(net) : ours(net);
      const end = performance.now() + WARMUP_SECONDS * 1000;
      do await epochs[col]();
      while (performance.now() < end);
    }
    const rates: Partial<Record<Column, number[]>> = {};
    for (let r = 0; r < ROUNDS; r++) {
      for (const col of roundOrder(COLUMNS, r)) {
        if (col === 'tfjs-cpu' && r >= SLOW_ROUNDS) continue;
        await enter(col);
        const t0 = performance.now();
        const seconds = (await epochs[col]()) ?? (performance.now() - t0) / 1000;
        (rates[col] ??= []).push(net.samples / seconds);
      }
    }
    rows.push(Object.fromEntries(COLUMNS.map((col) => [col, median(rates[col]!)])) as Record<Column, number>);
  }
  const num = (v: number) => v.toFixed(0).padStart(10);
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`.padStart(9);
  const vsTorch = torch ? `; x1/torch: wasm x1 vs PyTorch (${torch.version})` : '';
  console.log(`@nn/layers fit throughput (samples/s, node ${process.version}); higher is better; ratios against tfjs-wasm${vsTorch}`);
  console.log(`${'net'.padEnd(26)} ${COLUMNS.map((c) => c.padStart(10)).join(' ')} ${'x1/tfw'.padStart(9)} ${'x2/tfw'.padStart(9)} ${'cpu/tfw'.padStart(9)}${torch ? 'x1/torch'.padStart(10) : ''}`);
  NETS.forEach((net, i) => {
    const r = rows[i];
    const toTorch = torch ? ` ${ratio(r['wasm x1'], r['torch x1'])}` : '';
    console.log(`${net.name.padEnd(26)} ${COLUMNS.map((col) => num(r[col])).join(' ')} ${ratio(r['wasm x1'], r['tfjs-wasm'])} ${ratio(r['wasm x2'], r['tfjs-wasm'])} ${ratio(r['nn cpu'], r['tfjs-wasm'])}${toTorch}`);
  });
  torch?.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
