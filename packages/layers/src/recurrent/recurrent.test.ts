import { describe, expect, it } from 'vitest';
import { Adam } from '@nn/optim';
import { checkGradients, concat, gather, matmul, mul, noGrad, randn, reshape, setSeed, slice, sum, tensor, transpose, type Tensor } from '@nn/tensor';
import {
  bidirectional, dense, embedding, getMask, masking, gru, gruCell, lstm, lstmCell, Orthogonal, rnn, sequential, simpleRNN, simpleRNNCell, timeDistributed, type Layer,
} from '../index.js';
import { expectClose } from '../testing/close.js';
import { roundTrip } from '../testing/round-trip.js';

setSeed(3);
/** A fixed weighting so every output entry matters to the checked scalar. */
const weighted = (y: Tensor, w: Tensor) => sum(mul(y, w));

describe('cells on their own', () => {
  it('lstmCell.step takes [h, c] and returns the output and both new states; a hand loop equals the lstm layer', () => {
    const cell = lstmCell(5);
    const x = randn([2, 3, 4]);
    let states = cell.initialStates(2);
    for (let t = 0; t < 3; t++) states = cell.step(reshape(slice(x, [0, t, 0], [2, 1, 4]), [2, 4]), states).states;
    expect(states.map((s) => s.shape)).toEqual([[2, 5], [2, 5]]);
    const layer = lstm(5);
    layer.ensureBuilt(x.shape);
    layer.setWeights(cell.getWeights());
    expectClose(layer.apply(x), states[0].toArray() as number[][], 1e-6, 'h');
    expect(cell.stateSize).toEqual([5, 5]);
    expect(gruCell(3).stateSize).toEqual([3]);
  });

  it('unitForgetBias starts the forget gate bias at 1 (Keras), the rest at the bias initializer', () => {
    const cell = lstmCell(2);
    cell.step(randn([1, 3]), cell.initialStates(1));
    expect(Array.from(cell.bias!.dataSync())).toEqual([0, 0, 1, 1, 0, 0, 0, 0]);
    const plain = lstmCell(2, { unitForgetBias: false });
    plain.step(randn([1, 3]), plain.initialStates(1));
    expect(Array.from(plain.bias!.dataSync())).toEqual(new Array(8).fill(0));
  });

  it('names the cell and the shapes on bad input', () => {
    const cell = lstmCell(4, { name: 'ctrl' });
    expect(() => cell.step(randn([2, 3]), [randn([2, 4])])).toThrow(/ctrl.step: expects 2 state tensor/);
    expect(() => cell.step(randn([2, 3]), [randn([2, 4]), randn([3, 4])])).toThrow(/ctrl.step: state 1 must be \[2, 4\]/);
    expect(() => cell.step(randn([2, 5]), cell.initialStates(2))).toThrow(/ctrl.step: expected 3 features/);
    expect(() => lstmCell(0)).toThrow(/units must be a positive integer/);
  });

  it('the recurrent kernel defaults to an orthogonal matrix', () => {
    const q = new Orthogonal({ seed: 1 }).init([6, 6]);
    expectClose(matmul(transpose(q), q), [[1, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0], [0, 0, 1, 0, 0, 0], [0, 0, 0, 1, 0, 0], [0, 0, 0, 0, 1, 0], [0, 0, 0, 0, 0, 1]], 1e-5, 'QtQ');
    const wide = new Orthogonal({ seed: 2 }).init([3, 5]);
    expectClose(matmul(wide, transpose(wide)), [[1, 0, 0], [0, 1, 0], [0, 0, 1]], 1e-5, 'rows orthonormal');
  });
});

/**
 * Central differences of `f` with respect to each entry of the weight `v` (changed in place and restored),
 * summed in float64, against the gradient autograd left in `v.grad`.
 */
