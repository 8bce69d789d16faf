// One optimizer step over 1M and 10M parameters: @nn/optim (cpu backend, in-place Float32Array loops)
// beside TensorFlow.js' own optimizers on its wasm backend. Not a test: prints milliseconds and ratios.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { Generator, randn, setBackend } from '@nn/tensor';
import { Adadelta, Adagrad, Adam, AdamW, Adamax, NAdam, RMSprop, SGD, clipGradNorm, type Optimizer, type StepOptions } from '../src/index.js';

const require = createRequire(import.meta.url);
const wasmDir = `${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'))}/dist/`;
setWasmPaths(wasmDir);

const SIZES = [1_000_000, 10_000_000];
const WARMUP = 10;
const REPS = 25;

interface Timing {
  median: number;
  min: number;
}

function time(fn: () => void): Timing {
  for (let i = 0; i < WARMUP; i++) fn();
  const ts: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  return { median: ts[Math.floor(ts.length / 2)], min: ts[0] };
}

function ours(make: (p: ReturnType<typeof randn>) => Optimizer, n: number, options?: StepOptions): Timing {
  const generator = new Generator(1);
  const p = randn([n], { generator });
  p.requiresGrad = true;
  p.grad = randn([n], { generator, std: 1e-2 });
  const opt = make(p);
  return time(() => opt.step(undefined, options));
}

/** clipGradNorm alone: the global norm (one pass), its readback, and the in-place scaling (every call scales). */
function clipping(n: number): Timing {
  const generator = new Generator(1);
  const p = randn([n], { generator });
  p.grad = randn([n], { generator, std: 1e-2 });
  return time(() => clipGradNorm([p], 1e-3));
}

function theirs(make: () => tf.Optimizer, n: number): Timing {
  const v = tf.variable(tf.randomNormal([n], 0, 1, 'float32', 1), true, `w${n}${Math.random()}`);
  const g = tf.randomNormal([n], 0, 1e-2, 'float32', 2);
  const opt = make();
  const ms = time(() => opt.applyGradients({ [v.name]: g }));
  opt.dispose();
  v.dispose();
  g.dispose();
  return ms;
}

async function main() {
  // The cpu backend's loops (the wasm backend's kernels have bench/wasm-step.ts); the default would be wasm.
  setBackend('cpu');
  await tf.setBackend('wasm');
  await tf.ready();
  console.log(`node ${process.version}, @nn/optim on the cpu backend, tfjs-core ${tf.version_core} on ${tf.getBackend()}; ms per step: median (min) of ${REPS} steps after ${WARMUP} warm-up steps\n`);
  const rows: string[][] = [['parameters', 'optimizer', '@nn/optim ms', 'tfjs wasm ms', 'tfjs / ours (median)']];
  const fmt = (t: Timing) => `${t.median.toFixed(2)} (${t.min.toFixed(2)})`;
  const ratio = (theirs: Timing, ours: Timing) => `${(theirs.median / ours.median).toFixed(2)}x`;
  for (const n of SIZES) {
    const label = `${n / 1e6}M`;
    const adam = ours((p) => new Adam([p], { lr: 1e-3 }), n);
    const tfAdam = theirs(() => tf.train.adam(1e-3), n);
    rows.push([label, 'Adam', fmt(adam), fmt(tfAdam), ratio(tfAdam, adam)]);
    const sgd = ours((p) => new SGD([p], { lr: 1e-2, momentum: 0.9 }), n);
    const tfSgd = theirs(() => tf.train.momentum(1e-2, 0.9), n);
    rows.push([label, 'SGD momentum 0.9', fmt(sgd), fmt(tfSgd), ratio(tfSgd, sgd)]);
    const clipped = ours((p) => new Adam([p], { lr: 1e-3, clipNorm: 1 }), n);
    rows.push([label, 'Adam + clipNorm', fmt(clipped), '-', '-']);
    // As trainStep calls it: the gradients are the step's own, so clipping scales them in place.
    const owned = ours((p) => new Adam([p], { lr: 1e-3, clipNorm: 1 }), n, { gradsOwned: true });
    rows.push([label, 'Adam + clipNorm, gradsOwned', fmt(owned), '-', '-']);
    rows.push([label, 'clipGradNorm alone', fmt(clipping(n)), '-', '-']);
  }
  print(rows);

  console.log('\nevery optimizer of @nn/optim, 1M parameters (defaults):\n');
  const all: [string, (p: ReturnType<typeof randn>) => Optimizer][] = [
    ['SGD momentum 0.9', (p) => new SGD([p], { momentum: 0.9 })],
    ['SGD nesterov + weightDecay', (p) => new SGD([p], { momentum: 0.9, nesterov: true, weightDecay: 1e-4 })],
    ['Adagrad', (p) => new Adagrad([p])],
    ['RMSprop', (p) => new RMSprop([p])],
    ['RMSprop centered + momentum', (p) => new RMSprop([p], { centered: true, momentum: 0.9 })],
    ['Adadelta', (p) => new Adadelta([p])],
    ['Adam', (p) => new Adam([p])],
    ['Adam amsgrad', (p) => new Adam([p], { amsgrad: true })],
    ['AdamW', (p) => new AdamW([p])],
    ['NAdam', (p) => new NAdam([p])],
    ['Adamax', (p) => new Adamax([p])],
  ];
  print([['optimizer', 'ms'], ...all.map(([name, make]) => [name, fmt(ours(make, 1_000_000))])]);
}

function print(rows: string[][]) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c])).join('  '));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
