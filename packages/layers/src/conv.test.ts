import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Adam } from '@nn/optim';
import { randn, setSeed, tensor } from '@nn/tensor';
import {
  avgPool1d, avgPool2d, batchNorm, conv1d, conv2d, conv2dTranspose, dense, depthwiseConv2d, flatten, globalAvgPool, globalMaxPool, loadModel,
  maxPool1d, maxPool2d, modelFromJSON, reshape, sequential, upSampling2d, zeroPadding2d, type Layer, type Sequential,
} from './node.js';
import { roundTrip } from './testing/round-trip.js';

describe('conv and pooling layers: Keras layouts and shapes', () => {
  it('kernels are [k, in/groups, filters] / [kh, kw, in/groups, filters] (depthwise [kh, kw, in, dm]; transposed [kh, kw, filters, in]), then the bias', () => {
    const shapes = (l: Layer, input: (number | null)[]) => {
      l.ensureBuilt(input);
      return l.getWeights().map((w) => w.shape);
    };
    expect(shapes(conv1d(5, { kernelSize: 3 }), [null, 10, 4])).toEqual([[3, 4, 5], [5]]);
    expect(shapes(conv2d(6, { kernelSize: [2, 3], groups: 2 }), [null, 8, 8, 4])).toEqual([[2, 3, 2, 6], [6]]);
    expect(shapes(depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, useBias: false }), [null, 8, 8, 3])).toEqual([[3, 3, 3, 2]]);
    expect(shapes(conv2dTranspose(7, { kernelSize: 3 }), [null, 8, 8, 3])).toEqual([[3, 3, 7, 3], [7]]);
  });

  it('output shapes follow Keras (valid, same, strides, dilation, causal, transposed) and match what call returns', () => {
    const cases: [Layer, number[]][] = [
      [conv2d(4, { kernelSize: 3 }), [2, 28, 28, 1]],
      [conv2d(4, { kernelSize: 3, strides: 2, padding: 'same' }), [2, 28, 27, 1]],
      [conv2d(4, { kernelSize: 3, dilationRate: 2, padding: 1 }), [2, 9, 9, 2]],
      [conv1d(3, { kernelSize: 4, padding: 'causal', dilationRate: 2 }), [2, 12, 2]],
      [depthwiseConv2d({ kernelSize: 3, depthMultiplier: 3, strides: 2 }), [1, 9, 9, 2]],
      [conv2dTranspose(3, { kernelSize: 3, strides: 2, padding: 'same' }), [1, 5, 6, 2]],
      [conv2dTranspose(3, { kernelSize: 3, strides: 2 }), [1, 5, 6, 2]],
      [maxPool2d(), [2, 7, 7, 3]],
      [maxPool2d({ poolSize: 3, strides: 2, padding: 'same' }), [2, 7, 7, 3]],
      [avgPool2d({ poolSize: [2, 3], strides: 1 }), [1, 5, 6, 2]],
      [maxPool1d({ poolSize: 3 }), [2, 10, 4]],
      [avgPool1d({ poolSize: 2, strides: 1, padding: 'same' }), [2, 5, 4]],
      [globalAvgPool(), [2, 5, 4, 3]],
      [globalMaxPool({ keepDims: true }), [2, 7, 3]],
      [reshape([4, -1]), [2, 3, 8]],
      [upSampling2d({ size: [2, 3] }), [1, 3, 4, 2]],
      [zeroPadding2d({ padding: [[1, 2], [0, 3]] }), [1, 3, 4, 2]],
    ];
    const expected = [
      [2, 26, 26, 4], [2, 14, 14, 4], [2, 7, 7, 4], [2, 12, 3], [1, 4, 4, 6], [1, 10, 12, 3], [1, 11, 13, 3], [2, 3, 3, 3], [2, 4, 4, 3],
      [1, 4, 4, 2], [2, 3, 4], [2, 5, 4], [2, 3], [2, 1, 3], [2, 4, 6], [1, 6, 12, 2], [1, 6, 7, 2],
    ];
    cases.forEach(([layer, shape], i) => {
      const y = layer.apply(randn(shape));
      expect(y.shape, layer.name).toEqual(expected[i]);
      expect(layer.computeOutputShape([null, ...shape.slice(1)]), layer.name).toEqual([null, ...expected[i].slice(1)]);
    });
  });

  it('upSampling2d repeats pixels, zeroPadding2d adds zeros, reshape keeps the batch axis', () => {
    const x = tensor([[[[1], [2]], [[3], [4]]]]);
    expect(upSampling2d().apply(x).toArray()).toEqual([[[[1], [1], [2], [2]], [[1], [1], [2], [2]], [[3], [3], [4], [4]], [[3], [3], [4], [4]]]]);
    expect(zeroPadding2d({ padding: [0, 1] }).apply(x).toArray()).toEqual([[[[0], [1], [2], [0]], [[0], [3], [4], [0]]]]);
    expect(reshape([4]).apply(x).toArray()).toEqual([[1, 2, 3, 4]]);
    expect(globalMaxPool().apply(x).toArray()).toEqual([[4]]);
  });

  it('errors name the layer, the option and the shapes', () => {
    expect(() => conv2d(4, {} as never)).toThrow(/conv2d: kernelSize is required/);
    expect(() => conv2d(4, { kernelSize: 3, strides: 0 })).toThrow(/conv2d: strides must be a positive integer or 2 of them, got 0/);
    expect(() => conv2d(4, { kernelSize: 3, groups: 3 })).toThrow(/conv2d: groups must divide filters \(4\), got 3/);
    expect(() => conv2d(4, { kernelSize: 3, kernalInitializer: 'zeros' } as never)).toThrow(/unknown option "kernalInitializer"; did you mean "kernelInitializer"/);
    expect(() => conv2d(4, { kernelSize: 3, padding: 'causal' })).toThrow(/conv2d: padding 'causal' is for 1-D inputs/);
    expect(() => maxPool2d({ poolSize: [2, 2, 2] as never })).toThrow(/maxPool2d: poolSize must be a positive integer or 2 of them/);
    const c = conv2d(4, { kernelSize: 3, name: 'c1' });
    expect(() => c.apply(randn([2, 8, 8]))).toThrow('c1: expected inputs of rank 4 [batch, height, width, channels], got shape (2, 8, 8)');
    // Pooling, padding and upsampling check the rank with conv's words (one shared check).
    expect(() => maxPool1d({ name: 'p1' }).apply(randn([2, 8]))).toThrow('p1: expected inputs of rank 3 [batch, steps, channels], got shape (2, 8)');
    expect(() => zeroPadding2d({ name: 'z1' }).apply(randn([2, 8, 8]))).toThrow('z1: expected inputs of rank 4 [batch, height, width, channels], got shape (2, 8, 8)');
    expect(() => upSampling2d({ name: 'u1' }).apply(randn([2, 8, 8]))).toThrow('u1: expected inputs of rank 4 [batch, height, width, channels], got shape (2, 8, 8)');
    c.apply(randn([1, 8, 8, 3]));
    expect(() => c.apply(randn([1, 8, 8, 2]))).toThrow('c1: built for 3 input channels (last axis), got shape (1, 8, 8, 2)');
    expect(() => conv2d(4, { kernelSize: 5, name: 'c2' }).apply(randn([1, 3, 3, 1]))).toThrow(/convolution: the window \(5x5, dilation 1x1\) is larger than the padded input/);
    expect(() => sequential([conv2d(2, { kernelSize: 5, inputShape: [3, 3, 1], name: 'c3' })]).summary({ print: null })).toThrow(/c3: the window \(5x5, dilation 1x1\) is larger than the padded input along axis 1: input \[1,3,3,1\]/);
    expect(() => reshape([5, -1], { name: 'r' }).apply(randn([2, 3, 4]))).toThrow('r: cannot reshape samples of shape (3, 4) (12 values) to (5, -1)');
    expect(() => upSampling2d({ interpolation: 'bilinear' as 'nearest' })).toThrow(/interpolation must be 'nearest'/);
  });
});