function expectWeightGrad(f: () => Tensor, v: Tensor, what: string, eps = 1e-2): void {
  const base = Float32Array.from(v.dataSync());
  const at = (i: number, delta: number) => {
    v.mutate((d) => (d[i] = base[i] + delta));
    const value = noGrad(() => f().dataSync().reduce((a, b) => a + b, 0));
    v.mutate((d) => (d[i] = base[i]));
    return value;
  };
  const analytic = v.grad!.dataSync();
  for (let i = 0; i < base.length; i++) {
    const up = Math.fround(base[i] + eps) - base[i];
    const down = base[i] - Math.fround(base[i] - eps);
    const numeric = (at(i, up) - at(i, -down)) / (up + down);
    if (Math.abs(analytic[i] - numeric) > 1e-3 + 1e-2 * Math.abs(numeric)) expect.fail(`${what}[${i}]: autograd ${analytic[i]}, numeric ${numeric}`);
  }
}

describe('gradient checks (float32 central differences): the input and every weight', () => {
  const x = randn([2, 3, 2]);
  const cases: [string, () => Layer, number[]][] = [
    ['simpleRNN', () => simpleRNN(3, { returnSequences: true }), [2, 3, 3]],
    ['lstm', () => lstm(3), [2, 3]],
    ['gru resetAfter', () => gru(3, { returnSequences: true }), [2, 3, 3]],
    ['gru resetAfter false', () => gru(3, { resetAfter: false, returnSequences: true }), [2, 3, 3]],
    ['lstm goBackwards', () => lstm(2, { goBackwards: true, returnSequences: true }), [2, 3, 2]],
    ['bidirectional(gru) concat', () => bidirectional(gru(2, { returnSequences: true })), [2, 3, 4]],
    ['bidirectional(lstm) ave', () => bidirectional(lstm(2), { mergeMode: 'ave' }), [2, 2]],
    ['timeDistributed(dense)', () => timeDistributed(dense(3, { activation: 'tanh' })), [2, 3, 3]],
  ];
  for (const [name, make, outShape] of cases) {
    it(name, () => {
      const layer = make();
      layer.ensureBuilt(x.shape);
      const w = randn(outShape);
      const f = () => weighted(layer.call(x, true), w);
      const res = checkGradients((xi) => weighted(layer.call(xi, true), w), [x]);
      expect(res.ok, JSON.stringify(res.worst)).toBe(true);
      const weights = layer.allWeights();
      // checkGradients' own backward also reached the weights: start their gradients afresh.
      for (const e of weights) e.value.grad = null;
      f().backward();
      expect(weights.length).toBeGreaterThan(0);
      for (const e of weights) expectWeightGrad(f, e.value, e.path);
    });
  }

  it('a masked lstm over embedded padded indices (maskZero), embeddings included', () => {
    const emb = embedding(5, 3, { maskZero: true });
    const layer = lstm(2);
    const ids = tensor([[1, 4, 2, 0], [3, 0, 0, 0]]);
    const w = randn([2, 2]);
    const f = () => weighted(layer.call(emb.apply(ids, { training: true }), true), w);
    f().backward();
    for (const e of [...emb.allWeights(), ...layer.allWeights()]) expectWeightGrad(f, e.value, e.path);
  });
});

