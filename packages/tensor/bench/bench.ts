// `pnpm bench` for @nn/tensor: this cpu backend beside tfjs's cpu and wasm backends on the same inputs, in
// one run, printed as ratios. Not a test: numbers vary with the machine and its load.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as nn from '../src/index.js';

const require = createRequire(import.meta.url);

/** Median seconds per call over enough repetitions to fill ~`budget` seconds. */
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

async function useTf(backend: 'cpu' | 'wasm') {
  await tf.setBackend(backend);
  await tf.ready();
}

type Row = { name: string; unit: string; nn: number; tfCpu: number; tfWasm: number };
const rows: Row[] = [];

async function main() {
  setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + '/');
  const sizes = [64, 256, 512, 1024];
  for (const n of sizes) {
    const g = new nn.Generator(n);
    const a = nn.randn([n, n], { generator: g });
    const b = nn.randn([n, n], { generator: g });
    const flops = 2 * n ** 3;
    const nnT = time(() => nn.matmul(a, b));
    const results: Record<string, number> = {};
    for (const backend of ['cpu', 'wasm'] as const) {
      // Both sides run synchronously on the CPU, so no read-back is needed to finish the work; tfjs-cpu at
      // 512+ is slow enough that three samples rank it.
      await useTf(backend);
      const ta = tf.tensor(a.dataSync(), [n, n]);
      const tb = tf.tensor(b.dataSync(), [n, n]);
      results[backend] = time(() => tf.tidy(() => void tf.matMul(ta, tb)), backend === 'cpu' && n >= 512 ? 0 : 0.6);
      tf.dispose([ta, tb]);
    }
    rows.push({ name: `matmul ${n}x${n}`, unit: 'GFLOP/s', nn: flops / nnT / 1e9, tfCpu: flops / results.cpu / 1e9, tfWasm: flops / results.wasm / 1e9 });
  }

  const N = 1 << 20;
  const x = nn.randn([N]);
  const y = nn.randn([N]);
  const m = nn.randn([1024, 1024]);
  const cases: [string, () => unknown, (tx: tf.Tensor, ty: tf.Tensor, tm: tf.Tensor) => tf.Tensor][] = [
    ['add 1M', () => nn.add(x, y), (tx, ty) => tf.add(tx, ty)],
    ['mul 1M', () => nn.mul(x, y), (tx, ty) => tf.mul(tx, ty)],
    ['relu 1M', () => nn.relu(x), (tx) => tf.relu(tx)],
    ['exp 1M', () => nn.exp(x), (tx) => tf.exp(tx)],
    ['sigmoid 1M', () => nn.sigmoid(x), (tx) => tf.sigmoid(tx)],
    ['sum 1M', () => nn.sum(x), (tx) => tf.sum(tx)],
    ['sum rows 1024x1024', () => nn.sum(m, 1), (_x, _y, tm) => tf.sum(tm, 1)],
    ['softmax 1024x1024', () => nn.softmax(m), (_x, _y, tm) => tf.softmax(tm)],
    ['add bias [1024,1024]+[1024]', () => nn.add(m, nn.slice(x, [0], [1024])), (tx, _y, tm) => tf.add(tm, tf.slice(tx, 0, 1024))],
  ];
  for (const [name, nnFn, tfFn] of cases) {
    const nnT = time(() => nn.tidy(() => void nnFn()));
    const r: Record<string, number> = {};
    for (const backend of ['cpu', 'wasm'] as const) {
      await useTf(backend);
      const tx = tf.tensor(x.dataSync());
      const ty = tf.tensor(y.dataSync());
      const tm = tf.tensor(m.dataSync(), [1024, 1024]);
      r[backend] = time(() => tf.tidy(() => void tfFn(tx, ty, tm)));
      tf.dispose([tx, ty, tm]);
    }
    const elems = name.includes('1024x1024') || name.includes('[1024,1024]') ? 1024 * 1024 : N;
    rows.push({ name, unit: 'Melem/s', nn: elems / nnT / 1e6, tfCpu: elems / r.cpu / 1e6, tfWasm: elems / r.wasm / 1e6 });
  }

  const pad = (s: string, n: number) => s.padEnd(n);
  const num = (v: number) => v.toFixed(v < 10 ? 2 : 0).padStart(9);
  console.log(`@nn/tensor cpu backend vs tfjs 4.x (node ${process.version}); higher is better; ratio = nn / peer`);
  console.log(`${pad('case', 30)} ${pad('unit', 8)} ${'nn cpu'.padStart(9)} ${'tfjs-cpu'.padStart(9)} ${'tfjs-wasm'.padStart(9)} ${'vs cpu'.padStart(8)} ${'vs wasm'.padStart(8)}`);
  for (const r of rows) {
    console.log(`${pad(r.name, 30)} ${pad(r.unit, 8)} ${num(r.nn)} ${num(r.tfCpu)} ${num(r.tfWasm)} ${(r.nn / r.tfCpu).toFixed(2).padStart(7)}x ${(r.nn / r.tfWasm).toFixed(2).padStart(7)}x`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
