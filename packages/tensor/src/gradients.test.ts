import { describe, expect, it } from 'vitest';
import * as nn from './index.js';
import { checkGradients, setSeed, tensor, type Tensor } from './index.js';

setSeed(7);
const r = (shape: number[], low = -2, high = 2) => nn.rand(shape, { low, high });
const pos = (shape: number[]) => nn.rand(shape, { low: 0.5, high: 2 });
/** Points kept away from 0 so kinked functions (relu, abs, …) are differentiable at every sample. */
const awayFromZero = (shape: number[]) => nn.mul(nn.add(nn.rand(shape, { low: 0.2, high: 2 }), 0), nn.sign(nn.rand(shape, { low: -1, high: 1 })));
const weights = new Map<string, Tensor>();
/** A fixed random weight per shape (made once: f must be the same function at every evaluation). */
const w = (shape: number[]) => {
  const key = shape.join();
  if (!weights.has(key)) weights.set(key, nn.rand(shape, { low: 0.5, high: 1.5 }));
  return weights.get(key)!;
};

/** Each case: a scalar function of its inputs (weighted by a fixed random tensor so every output matters). */
const CASES: [string, (...xs: Tensor[]) => Tensor, Tensor[]][] = [
  ['add (broadcast [2,3]+[3])', (a, b) => nn.sum(nn.mul(nn.add(a, b), w([2, 3]))), [r([2, 3]), r([3])]],
  ['sub (broadcast [2,1]-[1,3])', (a, b) => nn.sum(nn.mul(nn.sub(a, b), w([2, 3]))), [r([2, 1]), r([1, 3])]],
  ['mul (broadcast scalar)', (a, b) => nn.sum(nn.mul(nn.mul(a, b), w([2, 3]))), [r([2, 3]), r([])]],
  ['div', (a, b) => nn.sum(nn.div(a, b)), [r([4]), pos([4])]],
  ['pow', (a, b) => nn.sum(nn.pow(a, b)), [pos([4]), r([4], -1, 2)]],
  ['maximum', (a, b) => nn.sum(nn.maximum(a, b)), [tensor([1, -2, 3]), tensor([0.5, 0.5, 4])]],
  ['minimum', (a, b) => nn.sum(nn.minimum(a, b)), [tensor([1, -2, 3]), tensor([0.5, 0.5, 4])]],
  ['where', (a, b) => nn.sum(nn.where(tensor([1, 0, 1]), a, b)), [r([3]), r([2, 3])]],
  ['clip', (a) => nn.sum(nn.mul(nn.clip(a, -1, 1), w([5]))), [tensor([-1.5, -0.5, 0.2, 0.9, 1.7])]],
  ['neg', (a) => nn.sum(nn.mul(nn.neg(a), w([4]))), [r([4])]],
  ['abs', (a) => nn.sum(nn.mul(nn.abs(a), w([4]))), [awayFromZero([4])]],
  ['exp', (a) => nn.sum(nn.exp(a)), [r([4])]],
  ['log', (a) => nn.sum(nn.log(a)), [pos([4])]],
  ['sqrt', (a) => nn.sum(nn.sqrt(a)), [pos([4])]],
  ['square', (a) => nn.sum(nn.square(a)), [r([4])]],
  ['sumSquares', (a) => nn.sumSquares(a), [r([2, 3])]],
  ['sin', (a) => nn.sum(nn.sin(a)), [r([4])]],
  ['cos', (a) => nn.sum(nn.cos(a)), [r([4])]],
  ['reciprocal', (a) => nn.sum(nn.reciprocal(a)), [pos([4])]],
  ['log1p', (a) => nn.sum(nn.log1p(a)), [pos([4])]],
  ['expm1', (a) => nn.sum(nn.expm1(a)), [r([4])]],
  ['erf', (a) => nn.sum(nn.erf(a)), [r([4])]],
  ['sum over axis 1', (a) => nn.sum(nn.mul(nn.sum(a, 1), w([2]))), [r([2, 3])]],
  ['sum keepDims', (a) => nn.sum(nn.mul(nn.sum(a, 0, true), w([1, 3]))), [r([2, 3])]],
  ['mean over axes [0,2]', (a) => nn.sum(nn.mul(nn.mean(a, [0, 2]), w([3]))), [r([2, 3, 4])]],
  ['max', (a) => nn.sum(nn.mul(nn.max(a, 1), w([2]))), [tensor([[1, 5, 2], [7, -1, 3]])]],
  ['min', (a) => nn.sum(nn.mul(nn.min(a, 0), w([3]))), [tensor([[1, 5, 2], [7, -1, 3]])]],
  ['variance', (a) => nn.sum(nn.mul(nn.variance(a, 1), w([2]))), [r([2, 5])]],
  ['logSumExp', (a) => nn.sum(nn.mul(nn.logSumExp(a, -1), w([3]))), [r([3, 4])]],
  ['matmul', (a, b) => nn.sum(nn.mul(nn.matmul(a, b), w([3, 2]))), [r([3, 4]), r([4, 2])]],
  ['matmul transposeA', (a, b) => nn.sum(nn.mul(nn.matmul(a, b, { transposeA: true }), w([3, 2]))), [r([4, 3]), r([4, 2])]],
  ['matmul transposeB', (a, b) => nn.sum(nn.mul(nn.matmul(a, b, { transposeB: true }), w([3, 2]))), [r([3, 4]), r([2, 4])]],
  ['matmul both transposed', (a, b) => nn.sum(nn.mul(nn.matmul(a, b, { transposeA: true, transposeB: true }), w([3, 2]))), [r([4, 3]), r([2, 4])]],
  ['matmul batched with broadcast', (a, b) => nn.sum(nn.mul(nn.matmul(a, b), w([2, 3, 2]))), [r([2, 3, 4]), r([4, 2])]],
  ['transpose', (a) => nn.sum(nn.mul(nn.transpose(a, [2, 0, 1]), w([4, 2, 3]))), [r([2, 3, 4])]],
  ['reshape', (a) => nn.sum(nn.mul(nn.reshape(a, [3, -1]), w([3, 2]))), [r([2, 3])]],
  ['slice', (a) => nn.sum(nn.mul(nn.slice(a, [1, 1], [2, -1]), w([2, 2]))), [r([3, 3])]],
  ['pad', (a) => nn.sum(nn.mul(nn.pad(a, [[1, 0], [0, 2]]), w([3, 4]))), [r([2, 2])]],
  ['concat', (a, b) => nn.sum(nn.mul(nn.concat([a, b], 1), w([2, 5]))), [r([2, 2]), r([2, 3])]],
  ['stack', (a, b) => nn.sum(nn.mul(nn.stack([a, b], 1), w([2, 2, 3]))), [r([2, 3]), r([2, 3])]],
  ['gather (repeated rows)', (a) => nn.sum(nn.mul(nn.gather(a, [2, 0, 2]), w([3, 3]))), [r([4, 3])]],
  ['gather along axis 1', (a) => nn.sum(nn.mul(nn.gather(a, [1, 1, 0], 1), w([2, 3]))), [r([2, 3])]],
  ['broadcastTo', (a) => nn.sum(nn.mul(nn.broadcastTo(a, [2, 3]), w([2, 3]))), [r([3])]],
  ['sigmoid', (a) => nn.sum(nn.mul(nn.sigmoid(a), w([4]))), [r([4])]],
  ['tanh', (a) => nn.sum(nn.mul(nn.tanh(a), w([4]))), [r([4])]],
  ['relu', (a) => nn.sum(nn.mul(nn.relu(a), w([4]))), [awayFromZero([4])]],
  ['leakyRelu', (a) => nn.sum(nn.mul(nn.leakyRelu(a, 0.1), w([4]))), [awayFromZero([4])]],
  ['elu', (a) => nn.sum(nn.mul(nn.elu(a, 0.7), w([4]))), [awayFromZero([4])]],
  ['selu', (a) => nn.sum(nn.mul(nn.selu(a), w([4]))), [awayFromZero([4])]],
  ['softplus', (a) => nn.sum(nn.mul(nn.softplus(a), w([4]))), [r([4])]],
  ['swish', (a) => nn.sum(nn.mul(nn.swish(a, 1.5), w([4]))), [r([4])]],
  ['gelu', (a) => nn.sum(nn.mul(nn.gelu(a), w([4]))), [r([4])]],
  ['mish', (a) => nn.sum(nn.mul(nn.mish(a), w([4]))), [r([4])]],
  ['hardSigmoid', (a) => nn.sum(nn.mul(nn.hardSigmoid(a), w([4]))), [tensor([-4, -1, 0.5, 2.5])]],
  ['softmax', (a) => nn.sum(nn.mul(nn.softmax(a, 0), w([3, 2]))), [r([3, 2])]],
  ['logSoftmax', (a) => nn.sum(nn.mul(nn.logSoftmax(a), w([2, 4]))), [r([2, 4])]],
];

describe('gradient check of every differentiable op (central differences)', () => {
  for (const [name, f, inputs] of CASES) {
    it(name, () => {
      const { ok, worst } = checkGradients(f, inputs);
      expect(ok, `${name}: worst ${JSON.stringify(worst)}`).toBe(true);
    });
  }

  it('the checker catches a wrong gradient', () => {
    // exp with a deliberately wrong derivative (2·e^x) must be flagged.
    const wrong = (x: Tensor) => nn.sum(nn.add(nn.exp(x), nn.sub(nn.exp(x), nn.detach(nn.exp(x)))));
    expect(checkGradients(wrong, [r([3])]).ok).toBe(false);
  });
});
