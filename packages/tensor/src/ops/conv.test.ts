import { afterEach, describe, expect, it } from 'vitest';
import { registry } from '@nn/core';
import { cpuBackend } from '../cpu/index.js';
import * as nn from '../index.js';
import '../wasm.js';
import { checkGradients, Generator, setBackend, tensor, type Tensor } from '../index.js';

// The cpu backend's im2col/col2im kernels, the pad + gather composite (what a backend without them runs) and
// the wasm backend are held to the same float64 reference and the same gradient checks.
registry.register('backend', 'cpu-composite', { ...cpuBackend, name: 'cpu-composite', im2col: undefined, col2im: undefined });
const BACKENDS = ['cpu', 'cpu-composite', 'wasm'];
afterEach(() => setBackend('cpu'));

const gen = new Generator(11);
const rand = (shape: number[]) => nn.rand(shape, { low: -1, high: 1, generator: gen });

interface Ref {
  strides: [number, number];
  dilation: [number, number];
  pads: [[number, number], [number, number]];
  groups: number;
}

/** Direct float64 convolution (loops over every output and tap): the reference the ops are held to. */
function referenceConv(x: Tensor, k: Tensor, { strides, dilation, pads, groups }: Ref): { shape: number[]; values: number[] } {
  const [n, h, w, c] = x.shape;
  const [kh, kw, cg, o] = k.shape;
  const xv = x.dataSync();
  const kv = k.dataSync();
  const og = o / groups;
  const oh = Math.floor((h + pads[0][0] + pads[0][1] - dilation[0] * (kh - 1) - 1) / strides[0]) + 1;
  const ow = Math.floor((w + pads[1][0] + pads[1][1] - dilation[1] * (kw - 1) - 1) / strides[1]) + 1;
  const values: number[] = [];
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < oh; y++) {
      for (let xo = 0; xo < ow; xo++) {
        for (let f = 0; f < o; f++) {
          const grp = Math.floor(f / og);
          let s = 0;
          for (let ky = 0; ky < kh; ky++) {
            for (let kx = 0; kx < kw; kx++) {
              const iy = y * strides[0] + ky * dilation[0] - pads[0][0];
              const ix = xo * strides[1] + kx * dilation[1] - pads[1][0];
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
              for (let ci = 0; ci < cg; ci++) s += xv[((b * h + iy) * w + ix) * c + grp * cg + ci] * kv[((ky * kw + kx) * cg + ci) * o + f];
            }
          }
          values.push(s);
        }
      }
    }
  }
  return { shape: [n, oh, ow, o], values };
}

function expectNear(actual: Tensor, expected: { shape: number[]; values: number[] }, tol = 1e-5): void {
  expect(actual.shape).toEqual(expected.shape);
  const a = actual.dataSync();
  expected.values.forEach((v, i) => {
    if (Math.abs(a[i] - v) > tol * Math.max(1, Math.abs(v))) expect.fail(`[${i}]: got ${a[i]}, expected ${v}`);
  });
}

const CONFIGS: { name: string; x: number[]; k: number[]; opts: nn.ConvolutionOptions; ref: Ref }[] = [
  { name: '3x3 valid', x: [2, 5, 6, 3], k: [3, 3, 3, 4], opts: {}, ref: { strides: [1, 1], dilation: [1, 1], pads: [[0, 0], [0, 0]], groups: 1 } },
  { name: 'stride 2, padding 1', x: [1, 7, 7, 2], k: [3, 3, 2, 5], opts: { strides: 2, padding: 1 }, ref: { strides: [2, 2], dilation: [1, 1], pads: [[1, 1], [1, 1]], groups: 1 } },
  { name: "'same', stride 2 (odd pixel after)", x: [1, 6, 5, 2], k: [3, 2, 2, 3], opts: { strides: 2, padding: 'same' }, ref: { strides: [2, 2], dilation: [1, 1], pads: [[0, 1], [0, 1]], groups: 1 } },
  { name: 'dilation 2, groups 2', x: [2, 7, 6, 4], k: [3, 3, 2, 6], opts: { dilation: 2, groups: 2, padding: 2 }, ref: { strides: [1, 1], dilation: [2, 2], pads: [[2, 2], [2, 2]], groups: 2 } },
  { name: 'non-square kernel, strides [1, 2], padding [1, 0]', x: [1, 5, 7, 3], k: [2, 3, 3, 2], opts: { strides: [1, 2], padding: [1, 0] }, ref: { strides: [1, 2], dilation: [1, 1], pads: [[1, 1], [0, 0]], groups: 1 } },
  { name: 'explicit [[top, bottom], [left, right]]', x: [1, 4, 4, 1], k: [2, 2, 1, 2], opts: { padding: [[0, 2], [1, 0]] }, ref: { strides: [1, 1], dilation: [1, 1], pads: [[0, 2], [1, 0]], groups: 1 } },
  { name: 'groups = channels (depthwise)', x: [2, 5, 5, 3], k: [3, 3, 1, 6], opts: { groups: 3, padding: 'same' }, ref: { strides: [1, 1], dilation: [1, 1], pads: [[1, 1], [1, 1]], groups: 3 } },
];

