import type { PatchGeometry } from '../backend.js';
import type { Shape } from '../shape.js';
import type { Kernels } from './instance.js';

// The wasm backend's im2col/col2im (assembly/conv.ts): the same layout as the cpu kernels (src/cpu/conv.ts),
// so ops/conv.ts takes patches for convolution and pooling from here instead of its pad + gather composite.

type Geometry = [n: number, h: number, w: number, c: number, kh: number, kw: number, sh: number, sw: number, dh: number, dw: number, top: number, left: number, oh: number, ow: number];

/** An image shape `[N, H, W, C]` and its patch geometry as the kernels' arguments. */
function geometry([n, h, w, c]: Shape, g: PatchGeometry): Geometry {
  return [n, h, w, c, g.kernel[0], g.kernel[1], g.strides[0], g.strides[1], g.dilation[0], g.dilation[1], g.padBefore[0], g.padBefore[1], g.out[0], g.out[1]];
}

/** The patches `[N, oh, ow, kh·kw·C]` of the image at `x`, in new storage from `alloc` (sizes in floats). */
export function im2col(k: Kernels, alloc: (size: number) => number, x: number, shape: Shape, g: PatchGeometry, padValue: number): number {
  const out = alloc(shape[0] * g.out[0] * g.out[1] * g.kernel[0] * g.kernel[1] * shape[3]);
  k.im2col(x, out, ...geometry(shape, g), padValue);
  return out;
}

/** The adjoint of {@link im2col}: an image of `shape` holding the sum of every patch entry at its pixel. */
export function col2im(k: Kernels, alloc: (size: number) => number, cols: number, shape: Shape, g: PatchGeometry): number {
  const out = alloc(shape[0] * shape[1] * shape[2] * shape[3]);
  k.col2im(cols, out, ...geometry(shape, g));
  return out;
}
