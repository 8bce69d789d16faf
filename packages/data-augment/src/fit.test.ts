// @nn/layers is not a dependency of this package; this test checks, through the workspace, that a pipeline
// plugs into model.fit({ augment }) as it has landed there (apply is called on each training batch's x).
import { dense, sequential, type OptimizerLike } from '@nn/layers';
import { sub, mul, tensor, type Tensor } from '@nn/tensor';
import { describe, expect, it } from 'vitest';
import { compose, randomFlip, randomTranslation } from './index.js';

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
      apply: (b: Tensor): Tensor => {
        batches.push(b.shape[0]);
        const out = apply(b);
        expect(out.shape).toEqual(b.shape);
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
});
