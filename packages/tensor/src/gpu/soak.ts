// The 10,000-step memory soak: trains an MLP on the 'gpujs' backend with @nn/optim's Adam (state on the device,
// clipping by norm) and no tidy/dispose, forcing a GC every 100 steps, and checks that the live-texture count
// stays flat (unreferenced tensors give their textures back through the tensor package's FinalizationRegistry)
// and that the steps moved nothing between host and device except the losses it read.
//   npx tsx packages/tensor/src/gpu/soak.ts [steps=10000]        (under Xvfb for headless-gl)
import * as nn from '../index.js';
import { Adam } from '@nn/optim';
import { gpuBackend, gpuBackendInfo } from '../gpu.js';
import { collect } from './gc.js';
import { makeData, makeMlp, trainMlp } from './mlp.js';

const steps = Number(process.argv[2] ?? 10_000);
const every = 100;
nn.setBackend('gpujs');
const info = gpuBackendInfo();
console.log(`gpujs soak: ${steps} steps in mode ${info.mode}${info.fellBack ? ` (fallback: ${info.reason})` : ''}`);

const { x, labels } = makeData(64, 8, 4);
const xt = nn.tensor(x, [64, 8]);
const yt = nn.tensor(labels, [64], 'int32');
const mlp = makeMlp([8, 32, 32, 4]);
const opt = new Adam(mlp.params, { lr: 0.005, clipNorm: 5 });
const counts: number[] = [];
const start = performance.now();
const moved = gpuBackend.transfers();
let reads = 0;
let loss = NaN;
for (let step = 1; step <= steps; step++) {
  const l = trainMlp(mlp, opt, xt, yt);
  if (step % every === 0) {
    loss = (await l.data())[0];
    reads++;
    await collect(() => gpuBackend.memory().liveTextures);
    const { liveTextures, liveBytes } = gpuBackend.memory();
    counts.push(liveTextures);
    if (step % (every * 10) === 0 || step === steps) {
      const rss = (process.memoryUsage().rss / 2 ** 20).toFixed(0);
      console.log(`step ${step}: loss ${loss.toFixed(5)}, live textures ${liveTextures} (${liveBytes} bytes), rss ${rss} MiB, ${((performance.now() - start) / step).toFixed(2)} ms/step`);
    }
  }
}
const settled = counts.slice(1);
const flat = settled.length > 0 && Math.max(...settled) === Math.min(...settled);
console.log(`live textures at every ${every}th step: min ${Math.min(...counts)}, max ${Math.max(...counts)}; after the first check: ${flat ? 'flat' : 'NOT flat'}`);
const after = gpuBackend.transfers();
const uploads = after.uploads - moved.uploads;
const readbacks = after.readbacks - moved.readbacks;
const quiet = uploads === 0 && readbacks === reads && Number.isFinite(loss);
console.log(`transfers over ${steps} steps: ${uploads} uploads, ${readbacks} readbacks for ${reads} loss reads: ${quiet ? 'only the losses' : 'MORE than the losses'}`);
const passed = Number(flat) + Number(quiet);
console.log(`${passed} passed, ${2 - passed} failed`);
process.exit(passed === 2 ? 0 : 1);
