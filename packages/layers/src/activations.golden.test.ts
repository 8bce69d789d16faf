import { describe, expect, it } from 'vitest';
import { mul, sum, tensor } from '@nn/tensor';
import golden from './fixtures/activations.json';
import { activation, maxout, prelu } from './index.js';
import { expectClose } from './testing/close.js';

const cases = golden.cases;

describe('activations against PyTorch 1.13', () => {
  it('prelu with per-channel slopes: output and gradients for input and slope', () => {
    const c = cases['prelu(per-channel)'];
    const layer = prelu();
    const x = tensor(c.x);
    x.requiresGrad = true;
    layer.ensureBuilt(x.shape);
    layer.setWeights([c.alpha]);
    const y = layer.apply(x);
    expectClose(y, c.y, 1e-5, 'y');
    sum(mul(y, tensor(c.upstream))).backward();
    expectClose(x.grad!, c.dL_dx, 1e-5, 'dL/dx');
    expectClose(layer.trainableWeights[0].grad!, c.dL_dalpha, 1e-5, 'dL/dalpha');
  });

  it('prelu shared has one slope', () => {
    const layer = prelu({ shared: true });
    layer.ensureBuilt([2, 3]);
    expect(layer.countParams()).toBe(1);
    expectClose(layer.apply(tensor([[-4, 0, 2]])), [[-1, 0, 2]]);
  });

  it('maxout with k = 3 pieces: output and gradients for input, W and b', () => {
    const c = cases['maxout(k=3)'];
    const layer = maxout(2, { pieces: 3 });
    const x = tensor(c.x);
    x.requiresGrad = true;
    layer.ensureBuilt(x.shape);
    layer.setWeights([c['W[k,in,out]'], c['b[k,out]']]);
    const y = layer.apply(x);
    expectClose(y, c.y, 1e-5, 'y');
    sum(mul(y, tensor(c.upstream))).backward();
    expectClose(x.grad!, c.dL_dx, 1e-5, 'dL/dx');
    const [w, b] = layer.trainableWeights;
    expectClose(w.grad!, c.dL_dW, 1e-5, 'dL/dW');
    expectClose(b.grad!, c.dL_db, 1e-5, 'dL/db');
  });

  it('softmax layer: output and gradient', () => {
    const c = cases['softmax(axis=-1)'];
    const x = tensor(c.x);
    x.requiresGrad = true;
    const y = activation('softmax').apply(x);
    expectClose(y, c.y, 1e-5, 'y');
    sum(mul(y, tensor(c.upstream))).backward();
    expectClose(x.grad!, c.dL_dx, 1e-5, 'dL/dx');
  });

  const elementwise: [string, string, Record<string, number>][] = [
    ['sigmoid', 'sigmoid', {}], ['tanh', 'tanh', {}], ['relu', 'relu', {}], ['leakyRelu(0.01)', 'leakyRelu', {}],
    ['leakyRelu(0.2)', 'leakyRelu', { slope: 0.2 }], ['elu(1.0)', 'elu', {}], ['elu(0.5)', 'elu', { alpha: 0.5 }],
    ['softplus', 'softplus', {}], ['swish(beta=1)', 'swish', {}], ['swish(beta=1.5)', 'swish', { beta: 1.5 }],
    ['gelu', 'gelu', {}], ['selu', 'selu', {}], ['hardSigmoid', 'hardSigmoid', {}], ['mish', 'mish', {}],
  ];
  for (const [key, name, options] of elementwise) {
    it(`${key} as an activation layer: value and derivative`, () => {
      const c = (cases as unknown as Record<string, { y: number[]; dy_dx: number[] }>)[key];
      const x = tensor(golden.x);
      x.requiresGrad = true;
      const y = activation(name, options).apply(x);
      expectClose(y, c.y, 1e-5, 'y');
      sum(y).backward();
      expectClose(x.grad!, c.dy_dx, 1e-5, "f'");
    });
  }

  it('swish with a learnable beta matches the fixed one and gets a gradient', () => {
    const x = tensor(golden.x);
    const layer = activation('swish', { beta: 1.5, learnable: true });
    const y = layer.apply(x);
    expectClose(y, cases['swish(beta=1.5)'].y, 1e-5, 'y');
    sum(y).backward();
    expect(layer.trainableWeights).toHaveLength(1);
    expect(Number.isFinite(layer.trainableWeights[0].grad!.item())).toBe(true);
  });

  it('step, sign, logistic alias and maxout-as-activation', () => {
    const x = tensor([[-2, 0, 3, 1]]);
    expect(activation('step').apply(x).toArray()).toEqual([[0, 0, 1, 1]]);
    expect(activation('sign').apply(x).toArray()).toEqual([[-1, 0, 1, 1]]);
    expectClose(activation('logistic').apply(tensor([0])), [0.5]);
    expect(activation('maxout', { pieces: 2 }).apply(x).toArray()).toEqual([[0, 3]]);
  });
});
