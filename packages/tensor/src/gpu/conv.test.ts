import { describe, expect, it } from 'vitest';
import { gpuBackendInfo } from '../gpu.js';
import * as nn from '../index.js';
import { ACCUMULATING, compare, runCase, type OpCase } from './cases.js';

// The convolution and pooling ops on 'gpujs' (which has no im2col kernel, so it runs the pad + gather
// composite) against the cpu backend, forward and backward, within float32 accumulation tolerance.
let seed = 4242;
const vals = (n: number): number[] => Array.from({ length: n }, () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return Math.fround(seed / 1073741824 - 1);
});
const r = (shape: number[]) => ({ values: vals(shape.reduce((a, b) => a * b, 1)), shape });
/** Distinct values a tenth apart: no ties inside a max window. */
const distinct = (shape: number[]) => {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = Array.from({ length: n }, (_, i) => Math.fround(((i * 37) % n) * 0.1));
  return { values: v, shape };
};
const diff = (name: string, f: OpCase['f'], inputs: OpCase['inputs']): OpCase => ({ name, f, inputs, backward: true, tol: ACCUMULATING });

const CASES: OpCase[] = [
  diff('conv2d stride 2, padding same', (x, k) => nn.convolution(x, k, { strides: 2, padding: 'same' }), [r([2, 7, 6, 3]), r([3, 3, 3, 4])]),
  diff('conv2d dilation 2, groups 2, padding 2', (x, k) => nn.convolution(x, k, { dilation: 2, groups: 2, padding: 2 }), [r([1, 6, 6, 4]), r([3, 3, 2, 6])]),
  diff('conv1d causal', (x, k) => nn.convolution(x, k, { padding: 'causal' }), [r([2, 8, 2]), r([3, 2, 3])]),
  diff('depthwiseConv2d', (x, k) => nn.depthwiseConvolution(x, k, { padding: 'same' }), [r([1, 5, 5, 3]), r([3, 3, 3, 2])]),
  diff('conv2dTranspose stride 2, same', (x, k) => nn.transposedConvolution(x, k, { strides: 2, padding: 'same' }), [r([1, 3, 4, 3]), r([3, 3, 2, 3])]),
  diff('maxPool2d 3x3 stride 2 padding 1', (x) => nn.maxPool(x, { poolSize: 3, strides: 2, padding: 1 }), [distinct([2, 5, 5, 2])]),
  diff('avgPool2d 3x3 stride 1 padding 1', (x) => nn.avgPool(x, { poolSize: 3, strides: 1, padding: 1 }), [r([1, 4, 5, 2])]),
];

describe(`conv and pooling on gpujs equal the cpu backend (mode: ${gpuBackendInfo().mode})`, () => {
  for (const c of CASES) {
    it(`${c.name} (forward and backward)`, async () => {
      const worst = compare(await runCase(c, 'cpu'), await runCase(c, 'gpujs'), c.tol);
      expect(worst, `${c.name}: ${JSON.stringify(worst)}`).toBeNull();
    });
  }
});
