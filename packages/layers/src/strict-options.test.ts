import { NNError } from '@nn/core';
import { describe, expect, it } from 'vitest';
import { zeros } from '@nn/tensor';
import { activation, prelu } from './activations.js';
import { dense } from './dense.js';
import { flatten } from './flatten.js';
import { binaryCrossentropy, hinge } from './losses.js';
import { maxout } from './maxout.js';
import { modelFromJSON } from './model.js';
import { batchNorm, layerNorm } from './normalization.js';
import { sequential } from './sequential.js';
import { PlainSGD } from './testing/sgd.js';

/** The error a call throws, which must be a named NNError. */
function errorOf(fn: () => unknown): NNError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(NNError);
    return e as NNError;
  }
  throw new Error('expected an error');
}

async function rejection(p: Promise<unknown>): Promise<NNError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(NNError);
    return e as NNError;
  }
  throw new Error('expected a rejection');
}

const model = () => {
  const m = sequential([dense(3, { activation: 'relu', inputShape: [2] }), dense(1, { activation: 'sigmoid' })]);
  m.compile({ optimizer: new PlainSGD(), loss: 'binaryCrossentropy' });
  return m;
};
const x = [[0, 1], [1, 0], [1, 1], [0, 0]];
const y = [[1], [1], [0], [0]];

describe('strict options: layers', () => {
  it('refuses an unknown layer option with its near miss instead of ignoring it', () => {
    const e = errorOf(() => dense(4, { activaton: 'relu' } as never));
    expect(e.message).toBe('dense: unknown option "activaton"; did you mean "activation"? (options: activation, useBias, kernelInitializer, biasInitializer, kernelRegularizer, biasRegularizer, activityRegularizer, kernelConstraint, biasConstraint, name, trainable, inputShape)');
    expect(e.details).toMatchObject({ option: 'activaton', nearMisses: ['activation'] });
    expect(errorOf(() => dense(4, { kernel_initializer: 'zeros' } as never)).message).toMatch(/^dense: unknown option "kernel_initializer"; did you mean "kernelInitializer"\?/);
    expect(errorOf(() => batchNorm({ momentun: 0.1 } as never)).message).toMatch(/^batchNorm: unknown option "momentun"; did you mean "momentum"\?/);
    expect(errorOf(() => layerNorm({ epsilon: 1e-3 } as never)).message).toMatch(/^layerNorm: unknown option "epsilon"/);
    expect(errorOf(() => maxout(2, { piece: 3 } as never)).message).toMatch(/did you mean "pieces"\?/);
    expect(errorOf(() => flatten({ dataFormat: 'channelsLast' } as never)).message).toMatch(/^flatten: unknown option "dataFormat"/);
    expect(errorOf(() => activation('leakyRelu', { slop: 0.2 })).message).toMatch(/^leakyRelu: unknown option "slop"; did you mean "slope"\?/);
    expect(errorOf(() => prelu({ share: true } as never)).message).toMatch(/did you mean "shared"\?/);
    expect(errorOf(() => sequential([], { nam: 'x' } as never)).message).toMatch(/^sequential: unknown option "nam"; did you mean "name"\?/);
  });

  it('checks the types of the options every layer shares, and layer sizes', () => {
    expect(errorOf(() => dense(4, { trainable: 'no' } as never)).message).toBe('dense: trainable must be true or false, got "no"');
    expect(errorOf(() => dense(4, { inputShape: [2.5] })).message).toMatch(/^dense: inputShape must be an array of positive integers/);
    expect(errorOf(() => dense(4, { name: 3 } as never)).message).toBe('dense: name must be a non-empty string, got 3');
    expect(errorOf(() => dense(4, { useBias: 1 } as never)).message).toBe('dense: useBias must be true or false, got 1');
    expect(errorOf(() => dense(1e12)).message).toBe('dense: units must be a positive integer (at most 2147483647), got 1000000000000');
    expect(errorOf(() => dense(2.5)).message).toMatch(/^dense: units must be a positive integer/);
    expect(errorOf(() => batchNorm({ scale: 'yes' } as never)).message).toBe('batchNorm: scale must be true or false, got "yes"');
  });

  it('refuses a weight too large to allocate when the layer builds, naming the layer and the weight', () => {
    const big = dense(2 ** 20, { name: 'wide' });
    const e = errorOf(() => big.apply(zeros([1, 2 ** 12])));
    expect(e.code).toBe('SIZE_LIMIT');
    expect(e.message).toMatch(/^wide: weight kernel of shape \[4096,1048576\] has 4\.295e\+9 elements/);
  });

  it('checks losses, metrics and initializers the same way', () => {
    expect(errorOf(() => binaryCrossentropy({ fromLogit: true } as never)).message).toMatch(/^binaryCrossentropy: unknown option "fromLogit"; did you mean "fromLogits"\?/);
    expect(errorOf(() => binaryCrossentropy({ fromLogits: 'true' } as never)).message).toBe('binaryCrossentropy: fromLogits must be true or false, got "true"');
    expect(errorOf(() => dense(2, { kernelInitializer: 'glorotUnifrom' })).message).toMatch(/glorotUniform/);
  });

  it('reads configs from JSON through the same checks', () => {
    const json = { kind: 'layer', name: 'sequential', format: 1, config: { layers: [{ kind: 'layer', name: 'dense', format: 1, config: { units: 2, activaton: 'relu' } }] } };
    const e = errorOf(() => modelFromJSON(json as never));
    expect(e.message).toMatch(/dense: unknown option "activaton"; did you mean "activation"\?/);
  });
});

