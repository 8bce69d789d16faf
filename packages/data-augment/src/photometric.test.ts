import { tensor } from '@nn/tensor';
import { describe, expect, it } from 'vitest';
import { colorJitter, gaussianNoise, randomBrightness, randomContrast, randomErasing, type AugmentationParams } from './index.js';
import { image, values } from './testing.js';

const params = (transform: string, perImage: unknown[]): AugmentationParams => ({ transform, images: perImage.length, record: perImage });
const close = (a: number[], b: number[], digits = 5) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i], digits));

describe('gaussianNoise', () => {
  it('zero noise is the identity', () => {
    const x = image(5, 5, 3, 2, (b, i, j, k) => (b + i + j + k) / 20);
    expect(values(gaussianNoise({ std: 0, seed: 1 }).apply(x))).toEqual(values(x));
  });

  it('adds noise of the asked spread, scaled to the value range, and clips', () => {
    const x = tensor(new Float32Array(100 * 100).fill(0.5), [1, 100, 100, 1]);
    const v = values(gaussianNoise({ std: 0.05, seed: 3 }).apply(x));
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
    expect(mean).toBeCloseTo(0.5, 2);
    expect(sd).toBeCloseTo(0.05, 2);
    const x255 = tensor(new Float32Array(100 * 100).fill(128), [1, 100, 100, 1]);
    const v255 = values(gaussianNoise({ std: 0.05, seed: 3, valueRange: 255 }).apply(x255));
    close(v255.slice(0, 50), v.slice(0, 50).map((u) => 128 + (u - 0.5) * 255), 2);
    const wild = values(gaussianNoise({ std: 1, seed: 3 }).apply(x));
    expect(Math.min(...wild)).toBe(0);
    expect(Math.max(...wild)).toBe(1);
  });

  it('replays the very same noise', () => {
    const x = image(4, 4, 1, 3, (b, i, j) => (b + i + j) / 12);
    const noise = gaussianNoise({ seed: 5 });
    const out = noise.apply(x);
    expect(values(noise.replay(x))).toEqual(values(out));
  });
});

describe('randomBrightness and randomContrast', () => {
  const x = tensor([[[[0.2, 0.4]], [[0.6, 0.8]]]]); // 2x1 image, 2 channels

  it('brightness adds a fraction of the range, then clips', () => {
    close(values(randomBrightness({ factor: 0.5 }).replay(x, params('randomBrightness', [{ delta: 0.3 }]))), [0.5, 0.7, 0.9, 1]);
    close(values(randomBrightness({ factor: 0.5, valueRange: [0, 255] }).replay(x.mul(255), params('randomBrightness', [{ delta: -0.2 }]))), [0, 51, 102, 153], 3);
  });

  it('contrast scales about each channel mean, then clips', () => {
    // channel means 0.4 and 0.6; factor 2
    close(values(randomContrast({ factor: 1 }).replay(x, params('randomContrast', [{ factor: 2 }]))), [0, 0.2, 0.8, 1]);
    close(values(randomContrast({ factor: 1 }).replay(x, params('randomContrast', [{ factor: 0 }]))), [0.4, 0.6, 0.4, 0.6]);
  });

  it('draws factors in range', () => {
    const c = randomContrast({ factor: [0.5, 1.5], seed: 1 });
    c.apply(image(2, 2, 1, 30, () => 0.5));
    for (const { factor } of c.lastParams!.record as { factor: number }[]) expect(factor >= 0.5 && factor <= 1.5).toBe(true);
  });
});

