import { tensor, type Tensor } from '@nn/tensor';

/** Test helpers: small images with distinct, readable values. */
export function image(h: number, w: number, c = 1, n = 1, f: (b: number, i: number, j: number, k: number) => number = (b, i, j, k) => 100 * b + 10 * i + j + 0.1 * k): Tensor {
  const v = new Float32Array(n * h * w * c);
  for (let b = 0; b < n; b++) for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) for (let k = 0; k < c; k++) v[((b * h + i) * w + j) * c + k] = f(b, i, j, k);
  return tensor(v, [n, h, w, c]);
}

export const values = (t: Tensor): number[] => Array.from(t.dataSync());

/** NHWC -> NCHW values, for layout tests. */
export function toNchw(t: Tensor): Tensor {
  const [n, h, w, c] = t.shape;
  const src = t.dataSync();
  const out = new Float32Array(src.length);
  for (let b = 0; b < n; b++) for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) for (let k = 0; k < c; k++) out[((b * c + k) * h + i) * w + j] = src[((b * h + i) * w + j) * c + k];
  return tensor(out, [n, c, h, w]);
}
