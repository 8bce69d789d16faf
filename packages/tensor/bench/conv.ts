// `pnpm bench` for @nn/tensor, convolution: conv2d forward + backward (the gradients for the input and the
// kernel) on every backend registered here (cpu; wasm where @nn/tensor/wasm is built in) beside tfjs-cpu and
// tfjs-wasm on the same inputs, in one run, printed as ratios. Not a test: numbers vary with the machine's load.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as nn from '../src/index.js';

const require = createRequire(import.meta.url);

/** Median seconds per call over enough repetitions to fill ~`budget` seconds (at least `min`, after a warm-up call unless `min` is 1). */
function time(fn: () => void, budget = 1, min = 3): number {
  if (min > 1) fn();
  const samples: number[] = [];
  const end = performance.now() + budget * 1000;
  while (performance.now() < end || samples.length < min) {
    const t0 = performance.now();
    fn();
    samples.push((performance.now() - t0) / 1000);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

/** The nn backends to time: cpu, and wasm when its entry point loads and initializes here. */
async function nnBackends(): Promise<string[]> {
  const names = ['cpu'];
  try {
    const wasm = (await import('../src/wasm.js')) as { initWasmBackend?: () => Promise<unknown> };
    await wasm.initWasmBackend?.();
    names.push('wasm');
  } catch (e) {
    console.log(`(nn wasm backend not timed: ${(e as Error).message})`);
  }
  return names;
}

/**
 * tfjs' forward and backward of one conv2d with upstream gradient `up`, kernel by kernel (tfjs-core alone
 * registers no gradients): Conv2D, Conv2DBackpropInput, and the kernel gradient — Conv2DBackpropFilter on
 * tfjs-cpu; tfjs-wasm has no such kernel, so there it is Conv3DBackpropFilterV2 over a depth of 1, the
 * fastest way that backend has. Returns the kernel gradient after the input gradient is computed.
 */
function tfStep(backend: 'cpu' | 'wasm', x: tf.Tensor4D, k: tf.Tensor4D, up: tf.Tensor4D): tf.Tensor {
  tf.conv2d(x, k, 1, 'same');
  tf.conv2dTranspose(up, k, x.shape, 1, 'same');
  if (backend === 'cpu') {
    return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy: up }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: k.shape });
  }
  const [n, h, w, c] = x.shape;
  const x5 = tf.reshape(x, [n, 1, h, w, c]);
  const dy5 = tf.reshape(up, [n, 1, h, w, up.shape[3]]);
  return tf.engine().runKernel('Conv3DBackpropFilterV2', { x: x5, dy: dy5 }, { strides: [1, 1, 1], pad: 'same', filterShape: [1, ...k.shape] });
}

const CASES = [
  { name: 'conv2d 28x28x1 -> 32, 3x3', x: [32, 28, 28, 1], kernel: [3, 3, 1, 32] },
  { name: 'conv2d 14x14x32 -> 64, 3x3', x: [32, 14, 14, 32], kernel: [3, 3, 32, 64] },
];

async function main() {
  setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + '/');
  const backends = await nnBackends();
  const rows: { name: string; nn: Record<string, number>; tf: Record<string, number>; gflop: number }[] = [];
  for (const c of CASES) {
    const g = new nn.Generator(1);
    const xv = nn.randn(c.x, { generator: g }).dataSync();
    const kv = nn.randn(c.kernel, { generator: g }).dataSync();
    const [n, h, w] = c.x;
    const [kh, kw, ci, co] = c.kernel;
    const gv = nn.randn([n, h, w, co], { generator: g }).dataSync();
    // Forward, and the two backward products (input and kernel gradients), each n·h·w·kh·kw·ci·co MACs.
    const gflop = (3 * 2 * n * h * w * kh * kw * ci * co) / 1e9;
    const nnTimes: Record<string, number> = {};
    for (const b of backends) {
      nn.setBackend(b);
      const x = nn.tensor(xv, c.x);
      const k = nn.tensor(kv, c.kernel);
      const up = nn.tensor(gv, [n, h, w, co]);
      const step = nn.valueAndGrad((a: nn.Tensor, b2: nn.Tensor) => nn.sum(nn.mul(nn.convolution(a, b2, { padding: 'same' }), up)));
      // Reading one gradient back finishes the work on a backend that queues it.
      nnTimes[b] = time(() => nn.tidy(() => void step(x, k).grads[1].dataSync()));
    }
    nn.setBackend('cpu');
    const tfTimes: Record<string, number> = {};
    for (const b of ['cpu', 'wasm'] as const) {
      await tf.setBackend(b);
      await tf.ready();
      const x = tf.tensor4d(xv, c.x as [number, number, number, number]);
      const k = tf.tensor4d(kv, c.kernel as [number, number, number, number]);
      const up = tf.tensor4d(gv, [n, h, w, co]);
      // tfjs-cpu's kernel gradient is naive loops (seconds to a minute per step here): one timed call is enough.
      tfTimes[b] = b === 'cpu' ? time(() => tf.tidy(() => void tfStep(b, x, k, up).dataSync()), 0, 1) : time(() => tf.tidy(() => void tfStep(b, x, k, up).dataSync()));
      tf.dispose([x, k, up]);
    }
    rows.push({ name: c.name, nn: nnTimes, tf: tfTimes, gflop });
  }

  const ms = (s: number) => (s * 1000).toFixed(1).padStart(9);
  console.log(`@nn/tensor conv2d forward + backward, batch 32, 'same' padding, vs tfjs 4.x (node ${process.version}); ms per step (lower is better)`);
  console.log(`ratio = peer time / nn time (above 1: nn is faster)`);
  console.log(`${'case'.padEnd(28)} ${'backend'.padEnd(8)} ${'nn ms'.padStart(9)} ${'GFLOP/s'.padStart(8)} ${'tfjs-cpu'.padStart(9)} ${'tfjs-wasm'.padStart(9)} ${'vs cpu'.padStart(8)} ${'vs wasm'.padStart(8)}`);
  for (const r of rows) {
    for (const b of backends) {
      const t = r.nn[b];
      console.log(`${r.name.padEnd(28)} ${b.padEnd(8)} ${ms(t)} ${(r.gflop / t).toFixed(2).padStart(8)} ${ms(r.tf.cpu)} ${ms(r.tf.wasm)} ${(r.tf.cpu / t).toFixed(2).padStart(7)}x ${(r.tf.wasm / t).toFixed(2).padStart(7)}x`);
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
