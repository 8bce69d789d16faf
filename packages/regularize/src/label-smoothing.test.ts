import { deserialize, registry, serialize } from '@nn/core';
import { binaryCrossentropy, categoricalCrossentropy, getLoss, meanSquaredError, sparseCategoricalCrossentropy } from '@nn/layers';
import { oneHot, softmax, tensor, type Tensor } from '@nn/tensor';
import { describe, expect, it } from 'vitest';
import golden from './fixtures/losses.json';
import { LabelSmoothing, labelSmoothing, smoothLabels } from './index.js';

const smoothed = golden.cases['categoricalCrossentropy(fromLogits, labelSmoothing=0.1)'];
const plain = golden.cases['categoricalCrossentropy(fromLogits, labelSmoothing=0.0)'];

function valueAndGrad(compute: (x: Tensor) => Tensor, input: number[][]): { value: number; grad: Float32Array } {
  const x = tensor(input);
  x.requiresGrad = true;
  const value = compute(x);
  value.backward();
  return { value: value.item(), grad: x.grad!.dataSync() };
}

function expectClose(got: ArrayLike<number>, want: number[], tol: number) {
  expect(got.length).toBe(want.length);
  want.forEach((w, i) => expect(Math.abs(got[i] - w), `element ${i}: ${got[i]} vs ${w}`).toBeLessThanOrEqual(tol));
}

describe('labelSmoothing against PyTorch (losses.json)', () => {
  const k = smoothed.logits[0].length;
  const hot = oneHot(tensor(smoothed.classIndex), k);

  it('categorical: wrapping categoricalCrossentropy(fromLogits) gives the smoothed value and gradient', () => {
    const loss = labelSmoothing(0.1, categoricalCrossentropy({ fromLogits: true }));
    const { value, grad } = valueAndGrad((x) => loss.compute(hot, x), smoothed.logits);
    expect(Math.abs(value - smoothed.loss)).toBeLessThan(1e-5);
    expectClose(grad, smoothed.dL_dlogits.flat(), 1e-6);
  });

  it('sparse: integer labels are one-hot encoded, then smoothed', () => {
    const loss = labelSmoothing(0.1, sparseCategoricalCrossentropy({ fromLogits: true }));
    const { value, grad } = valueAndGrad((x) => loss.compute(tensor(smoothed.classIndex), x), smoothed.logits);
    expect(Math.abs(value - smoothed.loss)).toBeLessThan(1e-5);
    expectClose(grad, smoothed.dL_dlogits.flat(), 1e-6);
    expect(loss.kind).toBe('sparseCategoricalCrossentropy');
    expect(loss.fromLogits).toBe(true);
  });

  it('with probabilities (the default categoricalCrossentropy) it gives the same value', () => {
    const probs = softmax(tensor(smoothed.logits), -1);
    expect(Math.abs(labelSmoothing(0.1).compute(hot, probs).item() - smoothed.loss)).toBeLessThan(1e-5);
    expect(Math.abs(labelSmoothing(0.1, 'categorical_crossentropy').compute(hot, probs).item() - smoothed.loss)).toBeLessThan(1e-5);
  });

  it('epsilon 0 is the plain loss', () => {
    const loss = labelSmoothing(0, categoricalCrossentropy({ fromLogits: true }));
    const { value, grad } = valueAndGrad((x) => loss.compute(hot, x), plain.logits);
    expect(Math.abs(value - plain.loss)).toBeLessThan(1e-5);
    expectClose(grad, plain.dL_dlogits.flat(), 1e-6);
  });
});