describe('masking, direction, wrappers', () => {
  it('padded steps (maskZero) leave the state alone: the padded sequence ends where the short one does', () => {
    const emb = embedding(6, 3, { maskZero: true });
    const layer = gru(4, { returnSequences: true, returnState: true });
    const padded = emb.apply(tensor([[2, 5, 1, 0, 0]]));
    expect(getMask(padded)!.toArray()).toEqual([[1, 1, 1, 0, 0]]);
    const short = emb.apply(tensor([[2, 5, 1]]));
    const [seq, h] = layer.callAll([padded], false);
    const [seqShort, hShort] = layer.callAll([short], false);
    expectClose(h, hShort.toArray() as number[][], 1e-6, 'final state');
    // Masked steps repeat the last real output (Keras' default), or give zeros with zeroOutputForMask.
    expectClose(slice(seq, [0, 3, 0], [1, 2, 4]), concat([slice(seqShort, [0, 2, 0], [1, 1, 4]), slice(seqShort, [0, 2, 0], [1, 1, 4])], 1).toArray() as number[][][], 1e-6, 'masked outputs');
    expect(getMask(seq)).toBe(getMask(padded));
    const zeroing = gru(4, { returnSequences: true, zeroOutputForMask: true });
    zeroing.ensureBuilt(padded.shape);
    zeroing.setWeights(layer.getWeights());
    expect(slice(zeroing.apply(padded), [0, 3, 0], [1, 2, 4]).toArray()).toEqual([[[0, 0, 0, 0], [0, 0, 0, 0]]]);
  });

  it('masking({ maskValue }) marks all-padding steps of float sequences for the layer after it', () => {
    const x = tensor([[[1, 2], [3, 4], [-1, -1], [-1, -1]], [[5, 6], [-1, 0], [-1, -1], [7, 8]]]);
    const m = masking({ maskValue: -1 });
    const y = m.apply(x);
    expect(getMask(y)!.toArray()).toEqual([[1, 1, 0, 0], [1, 1, 0, 1]]);
    expect(y.toArray()).toEqual([[[1, 2], [3, 4], [0, 0], [0, 0]], [[5, 6], [-1, 0], [0, 0], [7, 8]]]);
    const layer = lstm(3);
    const viaMask = layer.apply(y);
    const short = layer.apply(tensor([[[1, 2], [3, 4]]]));
    expectClose(slice(viaMask, [0, 0], [1, 3]), short.toArray() as number[][], 1e-6, 'padded = short');
    expect(() => masking({ maskValue: Number.NaN })).toThrow(/maskValue must be a finite number/);
  });

  it('goBackwards reads the sequence from its end; bidirectional merges it back in time order', () => {
    const x = randn([2, 4, 3]);
    const rev = gather(x, [3, 2, 1, 0], 1);
    const fwd = simpleRNN(2, { returnSequences: true });
    const back = simpleRNN(2, { returnSequences: true, goBackwards: true });
    fwd.ensureBuilt(x.shape);
    back.ensureBuilt(x.shape);
    back.setWeights(fwd.getWeights());
    expectClose(back.apply(x), fwd.apply(rev).toArray() as number[][][], 1e-6, 'goBackwards');
    const bi = bidirectional(simpleRNN(2, { returnSequences: true }));
    bi.ensureBuilt(x.shape);
    const [wf, rf, bf, wb, rb, bb] = bi.getWeights();
    fwd.setWeights([wf, rf, bf]);
    back.setWeights([wb, rb, bb]);
    const expected = concat([fwd.apply(x), gather(back.apply(x), [3, 2, 1, 0], 1)], -1);
    expectClose(bi.apply(x), expected.toArray() as number[][][], 1e-6, 'bidirectional concat');
    expect(bi.computeOutputShape([null, 4, 3])).toEqual([null, 4, 4]);
    const both = bidirectional(lstm(2, { returnState: true }), { mergeMode: null });
    expect(both.callAll([x], false).map((t) => t.shape)).toEqual([[2, 2], [2, 2], [2, 2], [2, 2], [2, 2], [2, 2]]);
    expect(() => bidirectional(dense(2) as never)).toThrow(/expects a recurrent layer/);
    expect(() => bidirectional(lstm(2), { mergeMode: 'max' as never })).toThrow(/mergeMode must be one of/);
  });

  it('timeDistributed applies one dense layer to every step', () => {
    const x = randn([2, 3, 4]);
    const td = timeDistributed(dense(5));
    const y = td.apply(x);
    expect(y.shape).toEqual([2, 3, 5]);
    const [k, b] = td.getWeights();
    expectClose(slice(y, [1, 2, 0], [1, 1, 5]), (matmul(reshape(slice(x, [1, 2, 0], [1, 1, 4]), [1, 4]), k).add(b).reshape([1, 1, 5])).toArray() as number[][][], 1e-6, 'step');
    expect(() => td.apply(randn([2, 4]))).toThrow(/rank >= 3/);
  });

  it('shapes and errors name the layer', () => {
    const l = lstm(3, { name: 'enc', returnSequences: true, returnState: true });
    expect(l.computeOutputShapes([[null, 7, 2]])).toEqual([[null, 7, 3], [null, 3], [null, 3]]);
    expect(() => l.apply(randn([2, 3]))).toThrow(/enc: expects inputs \[batch, time, features\], got \(2, 3\)/);
    expect(() => l.run(randn([2, 3, 2]), { initialState: [randn([2, 3])] })).toThrow(/enc: initialState needs 2 tensor/);
    expect(() => l.run(randn([2, 3, 2]), { mask: tensor([[1, 1]]) })).toThrow(/enc: the mask must be \[batch, time\] = \[2, 3\]/);
    expect(() => embedding(4, 2, { name: 'emb' }).apply(tensor([[1, 4]]))).toThrow(/emb: inputs must be integer indices in \[0, 4\)/);
    expect(() => embedding(0, 2)).toThrow(/inputDim must be a positive integer/);
    // Unknown option names are refused with the near miss; the cell's options belong to the layer named after it.
    expect(() => lstm(4, { returnSequence: true } as never)).toThrow(/returnSequences/);
    expect(() => gru(4, { unitForgetBias: true } as never)).toThrow(/unitForgetBias/);
    expect(() => lstmCell(4, { resetAfter: true } as never)).toThrow(/resetAfter/);
    expect(() => embedding(4, 2, { maskZero: 1 } as never)).toThrow(/maskZero must be true or false/);
  });
});

