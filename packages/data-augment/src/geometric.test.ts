import { tensor } from '@nn/tensor';
import { describe, expect, it } from 'vitest';
import { randomAffine, randomCrop, randomFlip, randomResizedCrop, randomRotation, randomTranslation, randomZoom, type AffineParams, type AugmentationParams } from './index.js';
import { image, toNchw, values } from './testing.js';

const params = (transform: string, perImage: unknown[]): AugmentationParams => ({ transform, images: perImage.length, record: perImage });

describe('randomRotation', () => {
  it('a 90° turn equals transpose-and-flip exactly (np.rot90), with bilinear or nearest', () => {
    const x = image(4, 4, 2, 2);
    const src = x.toArray() as number[][][][];
    const expected = src.map((img) => img.map((_, i) => img.map((_r, j) => img[j][3 - i])));
    for (const interpolation of ['bilinear', 'nearest'] as const) {
      const rot = randomRotation({ degrees: [90, 90], interpolation, seed: 1 });
      expect(rot.apply(x).toArray()).toEqual(expected);
      expect(rot.lastParams?.record).toEqual([{ angle: 90 }, { angle: 90 }]);
    }
    // -90° is the other way round, 180° is both flips
    const back = randomRotation({ degrees: [-90, -90] });
    expect(back.apply(randomRotation({ degrees: [90, 90] }).apply(x)).toArray()).toEqual(src);
    expect(values(randomRotation({ degrees: [180, 180] }).apply(x))).toEqual(values(randomFlip({ mode: 'horizontal_and_vertical', p: 1 }).apply(x)));
  });

  it('rotates about a chosen centre', () => {
    // 180° about the top-left corner of pixel (1, 1), i.e. point (1, 1): pixel (0, 0) lands on (1, 1)
    const x = image(3, 3);
    const out = randomRotation({ degrees: [180, 180], center: [1, 1], interpolation: 'nearest', fillValue: -1 }).apply(x).toArray() as number[][][][];
    expect(out[0][0][0][0]).toBe(11);
    expect(out[0][1][1][0]).toBe(0);
    expect(out[0][2][2][0]).toBe(-1);
  });

  it('draws angles within the range, one per image', () => {
    const rot = randomRotation({ degrees: 10, seed: 3 });
    rot.apply(image(5, 5, 1, 50));
    const angles = (rot.lastParams!.record as { angle: number }[]).map((r) => r.angle);
    expect(Math.min(...angles)).toBeGreaterThanOrEqual(-10);
    expect(Math.max(...angles)).toBeLessThanOrEqual(10);
    expect(new Set(angles).size).toBe(50);
  });
});

describe('randomFlip', () => {
  const x = tensor([[[[1], [2], [3]], [[4], [5], [6]]]]); // one 2x3 image

  it('flips a 2x3 image each way', () => {
    expect(randomFlip({ p: 1 }).apply(x).toArray()).toEqual([[[[3], [2], [1]], [[6], [5], [4]]]]);
    expect(randomFlip({ mode: 'vertical', p: 1 }).apply(x).toArray()).toEqual([[[[4], [5], [6]], [[1], [2], [3]]]]);
    expect(randomFlip({ mode: 'horizontal_and_vertical', p: 1 }).apply(x).toArray()).toEqual([[[[6], [5], [4]], [[3], [2], [1]]]]);
    expect(randomFlip({ p: 0 }).apply(x).toArray()).toEqual(x.toArray());
  });

  it('is an involution, and flips about half the images at p = 0.5', () => {
    const b = image(3, 5, 3, 200);
    const flip = randomFlip({ seed: 7 });
    const once = flip.apply(b);
    expect(values(flip.replay(once))).toEqual(values(b));
    const flipped = (flip.lastParams!.record as { horizontal: boolean }[]).filter((r) => r.horizontal).length;
    expect(flipped).toBeGreaterThan(70);
    expect(flipped).toBeLessThan(130);
  });
});

