// The program a user writes against the published packages. scripts/check-packages.mjs installs the packed
// tarballs into a fresh npm project, type-checks this file there (strict, exactOptionalPropertyTypes,
// noUncheckedIndexedAccess; node16 and bundler resolution; as ESM and as CommonJS), runs it, and compares
// the lines it prints. It is also part of the workspace's typecheck, so an API change shows here first.
import { definePlugin, deserialize, registry, serialize, use, type JsonObject } from '@nn/core';
import { randn, setSeed, tensor, type Tensor } from '@nn/tensor';
import { ActivationLayer, dense, sequential, type LayerOptions } from '@nn/layers';
import { Adam } from '@nn/optim';
import { cosineDecay, linearWarmup, sequentialLR } from '@nn/schedule';
import { dropout, earlyStopping, l2 } from '@nn/regularize';
import { createStudy, RandomSampler } from '@nn/hpo';
import { compose, randomFlip } from '@nn/data-augment';

/** A third-party activation, x³, installed as a plugin and then used by name. */
class Cube extends ActivationLayer {
  readonly kind = 'cube';
  constructor(options: LayerOptions = {}) {
    super(options, 'cube');
  }
  static fromConfig(config: JsonObject): Cube {
    return new Cube(typeof config.name === 'string' ? { name: config.name } : {});
  }
  call(x: Tensor): Tensor {
    return x.mul(x).mul(x);
  }
}

const round = (v: number | undefined): string => (v === undefined ? 'undefined' : v.toFixed(4));

async function main(): Promise<void> {
  setSeed(1);
  // Tensor methods and autograd, as the tensor README's first snippet.
  const w = randn([3, 2]);
  w.requiresGrad = true;
  const loss = tensor([[1, 2, 3]]).matmul(w).relu().sum();
  loss.backward();
  console.log(`grad shape ${JSON.stringify(w.grad?.shape)}`);

  use(definePlugin({ name: 'consumer-cube', version: '1.0.0', register: { activation: { cube: Cube } } }));
  console.log(`plugin ${registry.has('activation', 'cube')}`);

  const model = sequential([
    dense(8, { activation: 'cube', inputShape: [4], kernelRegularizer: l2(1e-4) }),
    dropout(0.1),
    dense(1, { activation: 'sigmoid' }),
  ]);
  const schedule = sequentialLR([linearWarmup({ lr: 0.01, startFactor: 0.1, totalSteps: 2 }), cosineDecay({ lr: 0.01, tMax: 20 })], [2]);
  const optimizer = new Adam({ lr: schedule });
  console.log(`optimizer ${optimizer.constructor.name}`);
  model.compile({ optimizer, loss: 'binaryCrossentropy', metrics: ['accuracy'] });

  const x = randn([32, 4]);
  const y = tensor(Array.from({ length: 32 }, (_, i) => [i % 2]));
  const augment = compose([randomFlip({ imageShape: [2, 2, 1] })], { seed: 3 });
  const xAug = augment.apply(x);
  const history = await model.fit(xAug, y, { epochs: 3, batchSize: 8, verbose: 0, callbacks: [earlyStopping({ monitor: 'loss', patience: 5 })] });
  const losses = history.history.loss ?? [];
  console.log(`epochs ${losses.length} finite ${losses.every(Number.isFinite)}`);
  // Class names as summary() prints them: a bundler that renames classes shows `_Dense` here.
  const types = [...model.summary({ print: null }).matchAll(/ \(([A-Z]\w*)\) /g)].map((m) => m[1]);
  console.log(`summary ${types.join(' ')}`);

  const json = JSON.parse(JSON.stringify(serialize(schedule))) as JsonObject;
  const again = deserialize<{ lrAt(step: number): number }>(json);
  console.log(`schedule round trip ${round(again.lrAt(5))} = ${round(schedule.lrAt(5))}`);

  const study = createStudy({ direction: 'minimize', sampler: new RandomSampler({ seed: 1 }) });
  await study.optimize((trial) => (trial.suggestFloat('x', -1, 1) - 0.5) ** 2, { nTrials: 5 });
  console.log(`study ${study.trials.length} trials, best ${study.bestValue >= 0}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