describe('colorJitter', () => {
  const rgb = tensor([[[[1, 0, 0], [0.2, 0.4, 0.6]]]]); // one 1x2 RGB image
  const jit = (p: Partial<Record<'brightness' | 'contrast' | 'saturation' | 'hue', number>>) =>
    params('colorJitter', [{ order: [0, 1, 2, 3], brightness: null, contrast: null, saturation: null, hue: null, ...p }]);

  it('turns the hue: a third of a turn takes red to green', () => {
    close(values(colorJitter({ hue: 0.5 }).replay(rgb, jit({ hue: 1 / 3 }))).slice(0, 3), [0, 1, 0]);
    close(values(colorJitter({ hue: 0.5 }).replay(rgb, jit({ hue: -1 / 3 }))).slice(0, 3), [0, 0, 1]);
    // a zero turn through HSV and back changes nothing
    close(values(colorJitter({ hue: 0.5 }).replay(rgb, jit({ hue: 0 }))), values(rgb));
  });

  it("saturation 0 gives grey (ITU-R 601 luma, torchvision's weights), brightness and contrast blend as torchvision", () => {
    const grey = values(colorJitter({ saturation: 1 }).replay(rgb, jit({ saturation: 0 })));
    const g2 = 0.2 * 0.2989 + 0.4 * 0.587 + 0.6 * 0.114;
    close(grey, [0.2989, 0.2989, 0.2989, g2, g2, g2]);
    close(values(colorJitter({ brightness: 0.5 }).replay(rgb, jit({ brightness: 1.5 }))), [1, 0, 0, 0.3, 0.6, 0.9]);
    const m = (0.2989 + 0.2 * 0.2989 + 0.4 * 0.587 + 0.6 * 0.114) / 2;
    close(values(colorJitter({ contrast: 0.5 }).replay(rgb, jit({ contrast: 0.5 }))), [0.5 + 0.5 * m, 0.5 * m, 0.5 * m, 0.1 + 0.5 * m, 0.2 + 0.5 * m, 0.3 + 0.5 * m]);
  });

  it('means the same on [0, 255] images', () => {
    const a = colorJitter({ brightness: 0.3, contrast: 0.3, saturation: 0.3, hue: 0.1, seed: 2 }).apply(image(3, 3, 3, 2, (b, i, j, k) => ((b + i + j + k) % 5) / 5));
    const b = colorJitter({ brightness: 0.3, contrast: 0.3, saturation: 0.3, hue: 0.1, seed: 2, valueRange: 255 }).apply(image(3, 3, 3, 2, (b, i, j, k) => (((b + i + j + k) % 5) / 5) * 255));
    close(values(b).map((v) => v / 255), values(a), 4);
  });

  it('brightness and contrast work on any channel count', () => {
    expect(colorJitter({ brightness: 0.2, contrast: 0.2, seed: 1 }).apply(image(3, 3, 1, 2, () => 0.5)).shape).toEqual([2, 3, 3, 1]);
  });
});

describe('randomErasing', () => {
  it('blanks the sampled rectangle and nothing else', () => {
    const x = image(4, 5, 2, 1, () => 0.5);
    const out = randomErasing({ value: [0, 1] }).replay(x, params('randomErasing', [{ top: 1, left: 2, height: 2, width: 3 }]));
    const v = out.toArray() as number[][][][];
    for (let i = 0; i < 4; i++) for (let j = 0; j < 5; j++) expect(v[0][i][j]).toEqual(i >= 1 && i < 3 && j >= 2 ? [0, 1] : [0.5, 0.5]);
  });

  it('erases about p of the images, with areas in the scale range', () => {
    const er = randomErasing({ seed: 3 });
    er.apply(image(20, 20, 1, 200, () => 0.5));
    const rec = er.lastParams!.record as ({ height: number; width: number } | null)[];
    const erased = rec.filter((r) => r !== null);
    expect(erased.length).toBeGreaterThan(70);
    expect(erased.length).toBeLessThan(130);
    for (const r of erased) if (r!.height > 0) expect((r!.height * r!.width) / 400).toBeLessThan(0.4);
  });

  it('never erases the whole image: like torchvision, a region must be smaller than the image on both axes', () => {
    // scale [1, 1] and ratio [1, 1] ask for a 4x4 region of a 4x4 image: every try fails, nothing is erased.
    const x = image(4, 4, 1, 3, () => 0.5);
    const er = randomErasing({ p: 1, scale: [1, 1], ratio: [1, 1], seed: 1 });
    expect(values(er.apply(x))).toEqual(values(x));
    for (const r of er.lastParams!.record as { height: number }[]) expect(r.height).toBe(0);
  });

  it("'random' fills with values from the value range, replayed exactly", () => {
    const er = randomErasing({ p: 1, value: 'random', valueRange: [0, 255], seed: 8 });
    const x = image(10, 10, 3, 2, () => 300);
    const out = er.apply(x);
    const changed = values(out).filter((v) => v !== 300);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.every((v) => v >= 0 && v <= 255)).toBe(true);
    expect(values(er.replay(x))).toEqual(values(out));
  });
});