/** A small CNN with every new layer kind, as used by the round-trip tests. */
function smallCnn(): Sequential {
  return sequential([
    reshape([8, 8, 1], { inputShape: [64] }),
    zeroPadding2d({ padding: 1 }),
    conv2d(4, { kernelSize: 3, activation: 'relu', kernelInitializer: 'heNormal' }),
    batchNorm(),
    depthwiseConv2d({ kernelSize: 3, padding: 'same', depthMultiplier: 2 }),
    maxPool2d({ poolSize: 2 }),
    conv2dTranspose(4, { kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh' }),
    upSampling2d({ size: 1 }),
    avgPool2d({ poolSize: 3, strides: 2, padding: 1 }),
    conv2d(4, { kernelSize: 1, groups: 2, useBias: false }),
    globalAvgPool(),
    dense(3, { activation: 'softmax' }),
  ]);
}

describe('round trips', () => {
  const all: [string, () => Layer, number[]][] = [
    ['conv1d', () => conv1d(3, { kernelSize: 2, strides: 2, padding: 'causal', dilationRate: 1, activation: 'relu' }), [2, 6, 2]],
    ['conv2d', () => conv2d(4, { kernelSize: [2, 3], strides: [1, 2], padding: [[0, 1], [1, 1]], groups: 2, useBias: false }), [2, 5, 6, 2]],
    ['depthwiseConv2d', () => depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', depthwiseInitializer: 'heUniform' }), [1, 5, 5, 2]],
    ['conv2dTranspose', () => conv2dTranspose(2, { kernelSize: 3, strides: 2, padding: 1, outputPadding: 1 }), [1, 3, 3, 2]],
    ['maxPool1d', () => maxPool1d({ poolSize: 3, strides: 1, padding: 'same' }), [2, 5, 2]],
    ['maxPool2d', () => maxPool2d({ poolSize: 3, strides: 2, padding: 1 }), [1, 5, 5, 2]],
    ['avgPool1d', () => avgPool1d(), [2, 6, 2]],
    ['avgPool2d', () => avgPool2d({ padding: 'same' }), [1, 5, 5, 2]],
    ['globalAvgPool', () => globalAvgPool({ keepDims: true }), [1, 5, 5, 2]],
    ['globalMaxPool', () => globalMaxPool(), [2, 6, 2]],
    ['reshape', () => reshape([-1, 2]), [2, 3, 4]],
    ['upSampling2d', () => upSampling2d({ size: [1, 2] }), [1, 3, 3, 2]],
    ['zeroPadding2d', () => zeroPadding2d({ padding: [1, 2] }), [1, 3, 3, 2]],
  ];
  for (const [name, make, shape] of all) {
    it(`${name}: registered, identical config and outputs after copying the weights`, () => {
      setSeed(1);
      const { json, y, copied } = roundTrip(make(), randn(shape));
      expect(json.name).toBe(name);
      expect(Array.from(copied.dataSync())).toEqual(Array.from(y.dataSync()));
    });
  }

  it('a CNN with every layer kind: summary shapes and counts, toJSON/modelFromJSON and save/loadModel', async () => {
    setSeed(2);
    const model = smallCnn();
    const text = model.summary({ print: null });
    for (const row of [
      /reshape\S* \(Reshape\)\s+\(None, 8, 8, 1\)\s+0/,
      /zeroPadding2d\S* \(ZeroPadding2D\)\s+\(None, 10, 10, 1\)\s+0/,
      /conv2d\S* \(Conv2D\)\s+\(None, 8, 8, 4\)\s+40/,
      /batchNorm\S* \(BatchNorm\)\s+\(None, 8, 8, 4\)\s+16/,
      /depthwiseConv2d\S* \(DepthwiseConv2D\)\s+\(None, 8, 8, 8\)\s+80/,
      /maxPool2d\S* \(MaxPooling2D\)\s+\(None, 4, 4, 8\)\s+0/,
      /conv2dTranspose\S* \(Conv2DTranspose\)\s+\(None, 8, 8, 4\)\s+292/,
      /avgPool2d\S* \(AveragePooling2D\)\s+\(None, 4, 4, 4\)\s+0/,
      /conv2d\S* \(Conv2D\)\s+\(None, 4, 4, 4\)\s+8/,
      /globalAvgPool\S* \(GlobalAveragePooling\)\s+\(None, 4\)\s+0/,
    ]) expect(text).toMatch(row);
    model.compile({ optimizer: new Adam({ lr: 0.01 }), loss: 'sparseCategoricalCrossentropy' });
    const x = randn([6, 64]);
    const y = [0, 1, 2, 0, 1, 2];
    await model.fit(x, y, { epochs: 1, batchSize: 3, verbose: 0 });
    const copy = modelFromJSON(JSON.stringify(model)) as Sequential;
    expect(JSON.stringify(copy.toJSON())).toBe(JSON.stringify(model.toJSON()));
    copy.ensureBuilt([null, 64]);
    copy.setWeights(model.getWeights());
    expect(Array.from(copy.predict(x).dataSync())).toEqual(Array.from(model.predict(x).dataSync()));
    const dir = mkdtempSync(join(tmpdir(), 'nn-conv-'));
    await model.save(dir);
    const loaded = await loadModel(dir);
    expect(Array.from(loaded.predict(x).dataSync())).toEqual(Array.from(model.predict(x).dataSync()));
  });
});

describe('a small CNN learns', () => {
  it('tells vertical from horizontal bars: the loss falls and the training set is learned', async () => {
    setSeed(5);
    // 6x6 images with one bright row (class 0) or column (class 1) at a random place, plus noise.
    const n = 48;
    const images = new Float32Array(n * 36);
    const labels: number[] = [];
    const noise = randn([n * 36]).dataSync();
    for (let i = 0; i < n; i++) {
      const cls = i % 2;
      const at = Math.floor(((i * 7) % 6));
      for (let p = 0; p < 36; p++) {
        const [r, c] = [Math.floor(p / 6), p % 6];
        images[i * 36 + p] = ((cls === 0 ? r : c) === at ? 1 : 0) + 0.1 * noise[i * 36 + p];
      }
      labels.push(cls);
    }
    const model = sequential([
      conv2d(4, { kernelSize: 3, activation: 'relu', inputShape: [6, 6, 1] }),
      maxPool2d(),
      flatten(),
      dense(2, { activation: 'softmax' }),
    ]);
    model.compile({ optimizer: new Adam({ lr: 0.02 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const history = await model.fit(tensor(images, [n, 6, 6, 1]), labels, { epochs: 15, batchSize: 16, verbose: 0 });
    const loss = history.history.loss as number[];
    expect(loss[loss.length - 1]).toBeLessThan(loss[0] * 0.5);
    expect((history.history.accuracy as number[]).at(-1)).toBeGreaterThan(0.9);
  });
});
