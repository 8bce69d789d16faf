// Rebuilds data/mlp-digits-bench.json, the tabular benchmark: every architecture of digitsMlpSpace() trained
// three times (weight seeds 0, 1, 2) on the digits (data/digits.csv), the mean validation and test accuracy recorded.
// Run: `pnpm --filter @nn/nas build-tabular` (about 15 minutes on 2 shared cores). Training setup below.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { RNG } from '@nn/hpo';
import { Adam } from '@nn/optim';
import { sparseCategoricalCrossentropy } from '@nn/layers';
import { getBackend, setSeed } from '@nn/tensor';
import { digitsMlpSpace } from '../src/tabular-space.js';

export const TRAINING = { split: 'seeded shuffle (RNG 0): 1078 train / 359 validation / 360 test', scaling: 'pixels / 16', optimizer: 'Adam(lr 0.01)', epochs: 10, batchSize: 64, weightSeeds: [0, 1, 2], backend: 'default (wasm where available)' };

const lines = readFileSync(new URL('../data/digits.csv', import.meta.url), 'utf8').trim().split('\n');
const rows = lines.map((l) => l.split(',').map(Number));
const order = new RNG(0).shuffle(rows.map((_, i) => i));
const part = (from: number, to: number) => {
  const idx = order.slice(from, to);
  return { x: idx.map((i) => rows[i].slice(0, 64).map((v) => v / 16)), y: idx.map((i) => rows[i][64]) };
};
const train = part(0, 1078);
const val = part(1078, 1437);
const test = part(1437, rows.length);

const space = digitsMlpSpace();
const out = new URL('../data/mlp-digits-bench.json', import.meta.url);
const entries: Record<string, [number, number]> = {};
const limit = Number(process.env.LIMIT ?? Infinity);
const t0 = Date.now();
let n = 0;
for (const arch of space.enumerate()) {
  if (n++ >= limit) break;
  // The mean over three weight seeds: one seed's accuracy is noisy enough to rank the space by luck.
  let [v, t] = [0, 0];
  for (const seed of TRAINING.weightSeeds) {
    setSeed(seed);
    const m = space.build(arch);
    m.compile({ optimizer: new Adam({ lr: 0.01 }), loss: sparseCategoricalCrossentropy({ fromLogits: true }), metrics: ['accuracy'] });
    await m.fit(train.x, train.y, { epochs: TRAINING.epochs, batchSize: TRAINING.batchSize, verbose: 0, shuffle: true });
    v += m.evaluate(val.x, val.y)[1] / TRAINING.weightSeeds.length;
    t += m.evaluate(test.x, test.y)[1] / TRAINING.weightSeeds.length;
  }
  entries[space.key(arch)] = [Math.round(v * 1e4) / 1e4, Math.round(t * 1e4) / 1e4];
  if (n % 20 === 0) console.log(`${n} architectures, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}
const file = { name: 'mlp-digits', backend: getBackend().name, space: 'digitsMlpSpace()', data: 'digits (UCI, as shipped by scikit-learn 1.2.1), 1797 x 64', training: TRAINING, format: 'entries: space.key(architecture) -> [validation accuracy, test accuracy]', entries };
writeFileSync(`${out.pathname}.tmp`, `${JSON.stringify(file)}\n`);
renameSync(`${out.pathname}.tmp`, out.pathname);
console.log(`${Object.keys(entries).length} architectures in ${((Date.now() - t0) / 1000).toFixed(0)} s -> ${out.pathname}`);