describe('conv2d against a float64 direct convolution', () => {
  for (const backend of BACKENDS) {
    for (const c of CONFIGS) {
      it(`${backend}: ${c.name}`, () => {
        setBackend(backend);
        const x = rand(c.x);
        const k = rand(c.k);
        expectNear(nn.convolution(x, k, c.opts), referenceConv(x, k, c.ref));
      });
    }
  }

  it('conv1d is conv2d over one row (and causal padding sees only the past)', () => {
    const x = rand([2, 9, 3]);
    const k = rand([3, 3, 4]);
    const ref = referenceConv(nn.expandDims(x, 1), nn.expandDims(k, 0), { strides: [1, 2], dilation: [1, 2], pads: [[0, 0], [2, 2]], groups: 1 });
    expectNear(nn.convolution(x, k, { strides: 2, dilation: 2, padding: 2 }), { shape: [2, ref.shape[2], 4], values: ref.values });
    const causal = nn.convolution(x, k, { padding: 'causal' });
    expect(causal.shape).toEqual([2, 9, 4]);
    // Changing the last step leaves every earlier output alone.
    const later = x.dataSync().slice();
    for (let b = 0; b < 2; b++) for (let ch = 0; ch < 3; ch++) later[(b * 9 + 8) * 3 + ch] += 1;
    const moved = nn.convolution(tensor(later, [2, 9, 3]), k, { padding: 'causal' }).toArray() as number[][][];
    const orig = causal.toArray() as number[][][];
    for (let b = 0; b < 2; b++) {
      expect(moved[b].slice(0, 8)).toEqual(orig[b].slice(0, 8));
      expect(moved[b][8]).not.toEqual(orig[b][8]);
    }
  });

  it('depthwiseConv2d with depthMultiplier 2: output channel c·2 + m is channel c through filter m', () => {
    const x = rand([1, 5, 5, 3]);
    const k = rand([3, 3, 3, 2]);
    const y = nn.depthwiseConvolution(x, k, { padding: 'same' });
    expectNear(y, referenceConv(x, nn.reshape(k, [3, 3, 1, 6]), { strides: [1, 1], dilation: [1, 1], pads: [[1, 1], [1, 1]], groups: 3 }));
  });
});

