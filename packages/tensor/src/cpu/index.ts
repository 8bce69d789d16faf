import { registry } from '@nn/core';
import type { Backend } from '../backend.js';
import { col2im, im2col } from './conv.js';
import { binary, unary, where } from './elementwise.js';
import { concat, gather, oneHot, pad, scatterAdd, slice, transpose } from './layout.js';
import { matmul } from './matmul.js';
import { fusedUpdate } from './optimizers.js';
import { argReduce, reduce, sumSquares } from './reduce.js';

/**
 * The reference backend: TypeScript kernels over Float32Array, computing in float64 and rounding once
 * per element. Storage is the Float32Array itself, so reads are free and the GC reclaims memory.
 */
export const cpuBackend: Backend<Float32Array> = {
  name: 'cpu',
  upload: (data) => data.slice(),
  adopt: (data) => data,
  fill: (size, value) => new Float32Array(size).fill(value),
  read: (s) => s,
  readAsync: async (s) => s,
  release: () => {},
  writeInPlace: (s, data) => {
    if (s !== data) s.set(data);
    return true;
  },
  unary,
  binary,
  where,
  reduce,
  sumSquares,
  argReduce,
  matmul,
  transpose,
  slice,
  pad,
  concat,
  gather,
  scatterAdd,
  oneHot,
  assign: (dst, src, size) => {
    if (dst !== src) dst.set(src.length === size ? src : src.subarray(0, size));
    return true;
  },
  assignScaled: (dst, src, size, factor) => {
    const f = factor[0];
    for (let i = 0; i < size; i++) dst[i] = src[i] * f;
    return true;
  },
  fusedUpdate,
  im2col,
  col2im,
};

registry.register('backend', 'cpu', cpuBackend);
