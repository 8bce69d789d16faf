import { describe, expect, it } from 'vitest';
import golden from './fixtures/activations.json';
import { elu, gelu, grad, hardSigmoid, leakyRelu, mish, mul, relu, selu, sigmoid, softmax, softplus, sum, swish, tanh, tensor, type Tensor } from './index.js';

const FNS: Record<string, (x: Tensor) => Tensor> = {
  sigmoid,
  tanh,
  relu,
  'leakyRelu(0.01)': (x) => leakyRelu(x, 0.01),
  'leakyRelu(0.2)': (x) => leakyRelu(x, 0.2),
  'elu(1.0)': (x) => elu(x, 1),
  'elu(0.5)': (x) => elu(x, 0.5),
  softplus,
  'swish(beta=1)': (x) => swish(x, 1),
  'swish(beta=1.5)': (x) => swish(x, 1.5),
  gelu,
  selu,
  hardSigmoid,
  mish,
};

/** Within 1e-6 relative or 1e-7 absolute, element by element, naming the first failure. */
function expectClose(actual: ArrayLike<number>, expected: readonly number[], what: string) {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    if (!(err <= 1e-7 || err <= 1e-6 * Math.abs(expected[i]))) {
      expect.fail(`${what}[${i}]: got ${actual[i]}, PyTorch ${expected[i]} (error ${err})`);
    }
  }
}

describe('activations against PyTorch', () => {
  const cases = golden.cases as unknown as Record<string, { y: number[]; dy_dx: number[] }>;
  for (const [name, fn] of Object.entries(FNS)) {
    it(`${name}: values and derivatives on the grid`, () => {
      const x = tensor(golden.x);
      expectClose(fn(x).dataSync(), cases[name].y, `${name} y`);
      expectClose(grad((t: Tensor) => sum(fn(t)))(x).dataSync(), cases[name].dy_dx, `${name} dy/dx`);
    });
  }

  it('softmax(axis=-1): values and input gradient of sum(w * y)', () => {
    const c = golden.cases['softmax(axis=-1)'] as unknown as { x: number[][]; upstream: number[][]; y: number[][]; dL_dx: number[][] };
    const x = tensor(c.x);
    const w = tensor(c.upstream);
    expectClose(softmax(x).dataSync(), c.y.flat(), 'softmax y');
    expectClose(grad((t: Tensor) => sum(mul(softmax(t), w)))(x).dataSync(), c.dL_dx.flat(), 'softmax dL/dx');
  });
});
