import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { add, concat, getBackend, mul, setBackend, slice, sum, tensor, transpose, type Tensor } from '@nn/tensor';
import '@nn/tensor/gpu';
import '@nn/tensor/wasm';
import golden from '../fixtures/rnn.json';
import { embedding, gru, lstm, simpleRNN, type RNN } from '../index.js';
import { expectClose } from '../testing/close.js';

type Case = Record<string, unknown> & { layer: string; units: number };
const cases = golden.cases as unknown as Case[];
const get = (name: string) => cases.find((c) => c.layer === name)!;
const t = (v: unknown) => tensor(v as number[][]);
const T = (v: unknown) => transpose(t(v));

/** Torch's gate blocks (rows of weight_ih/weight_hh, entries of the biases) reordered: `order[k]` is the torch block of Keras gate k. */
function blocks(x: Tensor, order: number[], units: number, axis: number): Tensor {
  return concat(order.map((k) => slice(x, x.shape.map((_, i) => (i === axis ? k * units : 0)), x.shape.map((d, i) => (i === axis ? units : d)))), axis);
}

/**
 * Runs `layer` on the case's x and initial states, checks the sequence and the last states, then the gradients
 * of L = sum(upstream_sequence·y) + sum(upstream_last_h·h_last) for x, the initial states and every weight.
 */
function check(c: Case, layer: RNN, weights: Tensor[], gradOf: (w: Tensor[]) => Tensor[], expectedWeightGrads: Tensor[], tol: number) {
  const x = t(c.x);
  const states = [t(c.h0), ...(c.c0 ? [t(c.c0)] : [])];
  layer.ensureBuilt(x.shape);
  layer.setWeights(weights);
  const inputs = [x, ...states];
  for (const v of inputs) v.requiresGrad = true;
  const [y, h, cLast] = layer.callAll(inputs, true);
  expectClose(y, c.y_sequence as number[][][], tol, `${c.layer} y_sequence`);
  expectClose(h, c.h_last as number[][], tol, `${c.layer} h_last`);
  if (c.c_last) expectClose(cLast, c.c_last as number[][], tol, `${c.layer} c_last`);
  const loss = add(sum(mul(y, t(c.upstream_sequence))), sum(mul(h, t(c.upstream_last_h))));
  loss.backward();
  expectClose(x.grad!, c.dL_dx as number[][][], tol, `${c.layer} dL/dx`);
  expectClose(states[0].grad!, c.dL_dh0 as number[][], tol, `${c.layer} dL/dh0`);
  if (c.c0) expectClose(states[1].grad!, c.dL_dc0 as number[][], tol, `${c.layer} dL/dc0`);
  const w = layer.allWeights().map((e) => e.value);
  const grads = gradOf(w);
  expect(grads).toHaveLength(expectedWeightGrads.length);
  grads.forEach((g, i) => expectClose(g, expectedWeightGrads[i].toArray() as number[][], tol, `${c.layer} dL/d${layer.allWeights()[i].path}`));
}

// Within 1e-5 on the cpu backend (the reference); float32 tolerance on the others, whose kernels sum in other orders.
const BACKENDS: [string, number][] = [['cpu', 1e-5], ['wasm', 1e-4], ['gpujs', 1e-4]];

describe.each(BACKENDS)('recurrent layers against PyTorch 1.13 (outputs, last states, every gradient) on %s', (backend, tol) => {
  let previous: string;
  beforeAll(() => {
    previous = getBackend().name;
    setBackend(backend);
  });
  afterAll(() => setBackend(previous));

  it('SimpleRNN(tanh): Keras kernel = weight_ih^T, one bias = bias_ih + bias_hh', () => {
    const c = get('RNN(tanh)');
    const layer = simpleRNN(c.units, { returnSequences: true, returnState: true });
    const weights = [T(c.weight_ih_l0), T(c.weight_hh_l0), add(t(c.bias_ih_l0), t(c.bias_hh_l0))];
    check(c, layer, weights, (w) => w.map((v) => v.grad!), [T(c.dL_dweight_ih_l0), T(c.dL_dweight_hh_l0), t(c.dL_dbias_ih_l0)], tol);
    expect(layer.getWeights().map((v) => v.shape)).toEqual([[4, 6], [6, 6], [6]]);
  });

  it('LSTM: gates i, f, c, o in both (torch i, f, g, o); states [h, c]', () => {
    const c = get('LSTM');
    const layer = lstm(c.units, { returnSequences: true, returnState: true });
    const weights = [T(c.weight_ih_l0), T(c.weight_hh_l0), add(t(c.bias_ih_l0), t(c.bias_hh_l0))];
    check(c, layer, weights, (w) => w.map((v) => v.grad!), [T(c.dL_dweight_ih_l0), T(c.dL_dweight_hh_l0), t(c.dL_dbias_ih_l0)], tol);
    expect(layer.getWeights().map((v) => v.shape)).toEqual([[4, 24], [6, 24], [24]]);
  });

  it('GRU (resetAfter): Keras gates z, r, h from torch r, z, n; bias [2, 3u] = [bias_ih; bias_hh]', () => {
    const c = get('GRU');
    const u = c.units;
    const order = [1, 0, 2];
    const kernel = (v: unknown) => blocks(T(v), order, u, 1);
    const bias = (ih: unknown, hh: unknown) => concat([blocks(t([ih]), order, u, 1), blocks(t([hh]), order, u, 1)], 0);
    const layer = gru(u, { returnSequences: true, returnState: true });
    const weights = [kernel(c.weight_ih_l0), kernel(c.weight_hh_l0), bias(c.bias_ih_l0, c.bias_hh_l0)];
    check(c, layer, weights, (w) => w.map((v) => v.grad!), [kernel(c.dL_dweight_ih_l0), kernel(c.dL_dweight_hh_l0), bias(c.dL_dbias_ih_l0, c.dL_dbias_hh_l0)], tol);
    expect(layer.getWeights().map((v) => v.shape)).toEqual([[4, 18], [6, 18], [2, 18]]);
  });

  it('embedding: rows of the table and the scattered gradient of the table', () => {
    const c = cases.find((k) => k.layer === 'embedding') as unknown as { inputDim: number; outputDim: number; indices: number[][]; weight: number[][]; upstream: number[][][]; y: number[][][]; dL_dweight: number[][] };
    const layer = embedding(c.inputDim, c.outputDim);
    layer.ensureBuilt([2, 4]);
    layer.setWeights([c.weight]);
    const y = layer.apply(tensor(c.indices), { training: true });
    expectClose(y, c.y, tol, 'embedding y');
    expect(y.backend.name).toBe(backend);
    sum(mul(y, tensor(c.upstream))).backward();
    expectClose(layer.embeddings.grad!, c.dL_dweight, tol, 'dL/dembeddings');
  });
});
