import { describe, expect, it } from 'vitest';
import { CLASSES, PIXELS, loadDigits, split } from './data.js';
import { makeModel, parseSetup, runVariant, type RunOptions } from './experiments.js';

const digits = loadDigits();

/** A tiny run (100 digits, 2 epochs) that records every training batch before and after augmentation. */
async function tinyRun(variant: RunOptions['variant'], model: RunOptions['model'] = 'mlp', lr?: number) {
  const batches: { before: { image: number[]; labels: number[] }; after: { image: number[]; labels: number[] } }[] = [];
  const result = await runVariant({ variant, model, lr, nTrain: 100, nTest: 500, seed: 7, epochs: 2, digits, spy: (before, after) => batches.push({ before, after }) });
  return { result, batches };
}

describe('the mnist-augment example', () => {
  it('splits the package digits into a fixed test set and a seeded, balanced, disjoint training subset', () => {
    expect(digits.reduce((s, d) => s + d.length, 0)).toBe(10_000);
    const a = split(digits, { nTrain: 300, seed: 0 });
    const b = split(digits, { nTrain: 300, seed: 1 });
    expect(a.test.x.shape).toEqual([2000, PIXELS]);
    expect(a.train.y.shape).toEqual([300, CLASSES]);
    expect(Array.from(a.test.x.dataSync())).toEqual(Array.from(b.test.x.dataSync()));
    expect(Array.from(a.train.x.dataSync())).not.toEqual(Array.from(b.train.x.dataSync()));
    expect(Array.from(split(digits, { nTrain: 300, seed: 0 }).train.x.dataSync())).toEqual(Array.from(a.train.x.dataSync()));
    for (let d = 0; d < CLASSES; d++) expect(a.train.labels.filter((l) => l === d)).toHaveLength(30);
    const key = (x: Float32Array, i: number) => x.subarray(i * PIXELS, (i + 1) * PIXELS).join(',');
    const testRows = new Set(Array.from({ length: 2000 }, (_, i) => key(a.test.x.dataSync(), i)));
    const trainX = a.train.x.dataSync();
    expect(Array.from({ length: 300 }, (_, i) => key(trainX, i)).filter((k) => testRows.has(k))).toEqual([]);
  });

  it('trains end to end with rotation, shift and mixup: reproducible under the seed, batches really augmented, better than chance', async () => {
    const first = await tinyRun('rotate+shift+mixup');
    const second = await tinyRun('rotate+shift+mixup');
    expect(second.result.testAccuracy).toBe(first.result.testAccuracy);
    expect(second.result.history.history.loss).toEqual(first.result.history.history.loss);
    expect(second.batches).toEqual(first.batches);

    // 100 digits in batches of 32, two epochs: 8 batches, each changed by the pipeline
    expect(first.batches).toHaveLength(8);
    for (const { before, after } of first.batches) {
      expect(after.image).toHaveLength(before.image.length);
      expect(after.image).not.toEqual(before.image);
      // mixed labels still sum to 1 per digit
      for (let i = 0; i < after.labels.length; i += CLASSES) {
        expect(after.labels.slice(i, i + CLASSES).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      }
    }

    // lambda ~ Beta(0.2, 0.2) often lies within float32 rounding of 0 or 1, so not every batch gets soft labels
    expect(first.batches.filter((b) => b.after.labels.some((v) => v > 0.01 && v < 0.99)).length).toBeGreaterThan(first.batches.length / 4);

    const { testAccuracy, testLoss } = first.result;
    expect(Number.isFinite(testAccuracy) && Number.isFinite(testLoss)).toBe(true);
    expect(testAccuracy).toBeGreaterThan(0.2); // chance is 0.1; this tiny run reaches about 0.34
  });

  it('rotation and shift move the pixels but leave the labels one-hot', async () => {
    const { result, batches } = await tinyRun('rotate+shift');
    for (const { before, after } of batches) {
      expect(after.image).not.toEqual(before.image);
      expect(after.labels).toEqual(before.labels);
      expect(Math.min(...after.image)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...after.image)).toBeLessThanOrEqual(1);
    }
    expect(result.testAccuracy).toBeGreaterThan(0.2);
  });

  it('the CNN reads the flat rows as 28x28 images, trains with augmentation, reproducibly and better than chance', async () => {
    const cnn = makeModel('cnn');
    const text = cnn.summary({ print: null });
    expect(text).toMatch(/\(None, 28, 28, 1\)/);
    expect(text).toMatch(/\(None, 5, 5, 16\)/);
    expect(text).toMatch(/Total params: 5,258/);
    // Eight steps are few for a CNN at Adam's 1e-3 (it stays near chance); 5e-3 shows it learning.
    const first = await tinyRun('rotate+shift', 'cnn', 5e-3);
    const second = await tinyRun('rotate+shift', 'cnn', 5e-3);
    expect(second.result.testAccuracy).toBe(first.result.testAccuracy);
    expect(second.result.history.history.loss).toEqual(first.result.history.history.loss);
    expect(first.batches).toHaveLength(8);
    for (const { before, after } of first.batches) expect(after.image).not.toEqual(before.image);
    // The loss falls within the two epochs, and the net beats chance (0.1) on the 500 test digits.
    const loss = first.result.history.history.loss as number[];
    expect(loss[1]).toBeLessThan(loss[0]);
    expect(first.result.testAccuracy).toBeGreaterThan(0.2);
  });

  it('setups are model:variant pairs; unknown ones are refused', () => {
    expect(parseSetup('cnn:rotate+shift')).toEqual({ model: 'cnn', variant: 'rotate+shift' });
    expect(() => parseSetup('rnn:none')).toThrow(/unknown setup "rnn:none"/);
    expect(() => parseSetup('cnn:flip')).toThrow(/unknown setup "cnn:flip"/);
  });
});
