// One run of the resume test (checkpoint.test.ts), in its own process so that `kill -9` is real:
//   resume-run.ts straight <out>   36 steps (6 epochs x 6 batches) in one go
//   resume-run.ts first <out>      the same run with modelCheckpoint every epoch; SIGKILLs itself after 18 steps
//   resume-run.ts resume <out>     a new process: the same model and callbacks, fit({ resumeFrom }) for the rest
//   resume-run.ts first-steps / resume-steps <out>: the same with a checkpoint every 4 steps, killed after step 16
//                                  (inside epoch 3), resumed mid-epoch
// Each writes <out>/<mode>.json: the epochs it ran, their losses, and the final weights' float32 bits.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Adam } from '@nn/optim';
import { dropout, earlyStopping } from '@nn/regularize';
import { cosineDecay, reduceOnPlateau } from '@nn/schedule';
import { randn, setSeed, tensor } from '@nn/tensor';
import type { Callback } from '@nn/core';
import { batchNorm, dense, modelCheckpoint, sequential } from '@nn/layers';

const [mode, out] = process.argv.slice(2);
setSeed(7);
const x = randn([48, 4]);
const xs = x.dataSync();
const y = tensor(Array.from({ length: 48 }, (_, i) => [xs[4 * i] + xs[4 * i + 1] > 0 ? 1 : 0]));
const xVal = randn([16, 4]);
const yVal = tensor(Array.from({ length: 16 }, (_, i) => [i % 2]));

const model = sequential([dense(8, { activation: 'relu', inputShape: [4] }), batchNorm(), dropout(0.3, { seed: 11 }), dense(1, { activation: 'sigmoid' })]);
model.buildIfDeclared();
const [first, ...rest] = model.trainableWeights;
const plateau = reduceOnPlateau({ lr: 0.02, factor: 0.5, patience: 0, monitor: 'loss' });
model.compile({
  optimizer: new Adam([{ params: [first], lr: cosineDecay({ lr: 0.05, tMax: 36 }) }, { params: rest, lr: plateau }]),
  loss: 'binaryCrossentropy',
  metrics: ['accuracy'],
});
const steps = mode.endsWith('-steps');
const checkpoint = modelCheckpoint({ dir: join(out, mode === 'straight' ? 'straight-checkpoints' : steps ? 'step-checkpoints' : 'checkpoints'), keepLast: 2, ...(steps ? { everySteps: 4 } : {}) });
let stepsDone = 0;
const killAfter18Steps: Callback = {
  afterEpoch(epoch: number) {
    if (mode === 'first' && epoch === 2) process.kill(process.pid, 'SIGKILL');
  },
  afterBatch() {
    if (mode === 'first-steps' && ++stepsDone === 16) process.kill(process.pid, 'SIGKILL');
  },
};
const callbacks = [plateau as unknown as Callback, earlyStopping({ monitor: 'val_loss', patience: 50, restoreBestWeights: false }), checkpoint, killAfter18Steps];

const history = await model.fit(x, y, {
  epochs: 6,
  batchSize: 8,
  verbose: 0,
  validationData: [xVal, yVal],
  callbacks,
  ...(mode === 'resume' ? { resumeFrom: join(out, 'checkpoints', 'epoch-0003') } : {}),
  ...(mode === 'resume-steps' ? { resumeFrom: join(out, 'step-checkpoints', 'step-0000016') } : {}),
});
const weights = model.getWeights().map((w) => Array.from(new Uint32Array(w.dataSync().buffer)));
writeFileSync(join(out, `${mode}.json`), JSON.stringify({ epochs: history.epoch, loss: history.history.loss, valLoss: history.history.val_loss, weights }));