describe('randomTranslation', () => {
  it('shifts by whole pixels exactly', () => {
    const x = image(4, 5, 2);
    const t = randomTranslation({ translate: 0.5, fillValue: -1 });
    const out = t.replay(x, params('randomTranslation', [{ dx: 2, dy: -1 }])).toArray() as number[][][][];
    const src = x.toArray() as number[][][][];
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 5; j++) {
        const si = i + 1;
        const sj = j - 2;
        const inside = si < 4 && sj >= 0;
        expect(out[0][i][j]).toEqual(inside ? src[0][si][sj] : [-1, -1]);
      }
    }
  });

  it('keeps shifts within the limits, in pixels with unit "pixel"', () => {
    const t = randomTranslation({ translate: [2, 1], unit: 'pixel', seed: 2 });
    t.apply(image(6, 6, 1, 40));
    for (const { dx, dy } of t.lastParams!.record as { dx: number; dy: number }[]) {
      expect(Math.abs(dx)).toBeLessThanOrEqual(2);
      expect(Math.abs(dy)).toBeLessThanOrEqual(1);
    }
  });
});

describe('randomZoom', () => {
  it('a factor of 2 about the centre shows the middle half, enlarged', () => {
    const x = image(4, 4);
    const out = randomZoom({ scale: [2, 2], interpolation: 'nearest' }).apply(x).toArray() as number[][][][];
    // output pixel (i, j) centre maps to input ((j + 0.5 - 2) / 2 + 2): columns 1,1,2,2 (round half up: 1.25→1, 1.75→2)
    expect(out[0].map((r) => r.map((p) => p[0]))).toEqual([
      [11, 11, 12, 12],
      [11, 11, 12, 12],
      [21, 21, 22, 22],
      [21, 21, 22, 22],
    ]);
  });
});

describe('randomAffine', () => {
  it('is the identity with identity parameters', () => {
    const x = image(5, 7, 3, 2);
    expect(values(randomAffine().apply(x))).toEqual(values(x));
    expect(values(randomAffine({ degrees: 0, translate: 0, scale: [1, 1], shear: 0 }).apply(x))).toEqual(values(x));
  });

  it('one composed matrix equals the sequence of its parts (within interpolation error)', () => {
    // smooth image so interpolating twice stays close to interpolating once
    const x = image(32, 32, 1, 1, (_b, i, j) => Math.sin(i / 5) + Math.cos(j / 7));
    const p: AffineParams = { angle: 12, dx: 1.5, dy: -2, scale: 1.1, shearX: 0, shearY: 0 };
    const once = randomAffine({ fillMode: 'reflect' }).replay(x, params('randomAffine', [p]));
    const zoomed = randomZoom({ scale: [1, 1], fillMode: 'reflect' }).replay(x, params('randomZoom', [{ scale: 1.1 }]));
    const rotated = randomRotation({ degrees: 0, fillMode: 'reflect' }).replay(zoomed, params('randomRotation', [{ angle: 12 }]));
    const moved = randomTranslation({ translate: 0.1, fillMode: 'reflect' }).replay(rotated, params('randomTranslation', [{ dx: 1.5, dy: -2 }]));
    const a = values(once);
    const b = values(moved);
    // compare away from the border, where fill choices differ between one and three resamplings
    let worst = 0;
    for (let i = 6; i < 26; i++) for (let j = 6; j < 26; j++) worst = Math.max(worst, Math.abs(a[i * 32 + j] - b[i * 32 + j]));
    expect(worst).toBeLessThan(0.03);
    expect(worst).toBeGreaterThan(0); // two extra interpolations do blur a little
  });

  it("shears x by tan(angle) times the distance from the centre row (torchvision's sign)", () => {
    const x = image(3, 5);
    const out = randomAffine({ interpolation: 'nearest', fillValue: -1 }).replay(x, params('randomAffine', [{ angle: 0, dx: 0, dy: 0, scale: 1, shearX: 45, shearY: 0 }]));
    const rows = (out.toArray() as number[][][][])[0].map((r) => r.map((p) => p[0]));
    // centre row (y = 1.5) stays; the row below moves left by one, the row above right by one
    expect(rows[1]).toEqual([10, 11, 12, 13, 14]);
    expect(rows[2]).toEqual([21, 22, 23, 24, -1]);
    expect(rows[0]).toEqual([-1, 0, 1, 2, 3]);
  });
});

