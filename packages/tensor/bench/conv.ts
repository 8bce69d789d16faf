// `pnpm bench` for @nn/tensor, convolution and pooling: conv2d forward + backward (the gradients for the input
// and the kernel) and maxPool forward + backward on every backend registered here (cpu; wasm where @nn/tensor/wasm is built in, with its im2col/col2im
// kernels and without them, as 'wasm-composite': the pad + gather fallback it ran before) beside tfjs-cpu and
// tfjs-wasm on the same inputs, in one run, printed as ratios. Not a test: numbers vary with the machine's load.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { registry } from '@nn/core';
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
  return median(samples);
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const ROUNDS = 3;
/** Seconds of repetitions per backend per round. */
const ROUND_BUDGET = 0.5;

/**
 * The nn backends to time: cpu, and wasm when its entry point loads and initializes here — with its
 * im2col/col2im kernels ('wasm') and without them ('wasm-composite', the same backend otherwise).
 */
async function nnBackends(): Promise<string[]> {
  const names = ['cpu'];
  try {
    const wasm = await import('../src/wasm.js');
    await wasm.initWasmBackend();
    const composite = Object.create(wasm.wasmBackend, { name: { value: 'wasm-composite' }, im2col: { value: undefined }, col2im: { value: undefined } });
    registry.register('backend', 'wasm-composite', composite);
    names.push('wasm', 'wasm-composite');
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
function tfConvStep(backend: string, x: tf.Tensor4D, k: tf.Tensor4D, up: tf.Tensor4D): tf.Tensor {
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

/** tfjs' maxPool forward and its input gradient (MaxPoolGrad, on both tfjs backends). */
function tfPoolStep(x: tf.Tensor4D, up: tf.Tensor4D, size: number): tf.Tensor {
  const y = tf.maxPool(x, size, size, 'valid');
  return tf.engine().runKernel('MaxPoolGrad', { dy: up, input: x, output: y }, { filterSize: size, strides: size, pad: 'valid' });
}

interface Case {
  name: string;
  /** Shapes of the inputs (the last is the upstream gradient). */
  shapes: number[][];
  /** Floating-point work of a step, for GFLOP/s (0 where the op is not arithmetic-bound). */
  flop: number;
  /** nn's step: forward, backward, and the gradient to read back. */
  nn: (...xs: nn.Tensor[]) => nn.Tensor;
  tf: (backend: string, ...xs: tf.Tensor4D[]) => tf.Tensor;
}

/** conv2d 'same', stride 1: the forward and the two backward products, each n·h·w·kh·kw·ci·co multiply-adds. */
function convCase(name: string, x: number[], kernel: number[]): Case {
  const [n, h, w] = x;
  const [kh, kw, ci, co] = kernel;
  return {
    name,
    shapes: [x, kernel, [n, h, w, co]],
    flop: 3 * 2 * n * h * w * kh * kw * ci * co,
    nn: (a, k, up) => nn.valueAndGrad((a2: nn.Tensor, k2: nn.Tensor) => nn.sum(nn.mul(nn.convolution(a2, k2, { padding: 'same' }), up)))(a, k).grads[1],
    tf: (backend, a, k, up) => tfConvStep(backend, a, k, up),
  };
}

/** maxPool `size`x`size`, stride `size`: mostly patches (im2col, and col2im in the backward pass). */
function poolCase(name: string, x: number[], size: number): Case {
  const [n, h, w, c] = x;
  return {
    name,
    shapes: [x, [n, Math.floor(h / size), Math.floor(w / size), c]],
    flop: 0,
    nn: (a, up) => nn.grad((a2: nn.Tensor) => nn.sum(nn.mul(nn.maxPool(a2, { poolSize: size }), up)))(a),
    tf: (_backend, a, up) => tfPoolStep(a, up, size),
  };
}

const CASES = [
  convCase('conv2d 28x28x1 -> 32, 3x3', [32, 28, 28, 1], [3, 3, 1, 32]),
  convCase('conv2d 14x14x32 -> 64, 3x3', [32, 14, 14, 32], [3, 3, 32, 64]),
  poolCase('maxPool 2x2 28x28x32', [32, 28, 28, 32], 2),
];

async function main() {
  setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + '/');
  const backends = await nnBackends();
  const rows: { name: string; nn: Record<string, number>; tf: Record<string, number>; flop: number }[] = [];
  for (const c of CASES) {
    const g = new nn.Generator(1);
    const inputs = c.shapes.map((shape) => nn.randn(shape, { generator: g }).dataSync());
    // nn's backends and tfjs-wasm take turns over ROUNDS rounds (the median of the rounds' medians), so a change
    // in the machine's load hits them alike; tfjs-cpu's kernel gradient is naive loops (seconds to a minute
    // per step here): one timed call, once.
    const nnSteps = backends.map((b) => {
      nn.setBackend(b);
      const xs = inputs.map((v, i) => nn.tensor(v, c.shapes[i]));
      // Reading the gradient back finishes the work on a backend that queues it.
      return () => {
        nn.setBackend(b);
        return time(() => nn.tidy(() => void c.nn(...xs).dataSync()), ROUND_BUDGET);
      };
    });
    const tfTime = async (b: 'cpu' | 'wasm', budget: number, min: number) => {
      await tf.setBackend(b);
      await tf.ready();
      const xs = inputs.map((v, i) => tf.tensor4d(v, c.shapes[i] as [number, number, number, number]));
      const t = time(() => tf.tidy(() => void c.tf(b, ...xs).dataSync()), budget, min);
      tf.dispose(xs);
      return t;
    };
    const nnRounds: number[][] = backends.map(() => []);
    const tfWasmRounds: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      nnSteps.forEach((step, i) => nnRounds[i].push(step()));
      tfWasmRounds.push(await tfTime('wasm', ROUND_BUDGET, 3));
    }
    nn.setBackend('cpu');
    const nnTimes = Object.fromEntries(backends.map((b, i) => [b, median(nnRounds[i])]));
    rows.push({ name: c.name, nn: nnTimes, tf: { cpu: await tfTime('cpu', 0, 1), wasm: median(tfWasmRounds) }, flop: c.flop });
  }

  const ms = (s: number) => (s * 1000).toFixed(1).padStart(9);
  console.log(`@nn/tensor conv2d ('same' padding) and maxPool forward + backward, batch 32, vs tfjs 4.x (node ${process.version}); ms per step (lower is better)`);
  console.log(`ratio = peer time / nn time (above 1: nn is faster); 'kernels' = wasm-composite time / wasm time (the im2col/col2im kernels against the pad + gather fallback)`);
  console.log(`${'case'.padEnd(28)} ${'backend'.padEnd(14)} ${'nn ms'.padStart(9)} ${'GFLOP/s'.padStart(8)} ${'tfjs-cpu'.padStart(9)} ${'tfjs-wasm'.padStart(9)} ${'vs cpu'.padStart(8)} ${'vs wasm'.padStart(8)} ${'kernels'.padStart(8)}`);
  for (const r of rows) {
    for (const b of backends) {
      const t = r.nn[b];
      const kernels = b === 'wasm' && r.nn['wasm-composite'] ? `${(r.nn['wasm-composite'] / t).toFixed(2).padStart(7)}x` : '';
      console.log(`${r.name.padEnd(28)} ${b.padEnd(14)} ${ms(t)} ${(r.flop ? (r.flop / 1e9 / t).toFixed(2) : '').padStart(8)} ${ms(r.tf.cpu)} ${ms(r.tf.wasm)} ${(r.tf.cpu / t).toFixed(2).padStart(7)}x ${(r.tf.wasm / t).toFixed(2).padStart(7)}x ${kernels}`);
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
