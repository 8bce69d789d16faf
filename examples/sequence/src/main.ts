import { parseArgs } from 'node:util';
import { CELLS, compare, type Cell } from './experiments.js';

// `pnpm --filter @nn/example-sequence start` runs the default comparison; flags change it, e.g.
// `... start --lengths 10,40,80 --epochs 30 --units 32`.
const { values } = parseArgs({
  options: {
    lengths: { type: 'string', default: '10,40' },
    epochs: { type: 'string', default: '15' },
    units: { type: 'string', default: '16' },
    samples: { type: 'string', default: '1000' },
    cells: { type: 'string', default: CELLS.join(',') },
    seed: { type: 'string', default: '0' },
  },
});
const cells = values.cells.split(',') as Cell[];
for (const c of cells) if (!CELLS.includes(c)) throw new Error(`unknown cell ${c}; expected one of ${CELLS.join(', ')}`);
const lengths = values.lengths.split(',').map(Number);
const epochs = Number(values.epochs);
const units = Number(values.units);
const nTrain = Number(values.samples);

console.log('The adding problem: each step holds a value in [0, 1) and a marker; two steps are marked, one in each half,');
console.log('and the target is the sum of their values. The first must be carried across about half the sequence.');
console.log(`One recurrent layer of ${units} units + dense(1), MSE, Adam lr 0.01, batch 32, ${epochs} epochs on ${nTrain} sequences;`);
console.log('tested on 500 others.\n');
const start = performance.now();
await compare({ lengths, cells, epochs, units, nTrain, seed: Number(values.seed) });
console.log(`\nTotal ${((performance.now() - start) / 1000).toFixed(0)}s`);