describe('strict options: compile, fit, evaluate, predict', () => {
  it('compile refuses unknown names and bad metrics', () => {
    const m = sequential([dense(1, { inputShape: [2] })]);
    expect(errorOf(() => m.compile({ optimizer: new PlainSGD(), loss: 'meanSquaredError', metric: ['accuracy'] } as never)).message).toMatch(/^compile: unknown option "metric"; did you mean "metrics"\?/);
    expect(errorOf(() => m.compile({ optimizer: new PlainSGD() } as never)).message).toBe('compile: option loss is required');
    expect(errorOf(() => m.compile({ optimizer: new PlainSGD(), loss: 'meanSquaredError', metrics: ['acuracy'] })).message).toMatch(/acuracy/);
    expect(errorOf(() => m.compile({ optimizer: new PlainSGD(), loss: 'meanSquaredError', metrics: [42] } as never)).message).toMatch(/^compile: metrics\[0\] must be a metric/);
  });

  it('fit refuses unknown names and bad values before training', async () => {
    const m = model();
    const before = m.getWeights().map((w) => Array.from(w.dataSync()));
    const cases: [object, RegExp][] = [
      [{ epoch: 3 }, /^fit: unknown option "epoch"; did you mean "epochs"\?/],
      [{ batch_size: 4 }, /^fit: unknown option "batch_size"; did you mean "batchSize"\?/],
      [{ verbose: 7 }, /^fit: verbose must be 0, 1 or 2, got 7$/],
      [{ shuffle: 'yes' }, /^fit: shuffle must be true or false, got "yes"$/],
      [{ callbacks: [42] }, /^fit: callbacks\[0\] must be a callback/],
      [{ callbacks: {} }, /^fit: callbacks must be an array/],
      [{ initialEpoch: -1 }, /^fit: initialEpoch must be a non-negative integer, got -1$/],
      [{ epochs: 0 }, /^fit: epochs must be a positive integer, got 0$/],
      [{ batchSize: 2.5 }, /^fit: batchSize must be a positive integer, got 2.5$/],
      [{ validationSplit: 1 }, /^fit: validationSplit must be a number in \[0, 1\), got 1$/],
      [{ validationData: [x] }, /^fit: validationData must be \[x, y\]/],
    ];
    for (const [options, message] of cases) expect((await rejection(m.fit(x, y, { verbose: 0, ...options } as never))).message).toMatch(message);
    expect(m.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
  });

  it('evaluate and predict check their options', () => {
    const m = model();
    expect(errorOf(() => m.evaluate(x, y, { batchsize: 2 } as never)).message).toMatch(/^evaluate: unknown option "batchsize"; did you mean "batchSize"\?/);
    expect(errorOf(() => m.evaluate(x, y, { verbose: 3 } as never)).message).toBe('evaluate: verbose must be 0, 1 or 2, got 3');
    expect(errorOf(() => m.predict(x, { batchSize: 0 })).message).toBe('predict: batchSize must be a positive integer, got 0');
    expect(errorOf(() => m.predict(x, { verbose: 0 } as never)).message).toMatch(/^predict: unknown option "verbose"/);
  });

  it('save and apply check their options too', async () => {
    const m = model();
    expect((await rejection(m.save('unused-dir', { includeOptimzer: false } as never))).message).toMatch(/^save: unknown option "includeOptimzer"; did you mean "includeOptimizer"\?/);
    expect(errorOf(() => m.apply(zeros([1, 2]), { trainig: true } as never)).message).toMatch(/\.apply: unknown option "trainig"; did you mean "training"\?/);
    expect(errorOf(() => m.apply(zeros([1, 2]), { training: 1 } as never)).message).toMatch(/\.apply: training must be true or false, got 1$/);
  });

  it('checks labels against the loss: hinge takes -1/1 or 0/1, not 3', async () => {
    const m = sequential([dense(1, { inputShape: [2] })]);
    m.compile({ optimizer: new PlainSGD(), loss: hinge() });
    expect((await rejection(m.fit(x, [[1], [3], [0], [-1]], { verbose: 0 }))).message).toBe('fit: y: hinge needs labels in {-1, 1} (or {0, 1}); label 1 is 3');
    await m.fit(x, [[1], [-1], [0], [-1]], { verbose: 0 });
  });
});
