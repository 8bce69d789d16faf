// `pnpm bench` for @nn/tensor: our wasm backend (1 and 2 threads) and cpu backend beside tfjs's cpu and wasm
// backends and, where a Python with torch is installed, PyTorch on one thread (bench/torch-peer.ts), on the
// same inputs, in one run, printed as ratios against tfjs-wasm and PyTorch. Not a test: numbers vary with
// the machine and its load.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as nn from '../src/index.js';
import { initWasmBackend } from '../src/wasm.js';
import { roundOrder } from './rounds.js';
import { median, secondsPerCall } from './timing.js';
import { TorchPeer, type TorchInput } from './torch-peer.js';

const require = createRequire(import.meta.url);

interface Case {
  name: string;
  unit: 'GFLOP/s' | 'Melem/s';
  /** FLOPs or elements per call. */
  work: number;
  inputs: { values: Float32Array; shape: number[] }[];
  nn: (...xs: nn.Tensor[]) => nn.Tensor;
  tf: (...xs: tf.Tensor[]) => tf.Tensor;
  /** The kernel's name in torch_peer.py. */
  torch: string;
}

const g = new nn.Generator(1);
const values = (shape: number[]) => ({ values: nn.randn(shape, { generator: g }).dataSync(), shape });
const N = 1 << 20;
const CASES: Case[] = [
  ...[256, 512, 1024].map((n): Case => ({ name: `matmul ${n}x${n}`, unit: 'GFLOP/s', work: 2 * n ** 3, inputs: [values([n, n]), values([n, n])], nn: (a, b) => nn.matmul(a, b), tf: (a, b) => tf.matMul(a, b), torch: 'matmul' })),
  { name: 'relu 1M', unit: 'Melem/s', work: N, inputs: [values([N])], nn: (x) => nn.relu(x), tf: (x) => tf.relu(x), torch: 'relu' },
  { name: 'add 1M', unit: 'Melem/s', work: N, inputs: [values([N]), values([N])], nn: (x, y) => nn.add(x, y), tf: (x, y) => tf.add(x, y), torch: 'add' },
  { name: 'mul 1M', unit: 'Melem/s', work: N, inputs: [values([N]), values([N])], nn: (x, y) => nn.mul(x, y), tf: (x, y) => tf.mul(x, y), torch: 'mul' },
  { name: 'exp 1M', unit: 'Melem/s', work: N, inputs: [values([N])], nn: (x) => nn.exp(x), tf: (x) => tf.exp(x), torch: 'exp' },
  { name: 'sigmoid 1M', unit: 'Melem/s', work: N, inputs: [values([N])], nn: (x) => nn.sigmoid(x), tf: (x) => tf.sigmoid(x), torch: 'sigmoid' },
  { name: 'sum 1M', unit: 'Melem/s', work: N, inputs: [values([N])], nn: (x) => nn.sum(x), tf: (x) => tf.sum(x), torch: 'sum' },
  { name: 'sum rows 1024x1024', unit: 'Melem/s', work: N, inputs: [values([1024, 1024])], nn: (m) => nn.sum(m, 1), tf: (m) => tf.sum(m, 1), torch: 'sum_rows' },
  { name: 'softmax 1024x1024', unit: 'Melem/s', work: N, inputs: [values([1024, 1024])], nn: (m) => nn.softmax(m), tf: (m) => tf.softmax(m), torch: 'softmax' },
  { name: 'add bias [1024,1024]+[1024]', unit: 'Melem/s', work: N, inputs: [values([1024, 1024]), values([1024])], nn: (m, b) => nn.add(m, b), tf: (m, b) => tf.add(m, b), torch: 'add' },
];

const ALL_COLUMNS = ['wasm x1', 'wasm x2', 'nn cpu', 'tfjs-cpu', 'tfjs-wasm', 'torch x1'] as const;
type Column = (typeof ALL_COLUMNS)[number];
const results = new Map<string, Partial<Record<Column, number>>>();
const put = (c: Case, col: Column, seconds: number) => results.set(c.name, { ...results.get(c.name), [col]: c.work / seconds / (c.unit === 'GFLOP/s' ? 1e9 : 1e6) });

let torch: TorchPeer | null = null;
const torchInputs = new Map<string, TorchInput[]>();

