import { afterEach, describe, expect, it, vi } from 'vitest';
import { registry } from '@nn/core';
import type { PatchGeometry } from '../backend.js';
import { cpuBackend } from '../cpu/index.js';
import * as nn from '../index.js';
import { wasmBackend } from './index.js';

// The wasm im2col/col2im kernels (assembly/conv.ts) against the cpu kernels over random geometries, and the
// ops that use them against the pad + gather composite on the same backend. Odd channel counts and window
// widths reach the scalar tails of the vector runs; dilation 1 and above take the row-run and per-tap paths.

// The wasm backend without the kernels: what ops/conv.ts ran on wasm before them (its pad + gather composite).
wasmBackend.available();
registry.register('backend', 'wasm-composite', Object.create(wasmBackend, { name: { value: 'wasm-composite' }, im2col: { value: undefined }, col2im: { value: undefined } }));
afterEach(() => {
  vi.restoreAllMocks();
  nn.setBackend('cpu');
});

const gen = new nn.Generator(5);
const between = (lo: number, hi: number) => lo + gen.int(hi - lo + 1);

/** A random image shape and a geometry with at least one window (some may lie wholly in the padding). */
function randomGeometry(): { shape: number[]; g: PatchGeometry } {
  for (;;) {
    const shape = [between(1, 2), between(1, 9), between(1, 9), between(1, 7)];
    const kernel: [number, number] = [between(1, 4), between(1, 4)];
    const strides: [number, number] = [between(1, 3), between(1, 3)];
    const dilation: [number, number] = [gen.int(2) ? 1 : between(2, 3), gen.int(2) ? 1 : between(2, 3)];
    const before: [number, number] = [between(0, 3), between(0, 3)];
    const out = [0, 1].map((a) => Math.floor((shape[1 + a] + before[a] + between(0, 3) - dilation[a] * (kernel[a] - 1) - 1) / strides[a]) + 1);
    if (out[0] > 0 && out[1] > 0) return { shape, g: { kernel, strides, dilation, padBefore: before, out: [out[0], out[1]] } };
  }
}

const values = (size: number) => Float32Array.from({ length: size }, () => gen.uniform() * 2 - 1);

describe('wasm im2col and col2im kernels', () => {
  it('im2col equals the cpu kernel bit for bit, and col2im within float32 rounding, over 300 random geometries', () => {
    for (let i = 0; i < 300; i++) {
      const { shape, g } = randomGeometry();
      const image = values(shape[0] * shape[1] * shape[2] * shape[3]);
      const colSize = shape[0] * g.out[0] * g.out[1] * g.kernel[0] * g.kernel[1] * shape[3];
      const padValue = [0, -7.5, -3.4028234663852886e38][i % 3];
      const what = `${JSON.stringify({ shape, ...g })} pad ${padValue}`;
      const x = wasmBackend.upload(image);
      const cols = wasmBackend.im2col(x, shape, g, padValue);
      expect(wasmBackend.read(cols, colSize), what).toEqual(cpuBackend.im2col!(image, shape, g, padValue));
      const up = values(colSize);
      const u = wasmBackend.upload(up);
      const back = wasmBackend.col2im(u, shape, g);
      const want = cpuBackend.col2im!(up, shape, g);
      const got = wasmBackend.read(back, want.length);
      // At most kh·kw ≤ 16 terms in [-1, 1] meet at a pixel: float32 sums of them stay within 1e-5 of float64's.
      for (let j = 0; j < want.length; j++) if (!(Math.abs(got[j] - want[j]) <= 1e-5)) expect.fail(`${what} col2im[${j}]: ${got[j]} vs ${want[j]}`);
      [x, cols, u, back].forEach((s) => wasmBackend.release(s));
    }
  });
});

type Inputs = nn.Tensor[];
const OPS: [string, (...xs: Inputs) => nn.Tensor, () => number[][]][] = [
  ['convolution 2-D, random strides, dilation, asymmetric padding, groups', (x, k) => nn.convolution(x, k, { strides: [2, 1], dilation: [1, 2], padding: [[2, 0], [1, 3]], groups: 3 }), () => [[2, 9, 8, 3], [3, 2, 1, 6]]],
  ["convolution 2-D 'same', stride 2, odd sizes", (x, k) => nn.convolution(x, k, { strides: 2, padding: 'same' }), () => [[1, 7, 5, 5], [3, 3, 5, 3]]],
  ['convolution 1-D, causal, dilation 2', (x, k) => nn.convolution(x, k, { padding: 'causal', dilation: 2 }), () => [[2, 11, 3], [3, 3, 4]]],
  ['depthwiseConvolution, multiplier 2, stride 2', (x, k) => nn.depthwiseConvolution(x, k, { strides: 2, padding: 1 }), () => [[1, 6, 7, 3], [3, 3, 3, 2]]],
  ['transposedConvolution, stride 2, same', (x, k) => nn.transposedConvolution(x, k, { strides: 2, padding: 'same' }), () => [[2, 4, 3, 3], [3, 3, 2, 3]]],
  ['transposedConvolution 1-D, stride 3, outputPadding', (x, k) => nn.transposedConvolution(x, k, { strides: 3, outputPadding: 1 }), () => [[1, 5, 2], [2, 3, 2]]],
  ['maxPool 3x3, stride 2, padding 1', (x) => nn.maxPool(x, { poolSize: 3, strides: 2, padding: 1 }), () => [[2, 7, 6, 5]]],
  ["avgPool 1-D 'same'", (x) => nn.avgPool(x, { poolSize: 3, strides: 2, padding: 'same' }), () => [[2, 9, 3]]],
];

describe('the conv and pooling ops on wasm run the kernels and equal the composite bit for bit', () => {
  for (const [name, f, shapes] of OPS) {
    it(name, () => {
      const data = shapes().map((s) => ({ s, v: values(s.reduce((a, b) => a * b, 1)) }));
      const run = (backend: string) => {
        nn.setBackend(backend);
        const xs = data.map(({ s, v }) => nn.tensor(v, s));
        const { value, grads } = nn.valueAndGrad((...ts: Inputs) => {
          const y = f(...ts);
          return nn.sum(nn.mul(y, nn.tensor(Float32Array.from({ length: y.size }, (_, i) => Math.sin(i)), y.shape)));
        })(...xs);
        return [value, ...grads].map((t) => Array.from(t.dataSync()));
      };
      const im2col = vi.spyOn(wasmBackend, 'im2col');
      const col2im = vi.spyOn(wasmBackend, 'col2im');
      const withKernels = run('wasm');
      expect(im2col).toHaveBeenCalled();
      expect(col2im).toHaveBeenCalled();
      const calls = im2col.mock.calls.length + col2im.mock.calls.length;
      expect(run('wasm-composite')).toEqual(withKernels);
      expect(im2col.mock.calls.length + col2im.mock.calls.length).toBe(calls);
    });
  }
});
