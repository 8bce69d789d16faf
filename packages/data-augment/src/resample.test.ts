import { describe, expect, it } from 'vitest';
import { about, chain, invert, multiply, rotation, scaling, translation, applyToPoint, type Mat } from './matrix.js';
import { mapIndex, transformBoxes, warpAffine, type FillMode } from './resample.js';

const opts = (outH: number, outW: number, fillMode: FillMode = 'constant', interpolation: 'nearest' | 'bilinear' = 'bilinear', fill = 0) => ({
  outH,
  outW,
  fillMode,
  interpolation,
  fill: Float32Array.of(fill),
});

describe('mapIndex (Keras fill modes)', () => {
  it('maps out-of-range indices of a b c d', () => {
    const row = (mode: FillMode) => [-4, -3, -2, -1, 4, 5, 6, 7].map((i) => mapIndex(i, 4, mode));
    expect(row('reflect')).toEqual([3, 2, 1, 0, 3, 2, 1, 0]); // d c b a | a b c d | d c b a
    expect(row('nearest')).toEqual([0, 0, 0, 0, 3, 3, 3, 3]);
    expect(row('wrap')).toEqual([0, 1, 2, 3, 0, 1, 2, 3]);
    expect(row('constant')).toEqual([-1, -1, -1, -1, -1, -1, -1, -1]);
    expect([0, 1, 2, 3].map((i) => mapIndex(i, 4, 'constant'))).toEqual([0, 1, 2, 3]);
  });

  it('reflects far beyond one period', () => {
    expect(mapIndex(-9, 4, 'reflect')).toBe(mapIndex(-1, 4, 'reflect'));
    expect(mapIndex(12, 4, 'wrap')).toBe(0);
  });
});

describe('matrix', () => {
  it('inverts and chains', () => {
    const m: Mat = chain(scaling(2, 3), rotation(30), translation(5, -1));
    const id = multiply(m, invert(m));
    [1, 0, 0, 0, 1, 0].forEach((v, i) => expect(id[i]).toBeCloseTo(v, 12));
    // chain applies left to right: scale first, then shift.
    expect(applyToPoint(chain(scaling(2, 2), translation(1, 0)), 1, 1)).toEqual([3, 2]);
  });

  it('rotates counter-clockwise on screen, exactly at 90°', () => {
    // y points down: a point to the right of the centre goes up.
    expect(applyToPoint(rotation(90), 1, 0)).toEqual([0, -1]);
    expect(about(rotation(180), 2, 2).map((v) => v + 0)).toEqual([-1, 0, 4, 0, -1, 4]);
  });
});