describe('transposedConvolution', () => {
  it('is the adjoint of convolution: convT(y, K) = d<convolution(x, K), y>/dx', () => {
    for (const opts of [{ strides: 2, padding: 1 }, { strides: [2, 3], padding: 'valid' }, { strides: 1, dilation: 2, padding: 'same' }] as const) {
      const x = rand([2, 7, 8, 3]);
      x.requiresGrad = true;
      const k = rand([3, 3, 3, 4]); // conv: 3 -> 4 channels; as a transposed kernel [kh, kw, out=3, in=4]
      const y = nn.convolution(x, k, opts);
      const up = rand(y.shape as number[]);
      nn.sum(nn.mul(y, up)).backward();
      // Strides that do not divide the input leave rows the default output lacks: outputPadding adds them.
      const short = nn.transposedConvolution(up, k, opts).shape;
      const t = nn.transposedConvolution(up, k, { ...opts, outputPadding: [x.shape[1] - short[1], x.shape[2] - short[2]] });
      expectNear(t, { shape: x.shape as number[], values: Array.from(x.grad!.dataSync()) });
    }
  });

  it("has Keras' and PyTorch's output sizes", () => {
    const k = rand([3, 3, 2, 4]);
    const x = rand([1, 5, 6, 4]);
    expect(nn.transposedConvolution(x, k, { strides: 2, padding: 'same' }).shape).toEqual([1, 10, 12, 2]);
    expect(nn.transposedConvolution(x, k, { strides: 2 }).shape).toEqual([1, 11, 13, 2]);
    expect(nn.transposedConvolution(x, rand([2, 2, 2, 4]), { strides: 3 }).shape).toEqual([1, 15, 18, 2]); // valid: H·s + max(k − s, 0)
    expect(nn.transposedConvolution(x, k, { strides: 2, padding: 1, outputPadding: 1 }).shape).toEqual([1, 10, 12, 2]);
    expect(nn.transposedConvolution(x, k, { padding: 1 }).shape).toEqual([1, 5, 6, 2]);
    expect(nn.transposedConvolution(rand([2, 5, 4]), rand([3, 2, 4]), { strides: 2, padding: 'same' }).shape).toEqual([2, 10, 2]);
  });
});

describe('output sizes before running', () => {
  it('convolutionOutputSize and transposedConvolutionOutputSize agree with the ops', () => {
    const conv: [number[], nn.WindowOptions][] = [
      [[9, 8], { kernelSize: 3, strides: 2, padding: 'same' }],
      [[9, 8], { kernelSize: [2, 3], strides: [1, 2], dilation: 2, padding: [[0, 2], [1, 1]] }],
      [[11], { kernelSize: 3, strides: 2, padding: 'causal' }],
      [[11], { kernelSize: 4, dilation: 2, padding: [3, 0] }],
    ];
    for (const [spatial, o] of conv) {
      const k = typeof o.kernelSize === 'number' ? spatial.map(() => o.kernelSize as number) : [...o.kernelSize];
      const y = nn.convolution(nn.zeros([1, ...spatial, 2]), nn.zeros([...k, 2, 3]), o);
      expect(nn.convolutionOutputSize(spatial, o)).toEqual(y.shape.slice(1, -1));
    }
    const transposed: [number[], nn.TransposedConvolutionOptions & { kernelSize: nn.Pair }][] = [
      [[5, 6], { kernelSize: 3, strides: 2, padding: 'same' }],
      [[5, 6], { kernelSize: [2, 3], strides: 3 }],
      [[5, 6], { kernelSize: 3, strides: 2, padding: 1, outputPadding: 1 }],
      [[7], { kernelSize: 3, strides: 2, padding: 'same' }],
      [[7], { kernelSize: 2, strides: 3, dilation: 2 }],
    ];
    for (const [spatial, { kernelSize, ...o }] of transposed) {
      const k = typeof kernelSize === 'number' ? spatial.map(() => kernelSize) : [...kernelSize];
      const y = nn.transposedConvolution(nn.zeros([1, ...spatial, 2]), nn.zeros([...k, 3, 2]), o);
      expect(nn.transposedConvolutionOutputSize(spatial, { kernelSize, ...o })).toEqual(y.shape.slice(1, -1));
    }
  });
});

