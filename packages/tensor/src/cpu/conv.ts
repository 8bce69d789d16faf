import type { PatchGeometry } from '../backend.js';
import type { Shape } from '../shape.js';

/**
 * Walks every patch entry of an NHWC image in im2col order (n, oy, ox, ky, kx), calling `visit` with the
 * entry's offset in the patches and the pixel's offset in the image (-1 for padding). One walk serves both
 * directions, so im2col and its adjoint cannot disagree about the layout.
 */
function walk(shape: Shape, g: PatchGeometry, visit: (col: number, pixel: number) => void): void {
  const [n, h, w, c] = shape;
  const [kh, kw] = g.kernel;
  const [sh, sw] = g.strides;
  const [dh, dw] = g.dilation;
  const [top, left] = g.padBefore;
  const [oh, ow] = g.out;
  let col = 0;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh + ky * dh - top;
          for (let kx = 0; kx < kw; kx++, col += c) {
            const ix = ox * sw + kx * dw - left;
            visit(col, iy >= 0 && iy < h && ix >= 0 && ix < w ? ((b * h + iy) * w + ix) * c : -1);
          }
        }
      }
    }
  }
}

export function im2col(x: Float32Array, shape: Shape, g: PatchGeometry, padValue: number): Float32Array {
  const c = shape[3];
  const out = new Float32Array(shape[0] * g.out[0] * g.out[1] * g.kernel[0] * g.kernel[1] * c);
  walk(shape, g, (col, pixel) => {
    if (pixel < 0) out.fill(padValue, col, col + c);
    else for (let i = 0; i < c; i++) out[col + i] = x[pixel + i];
  });
  return out;
}

export function col2im(cols: Float32Array, shape: Shape, g: PatchGeometry): Float32Array {
  const c = shape[3];
  // Summed in float64 and rounded once, as the other cpu kernels.
  const sums = new Float64Array(shape[0] * shape[1] * shape[2] * c);
  walk(shape, g, (col, pixel) => {
    if (pixel >= 0) for (let i = 0; i < c; i++) sums[pixel + i] += cols[col + i];
  });
  return Float32Array.from(sums);
}