/** How each column runs a case: set its backend up, then the median seconds per call. */
const RUNNERS: Record<Column, { enter: () => Promise<void>; time: (c: Case) => number | Promise<number> }> = {
  'nn cpu': { enter: async () => nn.setBackend('cpu'), time: (c) => timeNn(c) },
  'wasm x1': { enter: async () => void (await initWasmBackend({ threads: 1 }), nn.setBackend('wasm')), time: (c) => timeNn(c) },
  'wasm x2': { enter: async () => void (await initWasmBackend({ threads: 2 }), nn.setBackend('wasm')), time: (c) => timeNn(c) },
  'tfjs-cpu': { enter: () => useTf('cpu'), time: (c) => timeTf(c) },
  'tfjs-wasm': { enter: () => useTf('wasm'), time: (c) => timeTf(c) },
  'torch x1': { enter: async () => {}, time: (c) => timeTorch(c) },
};

async function useTf(backend: 'cpu' | 'wasm') {
  await tf.setBackend(backend);
  await tf.ready();
}

// The slow columns (cpu kernels) at the largest sizes are timed with the minimum three samples.
const budget = (c: Case, slow: boolean) => (slow && c.work > 1e8 ? 0 : 0.25);

function timeNn(c: Case): number {
  const xs = c.inputs.map(({ values: v, shape }) => nn.tensor(v, shape));
  const t = secondsPerCall(() => nn.tidy(() => void c.nn(...xs)), { budget: budget(c, nn.getBackend().name === 'cpu') });
  xs.forEach((x) => x.dispose());
  return t;
}

function timeTf(c: Case): number {
  const xs = c.inputs.map(({ values: v, shape }) => tf.tensor(v, shape));
  // Both run synchronously on the CPU, so the work is done when the call returns.
  const t = secondsPerCall(() => tf.tidy(() => void c.tf(...xs)), { budget: budget(c, tf.getBackend() === 'cpu') });
  tf.dispose(xs);
  return t;
}

function timeTorch(c: Case): Promise<number> {
  if (!torchInputs.has(c.name)) torchInputs.set(c.name, c.inputs.map(({ values: v, shape }) => torch!.input(v, shape)));
  return torch!.seconds({ op: 'case', name: c.name, kind: c.torch, inputs: torchInputs.get(c.name), budget: budget(c, false) });
}

// `tsx bench/bench.ts matmul relu` runs the cases whose names contain one of the words; no words, all.
const words = process.argv.slice(2);
const cases = CASES.filter((c) => words.length === 0 || words.some((w) => c.name.includes(w)));

/** Rounds over the columns, interleaved so that a change in the machine's load hits every column alike. */
const ROUNDS = 5;

async function main() {
  setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + '/');
  torch = await TorchPeer.start();
  const COLUMNS = ALL_COLUMNS.filter((col) => col !== 'torch x1' || torch);
  for (const c of cases) {
    const samples: Partial<Record<Column, number[]>> = {};
    for (let r = 0; r < ROUNDS; r++) {
      for (const col of roundOrder(COLUMNS, r)) {
        // tfjs-cpu's matmul at 512+ takes seconds a call: one round ranks it.
        if (col === 'tfjs-cpu' && c.work > 1e8 && r > 0) continue;
        await RUNNERS[col].enter();
        (samples[col] ??= []).push(await RUNNERS[col].time(c));
      }
    }
    for (const col of COLUMNS) put(c, col, median(samples[col]!));
  }

  const num = (v = NaN) => v.toFixed(v < 10 ? 2 : 0).padStart(9);
  const ratio = (a = NaN, b = NaN) => `${(a / b).toFixed(2)}x`.padStart(9);
  const vsTorch = torch ? `, and x1/torch: wasm x1 vs PyTorch (${torch.version})` : '';
  console.log(`@nn/tensor wasm/cpu backends vs tfjs 4.x (node ${process.version}); higher is better; ratios: ours / tfjs-wasm, wasm x2 / x1${vsTorch}`);
  console.log(`${'case'.padEnd(30)} ${'unit'.padEnd(8)} ${COLUMNS.map((c) => c.padStart(9)).join(' ')} ${'x1/tfw'.padStart(9)} ${'cpu/tfw'.padStart(9)} ${'x2/x1'.padStart(9)}${torch ? 'x1/torch'.padStart(10) : ''}`);
  for (const c of cases) {
    const r = results.get(c.name)!;
    const toTorch = torch ? ` ${ratio(r['wasm x1'], r['torch x1'])}` : '';
    console.log(`${c.name.padEnd(30)} ${c.unit.padEnd(8)} ${COLUMNS.map((col) => num(r[col])).join(' ')} ${ratio(r['wasm x1'], r['tfjs-wasm'])} ${ratio(r['nn cpu'], r['tfjs-wasm'])} ${ratio(r['wasm x2'], r['wasm x1'])}${toTorch}`);
  }
  torch?.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