describe('pooling', () => {
  const img = tensor([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]], [1, 4, 4, 1]);

  it('maxPool2d and avgPool2d by hand; average padding is not counted', () => {
    for (const backend of BACKENDS) {
      setBackend(backend);
      const x = tensor(img.dataSync(), [1, 4, 4, 1]);
      expect(nn.maxPool(x).toArray()).toEqual([[[[6], [8]], [[14], [16]]]]);
      expect(nn.avgPool(x).toArray()).toEqual([[[[3.5], [5.5]], [[11.5], [13.5]]]]);
      // 3x3 windows, stride 2, padding 1: corner window holds 1,2,5,6 (4 of 9 inside) -> mean 3.5.
      expect(nn.avgPool(x, { poolSize: 3, strides: 2, padding: 1 }).toArray()).toEqual([[[[3.5], [5]], [[9.5], [11]]]]);
      expect(nn.maxPool(nn.neg(x), { poolSize: 3, strides: 2, padding: 1 }).toArray()).toEqual([[[[-1], [-2]], [[-5], [-6]]]]);
      // 'same' with stride 2 on 5 columns: 3 outputs, the last window half outside.
      expect(nn.avgPool(tensor([1, 2, 3, 4, 5], [1, 5, 1]), { padding: 'same' }).toArray()).toEqual([[[1.5], [3.5], [5]]]);
      expect(nn.maxPool(tensor([1, 3, 2, 5, 4, 0], [1, 6, 1]), { poolSize: 3, strides: 1 }).toArray()).toEqual([[[3], [5], [5], [5]]]);
    }
  });

  it('the max gradient goes to the maximum', () => {
    const x = tensor([[1, 9], [3, 4]], [1, 2, 2, 1]);
    x.requiresGrad = true;
    nn.sum(nn.mul(nn.maxPool(x), 2)).backward();
    expect(Array.from(x.grad!.dataSync())).toEqual([0, 2, 0, 0]);
  });
});

describe('gradient checks of the convolution and pooling ops', () => {
  const weights = new Map<string, Tensor>();
  const w = (shape: readonly number[]) => {
    const key = `${nn.getBackend().name}:${shape.join()}`;
    if (!weights.has(key)) weights.set(key, nn.rand([...shape], { low: 0.5, high: 1.5, generator: gen }));
    return weights.get(key)!;
  };
  const weighted = (y: Tensor) => nn.sum(nn.mul(y, w(y.shape)));
  /** Distinct values, far enough apart that a ±eps step never changes which one a max window picks. */
  const distinct = (shape: number[]) => {
    const n = shape.reduce((a, b) => a * b, 1);
    return tensor(Array.from(gen.permutation(n), (v) => v * 0.1 - n * 0.05), shape);
  };
  const CASES: [string, (...xs: Tensor[]) => Tensor, () => Tensor[]][] = [
    ['conv2d stride 2, same', (x, k) => weighted(nn.convolution(x, k, { strides: 2, padding: 'same' })), () => [rand([2, 5, 5, 2]), rand([3, 3, 2, 3])]],
    ['conv2d dilation 2, groups 2, padding 1', (x, k) => weighted(nn.convolution(x, k, { dilation: 2, groups: 2, padding: 1 })), () => [rand([1, 5, 6, 4]), rand([2, 3, 2, 4])]],
    ['conv1d stride 2, causal', (x, k) => weighted(nn.convolution(x, k, { strides: 2, padding: 'causal' })), () => [rand([2, 7, 2]), rand([3, 2, 3])]],
    ['depthwiseConv2d', (x, k) => weighted(nn.depthwiseConvolution(x, k, { padding: 'same' })), () => [rand([1, 4, 4, 2]), rand([3, 3, 2, 2])]],
    ['conv2dTranspose stride 2, same', (x, k) => weighted(nn.transposedConvolution(x, k, { strides: 2, padding: 'same' })), () => [rand([1, 3, 4, 3]), rand([3, 3, 2, 3])]],
    ['conv2dTranspose padding 1, outputPadding 1', (x, k) => weighted(nn.transposedConvolution(x, k, { strides: 2, padding: 1, outputPadding: 1 })), () => [rand([1, 3, 3, 2]), rand([3, 3, 2, 2])]],
    ['depthwiseConvolution 1-D', (x, k) => weighted(nn.depthwiseConvolution(x, k, { strides: 2, padding: 'same' })), () => [rand([2, 6, 2]), rand([3, 2, 2])]],
    ['transposedConvolution 1-D stride 2', (x, k) => weighted(nn.transposedConvolution(x, k, { strides: 2 })), () => [rand([2, 4, 3]), rand([3, 2, 3])]],
    ['maxPool2d 3x3 stride 2 padding 1', (x) => weighted(nn.maxPool(x, { poolSize: 3, strides: 2, padding: 1 })), () => [distinct([2, 5, 5, 2])]],
    ['avgPool2d 3x3 stride 1 padding 1', (x) => weighted(nn.avgPool(x, { poolSize: 3, strides: 1, padding: 1 })), () => [rand([1, 4, 5, 2])]],
    ['maxPool1d same', (x) => weighted(nn.maxPool(x, { poolSize: 2, padding: 'same' })), () => [distinct([2, 5, 3])]],
    ['avgPool1d same', (x) => weighted(nn.avgPool(x, { poolSize: 3, strides: 2, padding: 'same' })), () => [rand([2, 6, 2])]],
  ];
  for (const backend of BACKENDS) {
    for (const [name, f, inputs] of CASES) {
      it(`${backend}: ${name}`, () => {
        setBackend(backend);
        const { ok, worst } = checkGradients(f, inputs());
        expect(ok, `${name}: worst ${JSON.stringify(worst)}`).toBe(true);
      });
    }
  }
});

