// Patches of channels-last images (im2col) and their adjoint (col2im), for convolution and pooling. The
// layout is the cpu backend's (src/cpu/conv.ts): x is [n, h, w, c], the patches [n, oh, ow, kh·kw·c] with
// entries ordered (ky, kx, c). Both kernels walk the same runs: with dilation 1 along the width, the taps of
// one kernel row are adjacent pixels, so a row of a patch is one contiguous run of kw·c floats in the image
// (clipped at the left and right edges); otherwise each tap is a run of c floats.

@inline function copyRun(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), v128.load(src + (<usize>i << 2)));
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), load<f32>(src + (<usize>i << 2)));
}

@inline function fillRun(dst: usize, n: i32, value: f32): void {
  const v = f32x4.splat(value);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), v);
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), value);
}

/** dst[i] += src[i]: one float32 addition per element, in walk order (the composite's scatterAdd order). */
@inline function addRun(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    v128.store(dst + at, f32x4.add(v128.load(dst + at), v128.load(src + at)));
  }
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), load<f32>(dst + (<usize>i << 2)) + load<f32>(src + (<usize>i << 2)));
}

/** The first kernel column (0..kw) whose pixel `ix0 + kx` lies at or after the image's left edge. */
@inline function firstInside(ix0: i32, kw: i32): i32 {
  return min(max(-ix0, 0), kw);
}

/** One past the last kernel column (lo..kw) whose pixel `ix0 + kx` lies before the right edge `w`. */
@inline function endInside(ix0: i32, kw: i32, w: i32, lo: i32): i32 {
  return max(min(w - ix0, kw), lo);
}

/** A run of `n` image floats at `pixel`: im2col copies it into the patch at `col`, col2im adds it back. */
@inline function pixels(forward: bool, pixel: usize, col: usize, n: i32): void {
  if (forward) copyRun(col, pixel, n);
  else addRun(pixel, col, n);
}

/** A run of `n` patch floats outside the image: im2col writes the pad value; col2im has nothing to add back. */
@inline function padding(forward: bool, col: usize, n: i32, value: f32): void {
  if (forward) fillRun(col, n, value);
}

/**
 * Walks every patch of the image at `image` in im2col order (b, oy, ox, ky, kx), run by run. One walk serves
 * both directions (inlined with `forward` constant), so the kernels cannot disagree about the layout.
 */
@inline function walk(
  forward: bool, image: usize, cols: usize, n: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  dh: i32, dw: i32, top: i32, left: i32, oh: i32, ow: i32, padValue: f32,
): void {
  const rowLen = kw * c;
  let col = cols;
  for (let b = 0; b < n; b++) {
    const plane = image + (<usize>(b * h * w * c) << 2);
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const ix0 = ox * sw - left;
        for (let ky = 0; ky < kh; ky++, col += <usize>rowLen << 2) {
          const iy = oy * sh + ky * dh - top;
          if (iy < 0 || iy >= h) {
            padding(forward, col, rowLen, padValue);
            continue;
          }
          const row = plane + (<usize>(iy * w * c) << 2);
          if (dw == 1) {
            if (ix0 >= 0 && ix0 + kw <= w) {
              pixels(forward, row + (<usize>(ix0 * c) << 2), col, rowLen);
              continue;
            }
            const lo = firstInside(ix0, kw);
            const hi = endInside(ix0, kw, w, lo);
            padding(forward, col, lo * c, padValue);
            pixels(forward, row + (<usize>((ix0 + lo) * c) << 2), col + (<usize>(lo * c) << 2), (hi - lo) * c);
            padding(forward, col + (<usize>(hi * c) << 2), (kw - hi) * c, padValue);
            continue;
          }
          for (let kx = 0; kx < kw; kx++) {
            const ix = ix0 + kx * dw;
            const at = col + (<usize>(kx * c) << 2);
            if (ix >= 0 && ix < w) pixels(forward, row + (<usize>(ix * c) << 2), at, c);
            else padding(forward, at, c, padValue);
          }
        }
      }
    }
  }
}

/**
 * out[b, oy, ox, (ky, kx, ch)] = x[b, oy·sh + ky·dh − top, ox·sw + kx·dw − left, ch], or `padValue` where that
 * position lies outside the image.
 */
export function im2col(
  x: usize, out: usize, n: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32,
  top: i32, left: i32, oh: i32, ow: i32, padValue: f32,
): void {
  walk(true, x, out, n, h, w, c, kh, kw, sh, sw, dh, dw, top, left, oh, ow, padValue);
}

/** The adjoint of im2col: out (zeroed first, [n, h, w, c]) gets every patch entry added at its pixel. */
export function col2im(
  cols: usize, out: usize, n: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32,
  top: i32, left: i32, oh: i32, ow: i32,
): void {
  memory.fill(out, 0, <usize>(n * h * w * c) << 2);
  walk(false, out, cols, n, h, w, c, kh, kw, sh, sw, dh, dw, top, left, oh, ow, 0);
}
