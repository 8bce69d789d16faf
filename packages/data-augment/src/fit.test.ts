// @nn/layers is not a dependency of this package; this test checks, through the workspace, that a pipeline
// plugs into model.fit({ augment }): fit calls apply({ image, labels }) on each training batch.
import { dense, sequential, type OptimizerLike } from '@nn/layers';
import { sub, mul, tensor, type Tensor } from '@nn/tensor';
import { describe, expect, it } from 'vitest';
import { compose, mixup, randomFlip, randomTranslation } from './index.js';

/** Plain SGD, enough to drive fit without @nn/optim. */
class PlainSGD implements OptimizerLike {
  paramGroups: { params: Tensor[] }[] = [];
  constructor(private lr: number) {}
  addParamGroup(group: { params: Tensor[] }): void {
    this.paramGroups.push(group);
  }
  step(): void {
    for (const p of this.paramGroups.flatMap((g) => g.params)) if (p.grad) p.assign(sub(p, mul(p.grad, this.lr)));
  }
  zeroGrad(): void {
    for (const p of this.paramGroups.flatMap((g) => g.params)) p.grad = null;
  }
}

describe('use with model.fit', () => {
  it('augments each training batch of flat rows, never the validation data', async () => {
    const n = 24;
    const x = tensor(Float32Array.from({ length: n * 16 }, (_, i) => ((i * 7) % 16) / 16), [n, 16]);
    const y = tensor(Array.from({ length: n }, (_, i) => [i % 2]));
    const model = sequential([dense(4, { inputShape: [16], activation: 'relu' }), dense(1, { activation: 'sigmoid' })]);
    model.compile({ optimizer: new PlainSGD(0.1), loss: 'binaryCrossentropy' });
    const augment = compose([randomFlip(), randomTranslation({ translate: [1, 1], unit: 'pixel' })], { seed: 3, imageShape: [4, 4, 1] });
    const batches: number[] = [];
    const apply = augment.apply.bind(augment);
    const spy = {
      apply: (b: { image: Tensor; labels: Tensor }) => {
        batches.push(b.image.shape[0]);
        const out = apply(b);
        expect(out.image.shape).toEqual(b.image.shape);
        return out;
      },
    };
    await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, shuffle: false, augment: spy, validationSplit: 0.25 });
    expect(batches).toEqual([8, 8, 2, 8, 8, 2]);
    // the pipeline itself is accepted as fit's augment option, as it is
    const history = await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0, augment });
    expect(history).toBeDefined();
    expect(augment.lastParams?.images).toBe(8);
  });

  it('mixes labels with mixup inside fit', async () => {
    const n = 16;
    const x = tensor(Float32Array.from({ length: n * 4 }, (_, i) => (i % 5) / 5), [n, 4]);
    const y = tensor(Array.from({ length: n }, (_, i) => [i % 2, 1 - (i % 2)]));
    const model = sequential([dense(2, { inputShape: [4], activation: 'softmax' })]);
    model.compile({ optimizer: new PlainSGD(0.1), loss: 'categoricalCrossentropy' });
    const mix = mixup({ alpha: 0.4, seed: 1, imageShape: [2, 2, 1] });
    const labels: number[][] = [];
    const spy = {
      apply: (b: { image: Tensor; labels: Tensor }) => {
        const out = mix.apply(b);
        labels.push(Array.from(out.labels!.dataSync()));
        return out;
      },
    };
    await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0, shuffle: false, augment: spy });
    // Mixed one-hot labels are no longer all 0/1 (lambda is strictly between 0 and 1).
    expect(labels.flat().some((v) => v > 0 && v < 1)).toBe(true);
  });
});