describe('warpAffine', () => {
  // A 1x4 row a b c d = 1 2 3 4.
  const row = Float32Array.of(1, 2, 3, 4);

  it('is the identity under the identity map', () => {
    const img = Float32Array.from({ length: 12 }, (_, i) => i * 0.5);
    expect(warpAffine(img, 3, 4, 1, [1, 0, 0, 0, 1, 0], opts(3, 4))).toEqual(img);
    expect(warpAffine(img, 2, 3, 2, [1, 0, 0, 0, 1, 0], opts(2, 3, 'constant', 'nearest'))).toEqual(img);
  });

  it('fills a 2-pixel shift to the right by each mode', () => {
    const shift = translation(2, 0);
    expect(Array.from(warpAffine(row, 1, 4, 1, shift, opts(1, 4, 'constant', 'bilinear', 9)))).toEqual([9, 9, 1, 2]);
    expect(Array.from(warpAffine(row, 1, 4, 1, shift, opts(1, 4, 'reflect')))).toEqual([2, 1, 1, 2]);
    expect(Array.from(warpAffine(row, 1, 4, 1, shift, opts(1, 4, 'nearest')))).toEqual([1, 1, 1, 2]);
    expect(Array.from(warpAffine(row, 1, 4, 1, shift, opts(1, 4, 'wrap')))).toEqual([3, 4, 1, 2]);
    // and to the left, where the other edge shows
    const left = translation(-3, 0);
    expect(Array.from(warpAffine(row, 1, 4, 1, left, opts(1, 4, 'reflect')))).toEqual([4, 4, 3, 2]);
    expect(Array.from(warpAffine(row, 1, 4, 1, left, opts(1, 4, 'wrap')))).toEqual([4, 1, 2, 3]);
    expect(Array.from(warpAffine(row, 1, 4, 1, left, opts(1, 4, 'nearest')))).toEqual([4, 4, 4, 4]);
  });

  it('interpolates a ramp bilinearly: a half-pixel shift gives the midpoints', () => {
    // ramp value = 10·x + y over a 3x4 image; shift by (0.5, 0.25)
    const h = 3;
    const w = 4;
    const img = Float32Array.from({ length: h * w }, (_, p) => 10 * (p % w) + Math.floor(p / w));
    const out = warpAffine(img, h, w, 1, translation(0.5, 0.25), opts(h, w, 'nearest'));
    // output (i, j) reads input at (j - 0.5, i - 0.25): inside, a linear ramp stays linear.
    expect(out[1 * w + 1]).toBeCloseTo(10 * 0.5 + 0.75, 5);
    expect(out[2 * w + 3]).toBeCloseTo(10 * 2.5 + 1.75, 5);
    // at the left edge the edge pixel is repeated ('nearest'): x clamps to 0 -> 0 + y part
    expect(out[1 * w + 0]).toBeCloseTo(0.75 * 1 + 0.25 * 0, 5);
    // hand-computed: a 2x2 image [[0, 1], [2, 3]] sampled at its centre is the mean 1.5
    const sq = Float32Array.of(0, 1, 2, 3);
    const mid = warpAffine(sq, 2, 2, 1, translation(0.5, 0.5), opts(2, 2, 'constant'));
    expect(mid[3]).toBeCloseTo(1.5, 6);
    // with constant fill 0 the top-left output mixes three fill taps and pixel 0: 0.25·0
    expect(mid[0]).toBeCloseTo(0, 6);
    // top-right reads index (0.5, -0.5): a quarter each of two fill taps and of pixels 0 and 1
    expect(mid[1]).toBeCloseTo(0.25 * 0 + 0.25 * 1, 6);
  });

  it('resamples every channel the same way', () => {
    const img = Float32Array.of(1, 10, 2, 20, 3, 30, 4, 40); // 1x4, 2 channels
    expect(Array.from(warpAffine(img, 1, 4, 2, translation(1, 0), { ...opts(1, 4), fill: Float32Array.of(-1, -2) }))).toEqual([-1, -2, 1, 10, 2, 20, 3, 30]);
  });
});

describe('transformBoxes', () => {
  it('rotates a box by 90° exactly', () => {
    // 4x4 image, box covering columns 2..4 and rows 0..1 (top right); rotated 90° ccw it sits top left, rows 0..2, columns 0..1.
    const m = about(rotation(90), 2, 2);
    expect(transformBoxes([[2, 0, 4, 1]], m, 4, 4)).toEqual({ boxes: [[0, 0, 1, 2]], kept: [0] });
  });

  it('encloses the rotated corners, clips, and drops boxes that leave the image', () => {
    const m = about(rotation(45), 5, 5);
    const { boxes } = transformBoxes([[4, 4, 6, 6]], m, 10, 10);
    const r = Math.SQRT2;
    [5 - r, 5 - r, 5 + r, 5 + r].forEach((v, i) => expect(boxes[0][i]).toBeCloseTo(v, 9));
    const shift = translation(3, 0);
    expect(transformBoxes([[0, 0, 2, 2], [8, 1, 10, 3], [5, 5, 6, 6]], shift, 10, 10)).toEqual({ boxes: [[3, 0, 5, 2], [8, 5, 9, 6]], kept: [0, 2] });
    // a box partly outside is clipped
    expect(transformBoxes([[6, 0, 9, 2]], shift, 10, 10).boxes).toEqual([[9, 0, 10, 2]]);
  });
});