describe('randomCrop', () => {
  it('crops at known offsets inside the padding', () => {
    const x = image(3, 3);
    const crop = randomCrop({ size: 3, padding: 1, fillValue: -1 });
    const out = crop.replay(x, params('randomCrop', [{ top: -1, left: 1 }])).toArray() as number[][][][];
    expect(out[0].map((r) => r.map((p) => p[0]))).toEqual([
      [-1, -1, -1],
      [1, 2, -1],
      [11, 12, -1],
    ]);
    const reflect = randomCrop({ size: [2, 3], padding: [2, 0], fillMode: 'reflect' }).replay(x, params('randomCrop', [{ top: 1, left: -2 }]));
    expect((reflect.toArray() as number[][][][])[0].map((r) => r.map((p) => p[0]))).toEqual([
      [11, 10, 10],
      [21, 20, 20],
    ]);
  });

  it('samples every offset of the padded image', () => {
    const crop = randomCrop({ size: 2, padding: 1, seed: 4 });
    crop.apply(image(3, 3, 1, 300));
    const offsets = new Set((crop.lastParams!.record as { top: number; left: number }[]).map((r) => `${r.top},${r.left}`));
    // tops and lefts range over -1..1 (padded 5, crop 2 -> 4 positions: -1, 0, 1, 2)
    expect(offsets.size).toBe(16);
  });

  it('pads when needed, or says how to', () => {
    const out = randomCrop({ size: 4, padIfNeeded: true, seed: 1 }).apply(image(2, 2));
    expect(out.shape).toEqual([1, 4, 4, 1]);
    expect(values(out).filter((v) => v !== 0).sort()).toEqual([1, 10, 11]);
    expect(() => randomCrop({ size: 4 }).apply(image(2, 2))).toThrow('randomCrop: crop size [4,4] is larger than the padded image [2,2]; add padding or pass padIfNeeded: true');
  });
});

describe('randomResizedCrop', () => {
  it('resizes the chosen region to the output size', () => {
    const x = image(4, 4, 1, 1, (_b, i, j) => 10 * i + j);
    const rrc = randomResizedCrop({ size: 2, interpolation: 'nearest' });
    const out = rrc.replay(x, params('randomResizedCrop', [{ top: 0, left: 2, height: 4, width: 2 }]));
    // 4x2 region (columns 2..3) -> 2x2: rows 0..1 -> 0.5, 2..3 -> 2.5 (round half up: 1, 3)
    expect(values(out)).toEqual([12, 13, 32, 33]);
    const whole = randomResizedCrop({ size: [4, 4] }).replay(x, params('randomResizedCrop', [{ top: 0, left: 0, height: 4, width: 4 }]));
    expect(values(whole)).toEqual(values(x));
  });

  it('samples crops within the scale and ratio limits', () => {
    const rrc = randomResizedCrop({ size: 8, scale: [0.25, 0.5], ratio: [0.5, 2], seed: 5 });
    const out = rrc.apply(image(20, 20, 3, 30));
    expect(out.shape).toEqual([30, 8, 8, 3]);
    for (const r of rrc.lastParams!.record as { top: number; left: number; height: number; width: number }[]) {
      expect(r.top + r.height).toBeLessThanOrEqual(20);
      expect(r.left + r.width).toBeLessThanOrEqual(20);
      expect((r.width * r.height) / 400).toBeGreaterThan(0.2);
      expect((r.width * r.height) / 400).toBeLessThan(0.56);
    }
  });
});

describe('layouts and channels', () => {
  it('NCHW gives the NHWC result, transposed', () => {
    const x = image(6, 5, 3, 2);
    const make = (layout: 'NHWC' | 'NCHW') => randomAffine({ degrees: 20, translate: 0.1, scale: [0.9, 1.1], shear: 5, seed: 9, layout });
    expect(values(make('NCHW').apply(toNchw(x)))).toEqual(values(toNchw(make('NHWC').apply(x))));
  });

  it('works for any channel count and for a single image (rank 3)', () => {
    const x5 = image(4, 4, 5, 3);
    const rot = randomRotation({ degrees: [90, 90] });
    expect(rot.apply(x5).shape).toEqual([3, 4, 4, 5]);
    const single = image(4, 4, 2).reshape([4, 4, 2]);
    const out = rot.apply(single);
    expect(out.shape).toEqual([4, 4, 2]);
    expect(values(out)).toEqual(values(rot.apply(image(4, 4, 2))));
  });

  it('takes flat rows with imageShape and gives flat rows back', () => {
    const x = image(3, 3, 1, 2);
    const flat = x.reshape([2, 9]);
    const flip = randomFlip({ p: 1, imageShape: [3, 3, 1] });
    const out = flip.apply(flat);
    expect(out.shape).toEqual([2, 9]);
    expect(values(out)).toEqual(values(randomFlip({ p: 1 }).apply(x)));
  });
});

