import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registry, serialize, use } from '@nn/core';
import { setSeed, tensor } from '@nn/tensor';
import { dense, sequential } from '@nn/layers';
import { compose } from '@nn/data-augment';
import { createStudy } from '@nn/hpo';
import { describe, expect, it } from 'vitest';
import { extras, HaltonSampler, LinearDecay, RandomInvert, Scale, SignSGD } from './index.js';
import { PROBE } from './round-trip.js';

const here = fileURLToPath(new URL('.', import.meta.url));

describe('a third-party plugin package', () => {
  it('registers nothing until used; then every entry resolves by name', () => {
    expect(registry.has('layer', 'scale')).toBe(false);
    expect(() => registry.get('layer', 'scale')).toThrow('Unknown layer "scale". @nn/layers is loaded, but no plugin registered layer "scale"');
    use(extras);
    expect(registry.get('optimizer', 'signSgd')).toBe(SignSGD);
    expect(registry.get('schedule', 'linearDecay')).toBe(LinearDecay);
    expect(registry.get('augmentation', 'randomInvert')).toBe(RandomInvert);
    expect(registry.get('sampler', 'halton')).toBe(HaltonSampler);
  });

  it('trains with its layer, optimizer and schedule, and a fresh process rebuilds the model from its files', async () => {
    use(extras);
    setSeed(5);
    const model = sequential([dense(4, { activation: 'tanh', inputShape: [3] }), new Scale(), dense(1)]);
    model.compile({ optimizer: new SignSGD({ lr: new LinearDecay({ lr: 0.05, steps: 20 }) }), loss: 'meanSquaredError' });
    const x = tensor([[0, 1, 2], [1, 0, -1], [2, 2, 0], [-1, 1, 1]]);
    const y = tensor([[1], [0], [2], [-1]]);
    const history = await model.fit(x, y, { epochs: 8, batchSize: 2, verbose: 0 });
    expect(history.history.loss![7]).toBeLessThan(history.history.loss![0]!);
    // The scale weight moved: signSGD with the decaying lr trained it.
    expect(Array.from(model.layers[1]!.getWeights()[0]!.dataSync()).some((v) => v !== 1)).toBe(true);

    const dir = mkdtempSync(join(tmpdir(), 'nn-plugin-'));
    await model.save(join(dir, 'model'));
    const pipeline = compose([new RandomInvert({ p: 1 })], { seed: 3 });
    writeFileSync(join(dir, 'pipeline.json'), JSON.stringify(serialize(pipeline)));
    writeFileSync(join(dir, 'sampler.json'), JSON.stringify(serialize(new HaltonSampler({ skip: 2 }))));
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(here, 'round-trip.ts'), join(dir, 'model'), join(dir, 'pipeline.json'), join(dir, 'sampler.json')], { encoding: 'utf8', timeout: 60_000 });
    const fresh = JSON.parse(out) as Record<string, unknown>;
    expect(fresh).toEqual({
      predictions: Array.from(model.predict(PROBE).dataSync()),
      layers: ['Dense', 'Scale', 'Dense'],
      optimizer: 'SignSGD',
      schedule: 'LinearDecay',
      lrAt5: 0.05 - 0.05 * (5 / 20),
      augmented: [0.75],
      sampler: ['HaltonSampler', { skip: 2 }],
    });
  }, 90_000);

  it('its sampler drives a study (Halton points, in order)', async () => {
    use(extras);
    const study = createStudy({ sampler: 'halton' });
    await study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 3 });
    expect(study.trials.map((t) => t.params.x)).toEqual([0.5, 0.25, 0.75]);
  });
});