describe('labelSmoothing', () => {
  it('smooths one-hot rows to y(1-e) + e/K and binary targets to y(1-e) + e/2', () => {
    expectClose(smoothLabels(tensor([[0, 1, 0, 0]]), 0.2).dataSync(), [0.05, 0.85, 0.05, 0.05], 1e-7);
    expectClose(smoothLabels(tensor([[1], [0]]), 0.2, { mode: 'binary' }).dataSync(), [0.9, 0.1], 1e-7);
  });

  it('binary: wrapping binaryCrossentropy smooths towards 1/2 (hand-computed)', () => {
    const z = [[2], [-1], [0.5]];
    const y = [[1], [0], [1]];
    const e = 0.2;
    const sp = (v: number) => Math.log1p(Math.exp(v));
    // from logits: mean(softplus(z) - y's * z), y's = y(1-e) + e/2
    const want = z.flat().reduce((s, v, i) => s + sp(v) - (y[i][0] * (1 - e) + e / 2) * v, 0) / 3;
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    const wantGrad = z.flat().map((v, i) => (sig(v) - (y[i][0] * (1 - e) + e / 2)) / 3);
    const loss = labelSmoothing(e, binaryCrossentropy({ fromLogits: true }));
    const { value, grad } = valueAndGrad((x) => loss.compute(tensor(y), x), z);
    expect(value).toBeCloseTo(want, 6);
    expectClose(grad, wantGrad, 1e-6);
    // The same as the binary loss's own option.
    expect(binaryCrossentropy({ fromLogits: true, labelSmoothing: e }).compute(tensor(y), tensor(z)).item()).toBeCloseTo(value, 6);
  });

  it('binary with probabilities, and with one output per sample given [N] labels', () => {
    const p = [[0.8], [0.3], [0.6]];
    const y = [1, 0, 1];
    const e = 0.1;
    const want = -p.flat().reduce((s, v, i) => {
      const t = y[i] * (1 - e) + e / 2;
      return s + t * Math.log(v) + (1 - t) * Math.log(1 - v);
    }, 0) / 3;
    expect(labelSmoothing(e, 'binaryCrossentropy').compute(tensor(y), tensor(p)).item()).toBeCloseTo(want, 5);
    expect(labelSmoothing(e, 'binary_crossentropy').compute(tensor(y), tensor(p)).item()).toBeCloseTo(want, 5);
  });

  it('refuses regression losses, double smoothing and bad epsilons', () => {
    expect(() => labelSmoothing(0.1, meanSquaredError())).toThrow(/meanSquaredError is not a classification loss/);
    expect(() => labelSmoothing(0.1, 'hinge')).toThrow(/hinge is not a classification loss/);
    expect(() => labelSmoothing(0.1, categoricalCrossentropy({ labelSmoothing: 0.1 }))).toThrow(/already smooths its labels/);
    expect(() => labelSmoothing(1.5)).toThrow(/epsilon must be a number in \[0, 1\], got 1.5/);
    expect(() => labelSmoothing(-0.1)).toThrow(/epsilon/);
    expect(() => labelSmoothing(0.1, 'categoricalCrossentropi')).toThrow(/Did you mean "categoricalCrossentropy"/);
    expect(() => labelSmoothing(0.1, 'sparseCategoricalCrossentropy', { mode: 'binary' })).toThrow(/binary smoothing does not apply/);
    expect(() => labelSmoothing(0.1, 'binaryCrossentropy', { mdoe: 'binary' } as never)).toThrow(/unknown option "mdoe"; did you mean "mode"\?/);
  });

  it('is a registered loss and round-trips through JSON with the loss it wraps', () => {
    expect(registry.get('loss', 'labelSmoothing')).toBe(LabelSmoothing);
    const loss = labelSmoothing(0.1, sparseCategoricalCrossentropy({ fromLogits: true }));
    const json = JSON.parse(JSON.stringify(serialize(loss)));
    expect(json).toEqual({
      kind: 'loss',
      name: 'labelSmoothing',
      config: { epsilon: 0.1, mode: 'auto', loss: { kind: 'loss', name: 'sparseCategoricalCrossentropy', config: { fromLogits: true, labelSmoothing: 0 }, format: 1 } },
      format: 1,
    });
    const back = deserialize<LabelSmoothing>(json);
    expect(back).toBeInstanceOf(LabelSmoothing);
    expect(back.loss.kind).toBe('sparseCategoricalCrossentropy');
    const logits = tensor(smoothed.logits);
    expect(back.compute(tensor(smoothed.classIndex), logits).item()).toBeCloseTo(smoothed.loss, 5);
    // By name, as compile({ loss: 'labelSmoothing' }) would: epsilon 0.1 on categoricalCrossentropy.
    const byName = getLoss('labelSmoothing') as LabelSmoothing;
    expect(byName.epsilon).toBe(0.1);
    expect(byName.kind).toBe('categoricalCrossentropy');
  });
});
