/**
 * 2-D affine maps as `[a, b, tx, c, d, ty]`: x' = a·x + b·y + tx, y' = c·x + d·y + ty, in continuous pixel
 * coordinates (the image spans [0, W] x [0, H]; pixel (row i, column j) has its centre at (j + 0.5, i + 0.5)).
 * Geometric transforms build one such matrix, so a chain of rotation, scale, shear and shift is resampled once.
 */
export type Mat = [number, number, number, number, number, number];

export const identity = (): Mat => [1, 0, 0, 0, 1, 0];

/** `a ∘ b`: first b, then a. */
export function multiply(a: Mat, b: Mat): Mat {
  return [
    a[0] * b[0] + a[1] * b[3],
    a[0] * b[1] + a[1] * b[4],
    a[0] * b[2] + a[1] * b[5] + a[2],
    a[3] * b[0] + a[4] * b[3],
    a[3] * b[1] + a[4] * b[4],
    a[3] * b[2] + a[4] * b[5] + a[5],
  ];
}

/** Composes maps given in the order they act: `chain(m1, m2, m3)` applies m1 first. */
export const chain = (...ms: Mat[]): Mat => ms.reduce((acc, m) => multiply(m, acc), identity());

export function invert(m: Mat): Mat {
  const det = m[0] * m[4] - m[1] * m[3];
  if (det === 0 || !Number.isFinite(det)) throw new Error(`affine matrix is singular: [${m.join(', ')}]`);
  const a = m[4] / det;
  const b = -m[1] / det;
  const c = -m[3] / det;
  const d = m[0] / det;
  return [a, b, -(a * m[2] + b * m[5]), c, d, -(c * m[2] + d * m[5])];
}

export const translation = (tx: number, ty: number): Mat => [1, 0, tx, 0, 1, ty];
export const scaling = (sx: number, sy: number): Mat => [sx, 0, 0, 0, sy, 0];

/** cos and sin of an angle in degrees, exact at multiples of 90° (so a 90° rotation moves pixels exactly). */
export function cosSinDeg(deg: number): [number, number] {
  const q = deg / 90;
  if (Number.isInteger(q)) {
    const k = ((q % 4) + 4) % 4;
    return [[1, 0], [0, 1], [-1, 0], [0, -1]][k] as [number, number];
  }
  const r = (deg * Math.PI) / 180;
  return [Math.cos(r), Math.sin(r)];
}

/** Counter-clockwise as seen on screen (y points down), as in Keras and torchvision. */
export function rotation(deg: number): Mat {
  const [c, s] = cosSinDeg(deg);
  return [c, s, 0, -s, c, 0];
}

/** `m` about the point (cx, cy) instead of the origin. */
export const about = (m: Mat, cx: number, cy: number): Mat => chain(translation(-cx, -cy), m, translation(cx, cy));

export function applyToPoint(m: Mat, x: number, y: number): [number, number] {
  return [m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]];
}
