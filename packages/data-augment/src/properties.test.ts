import fc from 'fast-check';
import { tensor } from '@nn/tensor';
import { describe, expect, it } from 'vitest';
import { compose, gaussianNoise, randomAffine, randomCrop, randomFlip, randomResizedCrop, randomRotation, randomTranslation } from './index.js';
import { values } from './testing.js';

const dims = fc.record({ n: fc.integer({ min: 1, max: 3 }), h: fc.integer({ min: 1, max: 9 }), w: fc.integer({ min: 1, max: 9 }), c: fc.integer({ min: 1, max: 4 }) });
const imageOf = ({ n, h, w, c }: { n: number; h: number; w: number; c: number }) => tensor(Float32Array.from({ length: n * h * w * c }, (_, i) => (i * 37) % 101), [n, h, w, c]);

describe('properties', () => {
  it('flips are involutions, for any size and channel count', () => {
    fc.assert(
      fc.property(dims, fc.constantFrom('horizontal', 'vertical', 'horizontal_and_vertical') as fc.Arbitrary<'horizontal'>, (d, mode) => {
        const x = imageOf(d);
        const f = randomFlip({ mode, p: 1 });
        expect(values(f.apply(f.apply(x)))).toEqual(values(x));
      }),
    );
  });

  it('four quarter turns of a square image give it back exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 4 }), (s, c) => {
        const x = imageOf({ n: 2, h: s, w: s, c });
        const r = randomRotation({ degrees: [90, 90] });
        expect(values(r.apply(r.apply(r.apply(r.apply(x)))))).toEqual(values(x));
      }),
    );
  });

  it('masks keep their label set and boxes stay inside the image under any affine map', () => {
    fc.assert(
      fc.property(dims, fc.integer({ min: 0, max: 1000 }), fc.constantFrom('constant', 'reflect', 'nearest', 'wrap') as fc.Arbitrary<'constant'>, (d, seed, fillMode) => {
        const x = imageOf(d);
        const mask = tensor(Float32Array.from({ length: d.n * d.h * d.w }, (_, i) => i % 3), [d.n, d.h, d.w]);
        const boxes = Array.from({ length: d.n }, () => [[0, 0, d.w, d.h], [d.w / 4, d.h / 4, d.w / 2, d.h / 2]]);
        const t = randomAffine({ degrees: 45, translate: 0.3, scale: [0.5, 1.5], shear: 20, fillMode, maskFillValue: 7, seed });
        const out = t.apply({ image: x, mask, boxes });
        expect(values(out.mask!).every((v) => v === 0 || v === 1 || v === 2 || v === 7)).toBe(true);
        for (const list of out.boxes as number[][][]) {
          for (const [x1, y1, x2, y2] of list) {
            expect(0 <= x1 && x1 < x2 && x2 <= d.w && 0 <= y1 && y1 < y2 && y2 <= d.h).toBe(true);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('whole-pixel shifts move pixels exactly', () => {
    fc.assert(
      fc.property(dims, fc.integer({ min: -4, max: 4 }), fc.integer({ min: -4, max: 4 }), (d, dx, dy) => {
        const x = imageOf(d);
        const out = randomTranslation({ translate: 1, fillValue: -1 }).replay(x, { transform: 'randomTranslation', images: d.n, record: Array(d.n).fill({ dx, dy }) });
        const a = values(x);
        const b = values(out);
        for (let k = 0; k < d.n; k++)
          for (let i = 0; i < d.h; i++)
            for (let j = 0; j < d.w; j++)
              for (let ch = 0; ch < d.c; ch++) {
                const si = i - dy;
                const sj = j - dx;
                const inside = si >= 0 && si < d.h && sj >= 0 && sj < d.w;
                expect(b[((k * d.h + i) * d.w + j) * d.c + ch]).toBe(inside ? a[((k * d.h + si) * d.w + sj) * d.c + ch] : -1);
              }
      }),
    );
  });

  it('a seeded pipeline is a pure function of its seed, and replay of its record', () => {
    fc.assert(
      fc.property(dims, fc.integer({ min: 0, max: 2 ** 31 }), (d, seed) => {
        const make = () => compose([randomCrop({ size: [d.h, d.w], padding: 1 }), randomAffine({ degrees: 20 }), randomResizedCrop({ size: 4 }), gaussianNoise()], { seed });
        const x = imageOf(d);
        const p = make();
        const out = values(p.apply(x));
        expect(values(make().apply(x))).toEqual(out);
        expect(values(p.replay(x))).toEqual(out);
      }),
      { numRuns: 40 },
    );
  });

  it('an empty batch comes back as it is', () => {
    const empty = tensor(new Float32Array(0), [0, 4, 4, 3]);
    expect(randomAffine({ degrees: 10 }).apply(empty)).toBe(empty);
  });
});
