// The fresh-process half of the round trip: a new Node process that knows the model only from its files.
// It installs the plugin (as any user of a saved model must), loads the model saved by the test, and prints
// what it rebuilt as JSON.  Usage: tsx src/round-trip.ts <model dir> <pipeline.json> <sampler.json>
import { readFileSync } from 'node:fs';
import { deserialize, use } from '@nn/core';
import { tensor } from '@nn/tensor';
import { loadModel, type Sequential } from '@nn/layers';
import '@nn/optim';
import '@nn/data-augment';
import '@nn/hpo';
import { extras } from './index.js';

/** The inputs both processes predict on. */
export const PROBE = [[0.5, -1, 2], [1, 1, 1], [-2, 0.25, 0]];

const [dir, pipelineFile, samplerFile] = process.argv.slice(2);
if (dir && pipelineFile && samplerFile) {
  use(extras);
  const model = await loadModel(dir);
  const pipeline = deserialize<{ apply(x: unknown): { dataSync(): Float32Array } }>(readFileSync(pipelineFile, 'utf8'));
  const sampler = deserialize<{ getConfig(): unknown; constructor: { name: string } }>(readFileSync(samplerFile, 'utf8'));
  const optimizer = model.optimizer as unknown as { constructor: { name: string }; paramGroups: { lr: { constructor: { name: string }; lrAt(s: number): number } }[] };
  console.log(JSON.stringify({
    predictions: Array.from(model.predict(PROBE).dataSync()),
    layers: (model as Sequential).layers.map((l) => l.constructor.name),
    optimizer: optimizer.constructor.name,
    schedule: optimizer.paramGroups[0]!.lr.constructor.name,
    lrAt5: optimizer.paramGroups[0]!.lr.lrAt(5),
    augmented: Array.from(pipeline.apply(tensor([[[[0.25]]]])).dataSync()),
    sampler: [sampler.constructor.name, sampler.getConfig()],
  }));
}
