// The gpujs backend beside the cpu backend: matmul and one MLP training step, naming the mode that ran.
//   npx tsx packages/tensor/src/gpu/bench.ts            (under Xvfb for headless-gl)
// Times include reading the result back (a GPU queue is only known to be done then). Not a test: numbers
// vary with the machine; on a CPU-only machine the GL modes are software renderers and slow.
import * as nn from '../index.js';
import { gpuBackendInfo } from '../gpu.js';
import { SGD } from '@nn/optim';
import { makeData, makeMlp, trainMlp } from './mlp.js';

async function time(fn: () => Promise<unknown>, budget = 1): Promise<number> {
  await fn();
  const samples: number[] = [];
  const end = performance.now() + budget * 1000;
  while (performance.now() < end || samples.length < 3) {
    const t0 = performance.now();
    await fn();
    samples.push((performance.now() - t0) / 1000);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const on = async <T>(backend: string, fn: () => Promise<T>): Promise<T> => {
  nn.setBackend(backend);
  try {
    return await fn();
  } finally {
    nn.setBackend('cpu');
  }
};

const info = on('gpujs', async () => gpuBackendInfo());
const mode = await info;
console.log(`gpujs backend mode: ${mode.mode}${mode.fellBack ? ` (fell back: ${mode.reason})` : ''}`);
console.log('| case | cpu | gpujs | gpujs / cpu time |\n|---|---|---|---|');
for (const n of [64, 256, 512]) {
  const g = new nn.Generator(n);
  const av = nn.randn([n, n], { generator: g }).dataSync();
  const bv = nn.randn([n, n], { generator: g }).dataSync();
  const t: Record<string, number> = {};
  for (const backend of ['cpu', 'gpujs']) {
    t[backend] = await on(backend, async () => {
      const a = nn.tensor(av, [n, n]);
      const b = nn.tensor(bv, [n, n]);
      return time(() => nn.matmul(a, b).data());
    });
  }
  const gf = (s: number) => `${((2 * n ** 3) / s / 1e9).toFixed(2)} GFLOP/s`;
  console.log(`| matmul ${n}x${n} | ${gf(t.cpu)} | ${gf(t.gpujs)} | ${(t.gpujs / t.cpu).toFixed(2)} |`);
}
const { x, labels } = makeData(128, 32, 10);
const step: Record<string, number> = {};
for (const backend of ['cpu', 'gpujs']) {
  step[backend] = await on(backend, async () => {
    const xt = nn.tensor(x, [128, 32]);
    const yt = nn.tensor(labels, [128], 'int32');
    const mlp = makeMlp([32, 128, 128, 10]);
    const opt = new SGD(mlp.params, { lr: 0.1 });
    return time(() => trainMlp(mlp, opt, xt, yt).data());
  });
}
const ms = (s: number) => `${(s * 1000).toFixed(2)} ms`;
console.log(`| MLP step (batch 128, 32-128-128-10) | ${ms(step.cpu)} | ${ms(step.gpujs)} | ${(step.gpujs / step.cpu).toFixed(2)} |`);
