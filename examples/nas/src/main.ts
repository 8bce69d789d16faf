// Architecture search with @nn/nas on the course's data: an MLP for the breast-cancer set with each strategy
// (random, regularized evolution, the REINFORCE controller), stored in SQLite and pruned with successive
// halving; the best MLP retrained and tested against the course's hand-designed net; then a small CNN for
// the digits. Writes an SVG of best-so-far validation accuracy against trials per strategy.
//   npx tsx src/main.ts [--budget 15] [--out DIR] [--db DIR] [--cnn-budget 6] [--workers N]
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SuccessiveHalvingPruner } from '@nn/hpo';
import { dense, sequential, sparseCategoricalCrossentropy, type Model } from '@nn/layers';
import { cnnSpace, RandomArchitectures, RegularizedEvolution, ReinforceController, search, type Architecture, type SearchSpace, type Strategy } from '@nn/nas';
import { Adam } from '@nn/optim';
import { setSeed, tensor } from '@nn/tensor';
import { breastCancerFull, digits } from './data.js';
import { accuracy, EPOCHS, evaluate, space, trainBinary } from './evaluate-mlp.js';
import { bestSoFarSvg } from './plot.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const budget = Number(arg('budget', '15'));
const cnnBudget = Number(arg('cnn-budget', '6'));
const out = arg('out', join(tmpdir(), 'nn-nas-example'));
const db = arg('db', out);
// More than 1: the MLP candidates train in that many worker processes at once (see evaluate-mlp.ts).
const workers = Number(arg('workers', '1'));
mkdirSync(out, { recursive: true });
mkdirSync(db, { recursive: true });

const strategies: Record<string, (s: SearchSpace) => Strategy> = {
  random: (s) => new RandomArchitectures({ space: s, seed: 1 }),
  evolution: (s) => new RegularizedEvolution({ space: s, seed: 1, populationSize: 5, sampleSize: 2 }),
  reinforce: (s) => new ReinforceController({ space: s, seed: 1, lr: 0.03 }),
};

const curves: Record<string, number[]> = {};
let overall: { name: string; architecture: Architecture; reward: number } | null = null;
for (const [name, make] of Object.entries(strategies)) {
  setSeed(0);
  const result = await search({
    space,
    strategy: make(space as SearchSpace),
    budget,
    storage: `sqlite:///${join(db, 'nas-breast-cancer.db')}`,
    studyName: `mlp-${name}`,
    pruner: new SuccessiveHalvingPruner({ minResource: 3, reductionFactor: 2 }),
    // The same evaluate, in this process or imported by each worker process (reports reach the pruner either way).
    evaluate: workers > 1 ? { module: new URL('./evaluate-mlp.ts', import.meta.url), export: 'evaluate' } : evaluate,
    concurrency: workers,
  });
  let best = 0;
  curves[name] = result.history.filter((h) => h.reward !== null).map((h) => (best = Math.max(best, h.reward!)));
  const pruned = result.history.filter((h) => h.state === 'pruned').length;
  console.log(`${name.padEnd(10)} best validation accuracy ${result.reward.toFixed(4)} after ${result.history.length} candidates (${pruned} pruned): ${JSON.stringify(result.architecture)}`);
  if (!overall || result.reward > overall.reward) overall = { name, architecture: result.architecture, reward: result.reward };
}

// The final comparison: the best architecture and the course's net (Dense 64 relu, Dense 64 relu, Dense 1
// sigmoid; standardized inputs, Adam 1e-3, 10 epochs, batch 32), each trained on the whole training set over 5 seeds.
const full = breastCancerFull();
const course = () => sequential([dense(64, { activation: 'relu' }), dense(64, { activation: 'relu' }), dense(1, { activation: 'sigmoid' })], { inputShape: [30] });
const testAcc = async (build: () => Model, epochs: number) => {
  const accs: number[] = [];
  for (let seed = 0; seed < 5; seed++) {
    setSeed(seed);
    const m = await trainBinary(build(), full, epochs);
    accs.push(accuracy(m, full.xTest, full.yTest));
  }
  return accs.sort((a, b) => a - b);
};
const found = overall!;
console.log(`\nbest architecture (${found.name}): ${JSON.stringify(found.architecture)}`);
const bestModel = space.build(found.architecture);
bestModel.predict(tensor([full.xTest[0]]));
bestModel.summary();
const [searched, hand] = [await testAcc(() => space.build(found.architecture), EPOCHS), await testAcc(course, 10)];
const med = (a: number[]) => a[2].toFixed(4);
console.log(`test accuracy over 5 seeds (median [min, max]): searched ${med(searched)} [${searched[0].toFixed(4)}, ${searched[4].toFixed(4)}], course's net ${med(hand)} [${hand[0].toFixed(4)}, ${hand[4].toFixed(4)}]`);
writeFileSync(join(out, 'best-so-far-breast-cancer.svg'), bestSoFarSvg('breast cancer: best validation accuracy so far', curves));

// A small CNN for the digits (8x8x1), regularized evolution, 3 epochs per candidate.
const dg = digits();
const img = (x: number[][]) => tensor(Float32Array.from(x.flat()), [x.length, 8, 8, 1]);
const [xTrain, xVal, xTest] = [img(dg.xTrain), img(dg.xVal), img(dg.xTest)];
const cnn = cnnSpace({ inputShape: [8, 8, 1], outputUnits: 10, filters: [8, 16], layerCounts: [1, 2] });
const trainCnn = async (m: Model, epochs: number) => {
  m.compile({ optimizer: new Adam({ lr: 0.01 }), loss: sparseCategoricalCrossentropy({ fromLogits: true }), metrics: ['accuracy'] });
  await m.fit(xTrain, dg.yTrain, { epochs, batchSize: 64, verbose: 0 });
  return m;
};
setSeed(0);
const cnnResult = await search({
  space: cnn,
  strategy: new RegularizedEvolution({ space: cnn as SearchSpace, seed: 1, populationSize: 3, sampleSize: 2 }),
  budget: cnnBudget,
  storage: `sqlite:///${join(db, 'nas-digits.db')}`,
  studyName: 'cnn-evolution',
  evaluate: async ({ model }) => {
    await trainCnn(model, 3);
    return { reward: model.evaluate(xVal, dg.yVal)[1], model };
  },
});
console.log(`\ndigits CNN: best validation accuracy ${cnnResult.reward.toFixed(4)}: ${JSON.stringify(cnnResult.architecture)}`);
cnnResult.model.summary();
console.log(`digits CNN test accuracy: ${cnnResult.model.evaluate(xTest, dg.yTest)[1].toFixed(4)}`);
console.log(`\nwrote ${join(out, 'best-so-far-breast-cancer.svg')}; studies in ${db} (run again to resume; raise --budget to search more)`);
