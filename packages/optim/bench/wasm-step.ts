// One optimizer step over 1M parameters on the wasm backend: its f32x4 fused kernels (assembly/optim.ts in
// @nn/tensor) beside what the backend ran before them (the cpu backend's scalar float64 loops over views of
// the module's memory), our cpu backend, and TensorFlow.js' own optimizers on its wasm backend. Columns are
// interleaved round by round, so a change in the machine's load hits all alike. Not a test: prints ms/step.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { registry } from '@nn/core';
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { cpuBackend, setBackend, tensor, type Backend, type Tensor } from '@nn/tensor';
import { initWasmBackend, wasmBackend } from '@nn/tensor/wasm';
import { median, secondsPerCall } from '../../tensor/bench/timing.js';
import { Adam, AdamW, NAdam, RMSprop, SGD, type Optimizer } from '../src/index.js';

const require = createRequire(import.meta.url);
setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'))}/dist/`);

const N = 1 << 20;
const ROUNDS = 5;

/**
 * The wasm backend as it was before its SIMD updates: everything its own, except that `fusedUpdate` runs the
 * cpu reference loops in place over views of the linear memory.
 */
const refLoop: Backend<number> = Object.create(wasmBackend, {
  name: { value: 'wasm-ref-loop' },
  fusedUpdate: {
    value: (rule: Parameters<NonNullable<Backend['fusedUpdate']>>[0], w: number, g: number, state: Readonly<Record<string, number>>, size: number, scalars: Record<string, number>) => {
      const view = (p: number) => wasmBackend.view(p, size);
      const views = Object.fromEntries(Object.entries(state).map(([k, p]) => [k, view(p)]));
      return cpuBackend.fusedUpdate!(rule, view(w), view(g), views, size, scalars);
    },
  },
});
registry.register('backend', 'wasm-ref-loop', refLoop);

interface Case {
  name: string;
  ours: (p: Tensor) => Optimizer;
  tf?: () => tf.Optimizer;
}

const CASES: Case[] = [
  { name: 'Adam', ours: (p) => new Adam([p], { lr: 1e-3 }), tf: () => tf.train.adam(1e-3) },
  { name: 'SGD momentum 0.9', ours: (p) => new SGD([p], { lr: 1e-2, momentum: 0.9 }), tf: () => tf.train.momentum(1e-2, 0.9) },
  { name: 'SGD', ours: (p) => new SGD([p], { lr: 1e-2 }), tf: () => tf.train.sgd(1e-2) },
  { name: 'RMSprop', ours: (p) => new RMSprop([p], { lr: 1e-3 }), tf: () => tf.train.rmsprop(1e-3, 0.99, 0, 1e-8) },
  { name: 'AdamW amsgrad', ours: (p) => new AdamW([p], { amsgrad: true }) },
  { name: 'NAdam', ours: (p) => new NAdam([p]) },
];

const COLUMNS = ['wasm simd', 'wasm ref loop', 'nn cpu', 'tfjs-wasm'] as const;
type Column = (typeof COLUMNS)[number];
const BACKEND: Record<Exclude<Column, 'tfjs-wasm'>, string> = { 'wasm simd': 'wasm', 'wasm ref loop': 'wasm-ref-loop', 'nn cpu': 'cpu' };

function values(seed: number, scale: number): Float32Array {
  return Float32Array.from({ length: N }, (_, i) => Math.sin(seed * 12.9898 + i * 78.233) * scale);
}
const W = values(1, 1);
const G = values(2, 1e-2);

/** Median milliseconds per call over ~0.4 s (at least 5 calls), after two warm-up calls. */
const time = (fn: () => void): number => 1000 * secondsPerCall(fn, { budget: 0.4, minCalls: 5, warmup: 2 });

/** A step function for one column: the parameter, gradient and optimizer live on its backend. */
function stepper(c: Case, col: Column): { step: () => void; dispose: () => void } | null {
  if (col === 'tfjs-wasm') {
    if (!c.tf) return null;
    const v = tf.variable(tf.tensor1d(W), true, `w${Math.random()}`);
    const g = tf.tensor1d(G);
    const opt = c.tf();
    return { step: () => opt.applyGradients({ [v.name]: g }), dispose: () => (opt.dispose(), v.dispose(), g.dispose()) };
  }
  setBackend(BACKEND[col]);
  const p = tensor(W);
  p.requiresGrad = true;
  p.grad = tensor(G);
  const opt = c.ours(p);
  return { step: () => opt.step(), dispose: () => (p.grad?.dispose(), p.dispose()) };
}

async function main() {
  await initWasmBackend({ threads: 1 });
  await tf.setBackend('wasm');
  await tf.ready();
  const rows: string[][] = [['1M parameters, ms/step', ...COLUMNS, 'ref/simd', 'tfjs/simd']];
  for (const c of CASES) {
    const samples: Partial<Record<Column, number[]>> = {};
    for (let r = 0; r < ROUNDS; r++) {
      for (const col of COLUMNS) {
        const s = stepper(c, col);
        if (!s) continue;
        (samples[col] ??= []).push(time(s.step));
        s.dispose();
      }
    }
    const med = (col: Column) => median(samples[col] ?? []);
    const ms = (v: number) => (Number.isNaN(v) ? '-' : v.toFixed(2));
    const ratio = (a: number, b: number) => (Number.isNaN(a) ? '-' : `${(a / b).toFixed(2)}x`);
    rows.push([c.name, ...COLUMNS.map((col) => ms(med(col))), ratio(med('wasm ref loop'), med('wasm simd')), ratio(med('tfjs-wasm'), med('wasm simd'))]);
  }
  console.log(`@nn/optim on wasm: SIMD fused updates vs the reference loops they replaced, nn cpu and tfjs-wasm ${tf.version_core} (node ${process.version}); median of ${ROUNDS} interleaved rounds; ratios > 1: the SIMD kernels are faster`);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
