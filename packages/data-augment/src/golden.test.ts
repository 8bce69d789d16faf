import { describe, expect, it } from 'vitest';
import golden from './fixtures/warp.json';
import { warpAffine, type FillMode, type Interpolation } from './resample.js';
import type { Mat } from './matrix.js';

describe('warpAffine matches scipy.ndimage.affine_transform', () => {
  const image = Float32Array.from(golden.image);
  it.each(golden.cases.map((c) => [`${c.name}, ${c.fillMode}, ${c.interpolation}`, c] as const))('%s', (_name, c) => {
    const out = warpAffine(image, golden.h, golden.w, golden.c, c.forward as Mat, {
      outH: c.outH,
      outW: c.outW,
      interpolation: c.interpolation as Interpolation,
      fillMode: c.fillMode as FillMode,
      fill: new Float32Array(golden.c).fill(c.fill),
    });
    expect(out.length).toBe(c.expected.length);
    let worst = 0;
    out.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - c.expected[i]))));
    expect(worst).toBeLessThan(1e-5);
  });
});