describe('errors name the op, the option and the shapes', () => {
  it('refuses mismatched channels, bad groups, bad ranks and windows larger than the input', () => {
    expect(() => nn.convolution(rand([1, 5, 5, 3]), rand([3, 3, 2, 4]))).toThrow('convolution: kernel [3,3,2,4] [kh, kw, in/groups, out] takes 2 input channels (groups 1), x [1,5,5,3] has 3');
    expect(() => nn.convolution(rand([1, 5, 5, 4]), rand([3, 3, 2, 3]), { groups: 2 })).toThrow(/convolution: groups 2 must divide the input channels \(4\) and the output channels \(3\)/);
    expect(() => nn.convolution(rand([5, 5]), rand([3, 3, 3, 4]))).toThrow('convolution: x must have rank 3 ([N, L, C]) or 4 ([N, H, W, C]), got shape [5,5]');
    expect(() => nn.convolution(rand([1, 5, 5]), rand([3, 3, 3, 4]))).toThrow('convolution: kernel must have rank 3 ([k, in/groups, out]), got shape [3,3,3,4]');
    expect(() => nn.convolution(rand([1, 2, 2, 1]), rand([3, 3, 1, 1]))).toThrow(/convolution: the window \(3x3, dilation 1x1\) is larger than the padded input along axis 1: input \[1,2,2,1\]/);
    expect(() => nn.convolution(rand([1, 5, 5, 1]), rand([3, 3, 1, 1]), { strides: 0 })).toThrow(/convolution: strides must be a positive integer or a pair of them, got 0/);
    expect(() => nn.convolution(rand([1, 5, 1]), rand([3, 1, 1]), { strides: [1, 2] })).toThrow(/convolution: strides of a 1-D op must be a number, got \[1,2\]/);
    expect(() => nn.convolution(rand([1, 5, 5, 1]), rand([3, 3, 1, 1]), { padding: 'full' as 'same' })).toThrow(/convolution: padding must be 'valid', 'same'/);
    expect(() => nn.convolution(rand([1, 5, 5, 1]), rand([3, 3, 1, 1]), { padding: 'causal' })).toThrow("convolution: padding 'causal' is for 1-D inputs [N, L, C]");
    expect(() => nn.maxPool(rand([1, 5]))).toThrow('maxPool: x must have rank 3 ([N, L, C]) or 4 ([N, H, W, C]), got shape [1,5]');
    expect(() => nn.depthwiseConvolution(rand([1, 5, 5, 2]), rand([3, 3, 3, 1]))).toThrow('depthwiseConvolution: kernel [3,3,3,1] is for 3 channels, x [1,5,5,2] has 2');
    expect(() => nn.transposedConvolution(rand([1, 3, 3, 2]), rand([3, 3, 4, 5]))).toThrow(/transposedConvolution: kernel \[3,3,4,5\] \[kh, kw, out, in\] takes 5 input channels/);
    expect(() => nn.transposedConvolution(rand([1, 3, 3, 2]), rand([3, 3, 4, 2]), { strides: 2, outputPadding: 2 })).toThrow(/outputPadding 2 must be smaller than the stride/);
  });
});
