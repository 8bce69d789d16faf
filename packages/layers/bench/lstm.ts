// `pnpm bench` for @nn/layers: one LSTM step (batch 32, 128 inputs, 128 units), forward and backward to the
// input, both states and the weights, beside tfjs 4.x's basicLSTMCell on its cpu and wasm backends, in one
// run, as ratios. Not a test: numbers vary with the machine and its load.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { add, Generator, getBackend, randn, setBackend, sum, tidy, type Tensor } from '@nn/tensor';
// The workspace's tsconfig paths map @nn/tensor to its source; its wasm subpath is reached the same way.
import { initWasmBackend } from '../../tensor/src/wasm.js';
import { secondsPerCall } from '../../tensor/bench/timing.js';
import { lstmCell } from '../src/index.js';

const require = createRequire(import.meta.url);

/**
 * tfjs-core's node build has no gradients: they live in its ES module files, which Node cannot load as they
 * are (directory imports). Bundle them once with esbuild and run the bundle; the gradient and kernel
 * registries are process-global, so they land where tf.grads looks.
 */
async function registerTfGradients(): Promise<void> {
  const { buildSync } = await import('esbuild');
  const entry = require.resolve('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  const out = buildSync({ entryPoints: [entry], bundle: true, format: 'cjs', platform: 'node', write: false, logLevel: 'silent' });
  new Function('require', 'module', 'exports', out.outputFiles[0].text)(require, { exports: {} }, {});
}
const BATCH = 32;
const FEATURES = 128;
const UNITS = 128;

/** Median seconds per call over about a second of calls (at least 5). */
const time = (fn: () => void): number => secondsPerCall(fn, { budget: 1, minCalls: 5 });

/** nn's lstmCell on the current backend: step, loss = sum(h') + sum(c'), backward; gradients dropped each time. */
function nnStep(): number {
  const g = new Generator(1);
  const cell = lstmCell(UNITS);
  const x = randn([BATCH, FEATURES], { generator: g });
  const h = randn([BATCH, UNITS], { generator: g });
  const c = randn([BATCH, UNITS], { generator: g });
  cell.step(x, cell.initialStates(BATCH));
  const leaves: Tensor[] = [x, h, c, ...cell.trainableWeights];
  for (const t of leaves) t.requiresGrad = true;
  return time(() =>
    tidy(() => {
      for (const t of leaves) t.grad = null;
      const { states } = cell.step(x, [h, c], true);
      add(sum(states[0]), sum(states[1])).backward();
      // Read one value back so a device backend finishes the work inside the timing.
      x.grad!.dataSync();
    }),
  );
}

/** tfjs's basicLSTMCell (one fused kernel [in + units, 4·units]), with tf.grads over the same five tensors. */
async function tfStep(backend: 'cpu' | 'wasm'): Promise<number> {
  await tf.setBackend(backend);
  await tf.ready();
  const data = tf.randomNormal([BATCH, FEATURES]) as tf.Tensor2D;
  const h = tf.randomNormal([BATCH, UNITS]) as tf.Tensor2D;
  const c = tf.randomNormal([BATCH, UNITS]) as tf.Tensor2D;
  const kernel = tf.randomNormal([FEATURES + UNITS, 4 * UNITS], 0, 0.05) as tf.Tensor2D;
  const bias = tf.zeros([4 * UNITS]) as tf.Tensor1D;
  const forget = tf.scalar(1);
  const f = tf.grads((d: tf.Tensor, hh: tf.Tensor, cc: tf.Tensor, k: tf.Tensor, b: tf.Tensor) => {
    const [c2, h2] = tf.basicLSTMCell(forget, k as tf.Tensor2D, b as tf.Tensor1D, d as tf.Tensor2D, cc as tf.Tensor2D, hh as tf.Tensor2D);
    return tf.add(tf.sum(h2), tf.sum(c2));
  });
  const t = time(() => {
    const grads = f([data, h, c, kernel, bias]);
    grads[0].dataSync();
    tf.dispose(grads);
  });
  tf.dispose([data, h, c, kernel, bias, forget]);
  return t;
}

async function main() {
  await registerTfGradients();
  setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + '/');
  const rows: [string, number][] = [];
  const initial = getBackend().name;
  setBackend('cpu');
  rows.push(['nn cpu', nnStep()]);
  try {
    await initWasmBackend();
    setBackend('wasm');
    rows.push(['nn wasm', nnStep()]);
  } catch (e) {
    console.log(`(nn wasm backend unavailable: ${(e as Error).message})`);
  }
  setBackend(initial);
  const tfCpu = await tfStep('cpu');
  const tfWasm = await tfStep('wasm');
  const flags = `tfjs-wasm: SIMD ${await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')}, threads ${await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')}`;
  const ms = (s: number) => `${(s * 1000).toFixed(3)} ms`.padStart(11);
  console.log(`LSTM step, batch ${BATCH}, ${FEATURES} inputs, ${UNITS} units: forward + backward (node ${process.version}; ${flags}); lower is better; ratio = peer time / nn time (above 1: nn faster)`);
  console.log(`${'nn backend'.padEnd(12)} ${'nn'.padStart(11)} ${'tfjs-cpu'.padStart(11)} ${'tfjs-wasm'.padStart(11)} ${'vs cpu'.padStart(8)} ${'vs wasm'.padStart(8)}`);
  for (const [name, t] of rows) {
    console.log(`${name.padEnd(12)} ${ms(t)} ${ms(tfCpu)} ${ms(tfWasm)} ${(tfCpu / t).toFixed(2).padStart(7)}x ${(tfWasm / t).toFixed(2).padStart(7)}x`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