describe('serialization and training', () => {
  const all: [string, () => Layer, number[]][] = [
    ['simpleRNN', () => simpleRNN(3, { activation: 'relu', returnSequences: true }), [2, 4, 3]],
    ['lstm', () => lstm(3, { unitForgetBias: false, recurrentActivation: 'hardSigmoid', goBackwards: true }), [2, 4, 3]],
    ['gru', () => gru(3, { resetAfter: false, returnState: true }), [2, 4, 3]],
    ['rnn(lstmCell)', () => rnn(lstmCell(3), { returnSequences: true }), [2, 4, 3]],
    ['rnn(simpleRNNCell)', () => rnn(simpleRNNCell(2)), [2, 4, 3]],
    ['bidirectional', () => bidirectional(gru(2), { mergeMode: 'sum' }), [2, 4, 3]],
    ['timeDistributed', () => timeDistributed(dense(2)), [2, 4, 3]],
    ['embedding', () => embedding(7, 3, { maskZero: true }), [2, 4]],
    ['masking', () => masking({ maskValue: 0.5 }), [2, 4, 3]],
  ];
  for (const [name, make, shape] of all) {
    it(`${name}: JSON round trip gives the same config and the same outputs`, () => {
      const { y, copied } = roundTrip(make(), name === 'embedding' ? tensor([[1, 2, 6, 0], [3, 3, 0, 0]]) : randn(shape));
      expectClose(copied, y.toArray() as number[][], 1e-6, name);
    });
  }

  it('embedding + lstm + dense learn a toy task in a sequential model (first token decides the label)', async () => {
    setSeed(5);
    const n = 64;
    const ids = Array.from({ length: n }, (_, i) => [1 + (i % 2), 1 + ((i * 7) % 4), 1 + ((i * 3) % 4), 0]);
    const labels = ids.map((r) => [r[0] === 1 ? 1 : 0]);
    const model = sequential([embedding(5, 4, { maskZero: true, inputShape: [4] }), lstm(8), dense(1, { activation: 'sigmoid' })]);
    model.compile({ optimizer: new Adam({ lr: 0.02 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const [before] = model.evaluate(ids, labels);
    const history = await model.fit(ids, labels, { epochs: 30, batchSize: 16, verbose: 0 });
    const [after, acc] = model.evaluate(ids, labels);
    expect(after).toBeLessThan(before / 3);
    expect(acc).toBe(1);
    expect(history.history.loss.length).toBe(30);
  });
});
