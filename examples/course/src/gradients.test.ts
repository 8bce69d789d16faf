import { dense, sequential } from '@nn/layers';
import { tensor } from '@nn/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareGradients, layerGradNorms, type DeepNetKind } from './gradients.js';

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
/** Orders of magnitude between the first hidden layer's gradient norm and the last hidden layer's. */
const span = (norms: number[]) => Math.log10(norms[norms.length - 2] / norms[0]);

describe('per-layer gradient norms', () => {
  it('are the norms of ∂L/∂W: for one sigmoid unit, Xᵀ(p − y)/n by hand', () => {
    const model = sequential([dense(1, { activation: 'sigmoid', inputShape: [2] })]);
    model.setWeights([[[1], [-1]], [0]]);
    const x = [[1, 2], [3, -1]];
    const y = [1, 0];
    const p = [sigmoid(1 - 2), sigmoid(3 + 1)];
    const g = [0, 1].map((j) => (x[0][j] * (p[0] - y[0]) + x[1][j] * (p[1] - y[1])) / 2);
    expect(layerGradNorms(model, tensor(x), tensor([[1], [0]]))[0]).toBeCloseTo(Math.hypot(...g), 6);
  });

  let norms: Record<DeepNetKind, number[]>;
  beforeAll(() => {
    norms = compareGradients();
  });

  it('vanish in a deep sigmoid net: the first layer gets orders of magnitude less than the last', () => {
    const s = norms.sigmoid;
    expect(s).toHaveLength(11); // 10 hidden layers and the output
    expect(span(s)).toBeGreaterThan(5); // about 6.6 with seed 0
    // each layer back multiplies by sigmoid' <= 1/4 times the weights: the norms fall at every layer
    for (let i = 1; i < s.length; i++) expect(s[i - 1]).toBeLessThan(s[i]);
  });

  it('do not vanish with ReLU and He init: first and last hidden layers within about an order of magnitude', () => {
    expect(Math.abs(span(norms.relu))).toBeLessThan(1.5);
  });

  it('residual connections and batch norm bring the sigmoid net\'s first layer back', () => {
    // the identity path carries the gradient past every block
    expect(Math.abs(span(norms.residual))).toBeLessThan(2);
    expect(norms.residual[0] / norms.sigmoid[0]).toBeGreaterThan(1e4);
    // normalizing each layer's pre-activations keeps the sigmoids out of saturation and rescales the gradient
    expect(Math.abs(span(norms.batchNorm))).toBeLessThan(0.5);
    expect(norms.batchNorm[0] / norms.sigmoid[0]).toBeGreaterThan(1e4);
  });
});
