// `pnpm bench` for @nn/tensor, convolution and pooling: conv2d forward + backward (the gradients for the input
// and the kernel) and maxPool forward + backward (2x2, and 3x3 stride 2 'same') on every backend registered
// here (cpu; wasm where @nn/tensor/wasm is built in, with its im2col/col2im kernels and without them, as
// 'wasm-composite': the pad + gather fallback it ran before) beside tfjs-cpu and tfjs-wasm on the same inputs,
// in one run, printed as ratios. Not a test: numbers vary with the machine's load.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { registry } from '@nn/core';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as nn from '../src/index.js';
import { median } from './timing.js';

const require = createRequire(import.meta.url);

/**
 * Median seconds per call of each of `fns`, called in turn — one call each per round, after a warm-up call
 * each — for about `budget` seconds and at least `min` rounds, so a change in the machine's load hits them alike.
 * Each round starts one further along, so each function follows each other equally often (a call right after
 * another backend's finds its data out of cache).
 */
function interleaved(fns: (() => void)[], budget: number, min = 5): number[] {
  fns.forEach((f) => f());
  const samples = fns.map((): number[] => []);
  const end = performance.now() + budget * 1000;
  for (let round = 0; round < min || performance.now() < end; round++) {
    for (let j = 0; j < fns.length; j++) {
      const i = (round + j) % fns.length;
      const t0 = performance.now();
      fns[i]();
      samples[i].push((performance.now() - t0) / 1000);
    }
  }
  return samples.map(median);
}

/** Seconds of interleaved rounds per case. */
const BUDGET = 6;

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
function tfPoolStep(x: tf.Tensor4D, up: tf.Tensor4D, size: number, stride: number, pad: 'valid' | 'same'): tf.Tensor {
  const y = tf.maxPool(x, size, stride, pad);
  return tf.engine().runKernel('MaxPoolGrad', { dy: up, input: x, output: y }, { filterSize: size, strides: stride, pad });
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

/** maxPool `size`x`size`: mostly patches (im2col, and col2im in the backward pass) and a max over each. */
function poolCase(name: string, x: number[], size: number, stride: number, padding: 'valid' | 'same'): Case {
  const [n, h, w, c] = x;
  const out = (d: number) => (padding === 'same' ? Math.ceil(d / stride) : Math.floor((d - size) / stride) + 1);
  return {
    name,
    shapes: [x, [n, out(h), out(w), c]],
    flop: 0,
    nn: (a, up) => nn.grad((a2: nn.Tensor) => nn.sum(nn.mul(nn.maxPool(a2, { poolSize: size, strides: stride, padding }), up)))(a),
    tf: (_backend, a, up) => tfPoolStep(a, up, size, stride, padding),
  };
}

const CASES = [
  convCase('conv2d 28x28x1 -> 32, 3x3', [32, 28, 28, 1], [3, 3, 1, 32]),
  convCase('conv2d 14x14x32 -> 64, 3x3', [32, 14, 14, 32], [3, 3, 32, 64]),
  poolCase('maxPool 2x2 28x28x32', [32, 28, 28, 32], 2, 2, 'valid'),
  poolCase("maxPool 3x3/2 'same' 28x28x32", [32, 28, 28, 32], 3, 2, 'same'),
];

async function main() {
  setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + '/');
  const backends = await nnBackends();
  const rows: { name: string; nn: Record<string, number>; tf: Record<string, number>; flop: number }[] = [];
  for (const c of CASES) {
    const g = new nn.Generator(1);
    const inputs = c.shapes.map((shape) => nn.randn(shape, { generator: g }).dataSync());
    // nn's wasm backends and tfjs-wasm take turns call by call (their ratios are the close ones); nn's cpu
    // backend, 10x slower, would leave them few rounds, so it runs on its own after them; tfjs-cpu's kernel
    // gradient is naive loops (seconds to a minute per step here): one timed call.
    const nnSteps = backends.map((b) => {
      nn.setBackend(b);
      const xs = inputs.map((v, i) => nn.tensor(v, c.shapes[i]));
      // Reading the gradient back finishes the work on a backend that queues it.
      return () => {
        nn.setBackend(b);
        nn.tidy(() => void c.nn(...xs).dataSync());
      };
    });
    const tfInputs = async (b: 'cpu' | 'wasm') => {
      await tf.setBackend(b);
      await tf.ready();
      return inputs.map((v, i) => tf.tensor4d(v, c.shapes[i] as [number, number, number, number]));
    };
    const onTfWasm = await tfInputs('wasm');
    const fast = backends.filter((b) => b !== 'cpu');
    const times = interleaved([...fast.map((b) => nnSteps[backends.indexOf(b)]), () => tf.tidy(() => void c.tf('wasm', ...onTfWasm).dataSync())], BUDGET);
    tf.dispose(onTfWasm);
    const [cpuTime] = interleaved([nnSteps[backends.indexOf('cpu')]], BUDGET / 3, 3);
    nn.setBackend('cpu');
    const onTfCpu = await tfInputs('cpu');
    const t0 = performance.now();
    tf.tidy(() => void c.tf('cpu', ...onTfCpu).dataSync());
    const tfCpu = (performance.now() - t0) / 1000;
    tf.dispose(onTfCpu);
    const nnTimes = { cpu: cpuTime, ...Object.fromEntries(fast.map((b, i) => [b, times[i]])) };
    rows.push({ name: c.name, nn: nnTimes, tf: { cpu: tfCpu, wasm: times[fast.length] }, flop: c.flop });
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
