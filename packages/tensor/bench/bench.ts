// `pnpm bench` for @nn/tensor: our wasm backend (1 and 2 threads) and cpu backend beside tfjs's cpu and wasm
// backends on the same inputs, in one run, printed as ratios against tfjs-wasm. Not a test: numbers vary
// with the machine and its load.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as nn from '../src/index.js';
import { initWasmBackend } from '../src/wasm.js';

const require = createRequire(import.meta.url);

/** Median seconds per call over enough repetitions to fill ~`budget` seconds (at least 3). */
function time(fn: () => void, budget = 0.6): number {
  fn();
  const samples: number[] = [];
  const end = performance.now() + budget * 1000;
  while (performance.now() < end || samples.length < 3) {
    const t0 = performance.now();
    fn();
    samples.push((performance.now() - t0) / 1000);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

interface Case {
  name: string;
  unit: 'GFLOP/s' | 'Melem/s';
  /** FLOPs or elements per call. */
  work: number;
  inputs: { values: Float32Array; shape: number[] }[];
  nn: (...xs: nn.Tensor[]) => nn.Tensor;
  tf: (...xs: tf.Tensor[]) => tf.Tensor;
}

const g = new nn.Generator(1);
const values = (shape: number[]) => ({ values: nn.randn(shape, { generator: g }).dataSync(), shape });
const N = 1 << 20;
const CASES: Case[] = [
  ...[256, 512, 1024].map((n): Case => ({ name: `matmul ${n}x${n}`, unit: 'GFLOP/s', work: 2 * n ** 3, inputs: [values([n, n]), values([n, n])], nn: (a, b) => nn.matmul(a, b), tf: (a, b) => tf.matMul(a, b) })),
  { name: 'relu 1M', unit: 'Melem/s', work: N, inputs: [values([N])], nn: (x) => nn.relu(x), tf: (x) => tf.relu(x) },
  { name: 'add 1M', unit: 'Melem/s', work: N, inputs: [values([N]), values([N])], nn: (x, y) => nn.add(x, y), tf: (x, y) => tf.add(x, y) },
  { name: 'mul 1M', unit: 'Melem/s', work: N, inputs: [values([N]), values([N])], nn: (x, y) => nn.mul(x, y), tf: (x, y) => tf.mul(x, y) },
  { name: 'exp 1M', unit: 'Melem/s', work: N, inputs: [values([N])], nn: (x) => nn.exp(x), tf: (x) => tf.exp(x) },
  { name: 'sigmoid 1M', unit: 'Melem/s', work: N, inputs: [values([N])], nn: (x) => nn.sigmoid(x), tf: (x) => tf.sigmoid(x) },
  { name: 'sum 1M', unit: 'Melem/s', work: N, inputs: [values([N])], nn: (x) => nn.sum(x), tf: (x) => tf.sum(x) },
  { name: 'sum rows 1024x1024', unit: 'Melem/s', work: N, inputs: [values([1024, 1024])], nn: (m) => nn.sum(m, 1), tf: (m) => tf.sum(m, 1) },
  { name: 'softmax 1024x1024', unit: 'Melem/s', work: N, inputs: [values([1024, 1024])], nn: (m) => nn.softmax(m), tf: (m) => tf.softmax(m) },
  { name: 'add bias [1024,1024]+[1024]', unit: 'Melem/s', work: N, inputs: [values([1024, 1024]), values([1024])], nn: (m, b) => nn.add(m, b), tf: (m, b) => tf.add(m, b) },
];

const COLUMNS = ['wasm x1', 'wasm x2', 'nn cpu', 'tfjs-cpu', 'tfjs-wasm'] as const;
type Column = (typeof COLUMNS)[number];
const results = new Map<string, Partial<Record<Column, number>>>();
const put = (c: Case, col: Column, seconds: number) => results.set(c.name, { ...results.get(c.name), [col]: c.work / seconds / (c.unit === 'GFLOP/s' ? 1e9 : 1e6) });

function runNn(col: Column) {
  for (const c of CASES) {
    const xs = c.inputs.map(({ values: v, shape }) => nn.tensor(v, shape));
    // tfjs-cpu and our cpu at 1024 are slow enough that three samples rank them.
    put(c, col, time(() => nn.tidy(() => void c.nn(...xs)), col === 'nn cpu' && c.work > 1e9 ? 0 : 0.6));
    xs.forEach((x) => x.dispose());
  }
}

async function runTf(backend: 'cpu' | 'wasm') {
  await tf.setBackend(backend);
  await tf.ready();
  for (const c of CASES) {
    const xs = c.inputs.map(({ values: v, shape }) => tf.tensor(v, shape));
    // Both run synchronously on the CPU, so the work is done when the call returns.
    put(c, backend === 'cpu' ? 'tfjs-cpu' : 'tfjs-wasm', time(() => tf.tidy(() => void c.tf(...xs)), backend === 'cpu' && c.work > 1e8 ? 0 : 0.6));
    tf.dispose(xs);
  }
}

async function main() {
  setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + '/');
  nn.setBackend('cpu');
  runNn('nn cpu');
  await initWasmBackend({ threads: 1 });
  nn.setBackend('wasm');
  runNn('wasm x1');
  await initWasmBackend({ threads: 2 });
  runNn('wasm x2');
  await runTf('wasm');
  await runTf('cpu');

  const num = (v = NaN) => v.toFixed(v < 10 ? 2 : 0).padStart(9);
  const ratio = (a = NaN, b = NaN) => `${(a / b).toFixed(2)}x`.padStart(9);
  console.log(`@nn/tensor wasm/cpu backends vs tfjs 4.x (node ${process.version}); higher is better; ratios: ours / tfjs-wasm, and wasm x2 / x1`);
  console.log(`${'case'.padEnd(30)} ${'unit'.padEnd(8)} ${COLUMNS.map((c) => c.padStart(9)).join(' ')} ${'x1/tfw'.padStart(9)} ${'cpu/tfw'.padStart(9)} ${'x2/x1'.padStart(9)}`);
  for (const c of CASES) {
    const r = results.get(c.name)!;
    console.log(`${c.name.padEnd(30)} ${c.unit.padEnd(8)} ${COLUMNS.map((col) => num(r[col])).join(' ')} ${ratio(r['wasm x1'], r['tfjs-wasm'])} ${ratio(r['nn cpu'], r['tfjs-wasm'])} ${ratio(r['wasm x2'], r['wasm x1'])}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