describe('targets move with the image', () => {
  it('a 90° rotation turns the box and the mask with the image', () => {
    // a bright 1x2 patch at row 0, columns 2..3 of a 4x4 image, its box and its mask
    const img = image(4, 4, 1, 1, (_b, i, j) => (i === 0 && j >= 2 ? 1 : 0));
    const mask = tensor(values(img).map((v) => v * 3), [1, 4, 4]);
    const out = randomRotation({ degrees: [90, 90] }).apply({ image: img, mask, boxes: [[[2, 0, 4, 1]]], boxLabels: [['patch']] });
    expect(out.boxes).toEqual([[[0, 0, 1, 2]]]);
    expect(out.boxLabels).toEqual([['patch']]);
    expect(out.mask!.shape).toEqual([1, 4, 4]);
    expect(values(out.mask!)).toEqual(values(out.image).map((v) => v * 3));
    // the box encloses exactly the bright pixels
    const bright = values(out.image).flatMap((v, p) => (v === 1 ? [[p % 4, Math.floor(p / 4)]] : []));
    expect(bright).toEqual([[0, 0], [0, 1]]);
  });

  it('the mask stays integer-valued under any angle (nearest), with its own fill', () => {
    const img = image(9, 9, 3, 4, (b, i, j, k) => (i + j + k + b) / 30);
    const mask = tensor(Float32Array.from({ length: 4 * 81 }, (_, p) => (p * 7) % 5), [4, 9, 9, 1]);
    const out = randomAffine({ degrees: 30, scale: [0.8, 1.2], translate: 0.2, seed: 11, maskFillValue: 255 }).apply({ image: img, mask });
    const mv = values(out.mask!);
    expect(mv.every((v) => Number.isInteger(v) && ((v >= 0 && v <= 4) || v === 255))).toBe(true);
    expect(mv.includes(255)).toBe(true);
    expect(values(out.image).some((v) => !Number.isInteger(v * 30))).toBe(true); // the image itself was interpolated
  });

  it('flips and crops move boxes; boxes pushed out are dropped with their labels', () => {
    const img = image(4, 6);
    const flipped = randomFlip({ p: 1 }).apply({ image: img, boxes: [[[0, 1, 2, 3]]] });
    expect(flipped.boxes).toEqual([[[4, 1, 6, 3]]]);
    const one = image(4, 6).reshape([4, 6, 1]);
    const crop = randomCrop({ size: [2, 3] });
    const out = crop.replay({ image: one, boxes: tensor([[0, 0, 1, 1], [2, 1, 5, 4], [4, 3, 6, 4]]), boxLabels: [7, 8, 9] }, params('randomCrop', [{ top: 1, left: 2 }]));
    expect(out.image.shape).toEqual([2, 3, 1]);
    // [0,0,1,1] leaves the crop; [4,3,6,4] keeps no height once clipped; [2,1,5,4] is shifted and clipped
    expect((out.boxes as ReturnType<typeof tensor>).toArray()).toEqual([[0, 0, 3, 2]]);
    expect(out.boxLabels).toEqual([8]);
  });

  it('masks in NCHW follow the layout', () => {
    const x = image(4, 4, 2, 1);
    const mask = image(4, 4, 1, 1, (_b, i, j) => i * 4 + j);
    const rot = randomRotation({ degrees: [90, 90], layout: 'NCHW' });
    const out = rot.apply({ image: toNchw(x), mask: toNchw(mask) });
    expect(out.mask!.shape).toEqual([1, 1, 4, 4]);
    expect(values(out.mask!)).toEqual(values(randomRotation({ degrees: [90, 90] }).apply(mask)));
  });
});
