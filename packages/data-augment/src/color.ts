import { registry, type JsonObject } from '@nn/core';
import { COMMON_OPTIONS, SampleTransform, uniform, type CommonOptions } from './augmentation.js';
import { clipTo } from './noise.js';
import type { Ctx, Sample } from './sample.js';
import { checkOptions, invalid, range, shapeError } from './validate.js';

type Range = [number, number];

/** A multiplicative factor range: `f` means [max(0, 1 - f), 1 + f], or [min, max] with min >= 0 (torchvision's). */
const factorRange = (where: string, name: string, v: unknown): Range => range(where, name, v, (f) => [Math.max(0, 1 - f), 1 + f], { min: 0, single: 'nonNegative' });

export interface RandomBrightnessOptions extends CommonOptions {
  /** Shift added to every pixel, as a fraction of the value range: `f` means [-f, f]; or [min, max], within [-1, 1] (Keras'). Required. */
  factor: number | Range;
}

/** Keras' RandomBrightness: adds one delta per image, then clips to the value range. */
export class RandomBrightness extends SampleTransform<{ delta: number }> {
  readonly name = 'randomBrightness';
  readonly factor: Range;

  constructor(options: RandomBrightnessOptions) {
    const w = 'randomBrightness';
    checkOptions(w, options, [...COMMON_OPTIONS, 'factor']);
    super(w, options ?? {});
    if (options?.factor === undefined) throw invalid(w, 'factor is required (e.g. { factor: 0.2 } for shifts up to 20% of the value range)', { option: 'factor' });
    this.factor = range(w, 'factor', options.factor, (f) => [-f, f], { min: -1, max: 1, single: 'nonNegative' });
  }

  protected sample(_s: Sample, ctx: Ctx): { delta: number } {
    return { delta: uniform(ctx, this.factor) };
  }

  protected transform(s: Sample, { delta }: { delta: number }, ctx: Ctx): void {
    const [lo, hi] = ctx.valueRange;
    const d = delta * (hi - lo);
    const x = s.image;
    for (let i = 0; i < x.length; i++) x[i] += d;
    clipTo(x, lo, hi);
  }

  protected options(): Record<string, unknown> {
    return { factor: this.factor };
  }

  static fromConfig(config: JsonObject): RandomBrightness {
    return new RandomBrightness(config as unknown as RandomBrightnessOptions);
  }
}

export interface RandomContrastOptions extends CommonOptions {
  /** Contrast factor range: `f` means [max(0, 1 - f), 1 + f]; or [min, max] with min >= 0. Required. */
  factor: number | Range;
}

/** Keras' RandomContrast: (x - mean) · factor + mean, with each channel's own mean, clipped. */
export class RandomContrast extends SampleTransform<{ factor: number }> {
  readonly name = 'randomContrast';
  readonly factor: Range;

  constructor(options: RandomContrastOptions) {
    const w = 'randomContrast';
    checkOptions(w, options, [...COMMON_OPTIONS, 'factor']);
    super(w, options ?? {});
    if (options?.factor === undefined) throw invalid(w, 'factor is required (e.g. { factor: 0.2 } for contrast factors in [0.8, 1.2])', { option: 'factor' });
    this.factor = factorRange(w, 'factor', options.factor);
  }

  protected sample(_s: Sample, ctx: Ctx): { factor: number } {
    return { factor: uniform(ctx, this.factor) };
  }

  protected transform(s: Sample, { factor }: { factor: number }, ctx: Ctx): void {
    const { c } = s;
    const x = s.image;
    const n = x.length / c;
    const means = new Float64Array(c);
    for (let i = 0; i < x.length; i++) means[i % c] += x[i];
    for (let k = 0; k < c; k++) means[k] /= n;
    for (let i = 0; i < x.length; i++) x[i] = (x[i] - means[i % c]) * factor + means[i % c];
    clipTo(x, ctx.valueRange[0], ctx.valueRange[1]);
  }

  protected options(): Record<string, unknown> {
    return { factor: this.factor };
  }

  static fromConfig(config: JsonObject): RandomContrast {
    return new RandomContrast(config as unknown as RandomContrastOptions);
  }
}

export interface ColorJitterOptions extends CommonOptions {
  /** Brightness factor: `b` means [max(0, 1 - b), 1 + b]; or [min, max]. Default 0 (off). */
  brightness?: number | Range;
  /** Contrast factor, as brightness (blends with the mean grey level). */
  contrast?: number | Range;
  /** Saturation factor, as brightness (blends with each pixel's grey). RGB only. */
  saturation?: number | Range;
  /** Hue shift in turns: `h` means [-h, h], within [-0.5, 0.5]. RGB only. */
  hue?: number | Range;
}

interface JitterParams {
  /** Which adjustments run in which order (0 brightness, 1 contrast, 2 saturation, 3 hue). */
  order: number[];
  brightness: number | null;
  contrast: number | null;
  saturation: number | null;
  hue: number | null;
}

/** torchvision's ColorJitter: brightness, contrast, saturation and hue factors applied in a random order. */
export class ColorJitter extends SampleTransform<JitterParams> {
  readonly name = 'colorJitter';
  readonly brightness: Range | null;
  readonly contrast: Range | null;
  readonly saturation: Range | null;
  readonly hue: Range | null;

  constructor(options: ColorJitterOptions = {}) {
    const w = 'colorJitter';
    checkOptions(w, options, [...COMMON_OPTIONS, 'brightness', 'contrast', 'saturation', 'hue']);
    super(w, options ?? {});
    const o = options ?? {};
    const factor = (name: string, v: number | Range | undefined): Range | null => {
      if (v === undefined || v === 0) return null;
      const r = factorRange(w, name, v);
      return r[0] === 1 && r[1] === 1 ? null : r;
    };
    this.brightness = factor('brightness', o.brightness);
    this.contrast = factor('contrast', o.contrast);
    this.saturation = factor('saturation', o.saturation);
    const hue = o.hue === undefined || o.hue === 0 ? null : range(w, 'hue', o.hue, (h) => [-h, h], { min: -0.5, max: 0.5, single: 'nonNegative' });
    this.hue = hue && (hue[0] !== 0 || hue[1] !== 0) ? hue : null;
  }

  protected override check(s: Sample): void {
    if ((this.saturation || this.hue) && s.c !== 3) {
      throw shapeError(this.name, `saturation and hue need RGB images (3 channels), got ${s.c} channel(s); check layout, or use brightness/contrast only`, { channels: s.c });
    }
  }

  protected sample(_s: Sample, ctx: Ctx): JitterParams {
    const pick = (r: Range | null) => (r ? uniform(ctx, r) : null);
    const order = Array.from(ctx.rng.permutation(4));
    return { order, brightness: pick(this.brightness), contrast: pick(this.contrast), saturation: pick(this.saturation), hue: pick(this.hue) };
  }

  protected transform(s: Sample, p: JitterParams, ctx: Ctx): void {
    const [lo, hi] = ctx.valueRange;
    const span = hi - lo;
    const x = s.image;
    // Work in [0, 1] so that the factors mean the same for [0, 1] and [0, 255] images.
    for (let i = 0; i < x.length; i++) x[i] = (x[i] - lo) / span;
    for (const op of p.order) {
      if (op === 0 && p.brightness !== null) blend(x, p.brightness, () => 0);
      else if (op === 1 && p.contrast !== null) {
        const m = meanGrey(x, s.c);
        blend(x, p.contrast, () => m);
      } else if (op === 2 && p.saturation !== null) {
        const grey = greyPerPixel(x);
        blend(x, p.saturation, (i) => grey[(i / 3) | 0]);
      } else if (op === 3 && p.hue !== null) shiftHue(x, p.hue);
    }
    for (let i = 0; i < x.length; i++) x[i] = lo + x[i] * span;
  }

  protected options(): Record<string, unknown> {
    return { brightness: this.brightness ?? 0, contrast: this.contrast ?? 0, saturation: this.saturation ?? 0, hue: this.hue ?? 0 };
  }

  static fromConfig(config: JsonObject): ColorJitter {
    return new ColorJitter(config as unknown as ColorJitterOptions);
  }
}

/** f·x + (1 - f)·other, clipped to [0, 1]: torchvision's `_blend`. */
function blend(x: Float32Array, f: number, other: (i: number) => number): void {
  for (let i = 0; i < x.length; i++) {
    const v = f * x[i] + (1 - f) * other(i);
    x[i] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
}

/** ITU-R 601 luma with torchvision's rounded weights (rgb_to_grayscale), so results match it. */
function greyPerPixel(x: Float32Array): Float32Array {
  const g = new Float32Array(x.length / 3);
  for (let p = 0; p < g.length; p++) g[p] = 0.2989 * x[3 * p] + 0.587 * x[3 * p + 1] + 0.114 * x[3 * p + 2];
  return g;
}

function meanGrey(x: Float32Array, c: number): number {
  let sum = 0;
  if (c === 3) {
    const g = greyPerPixel(x);
    for (let i = 0; i < g.length; i++) sum += g[i];
    return sum / g.length;
  }
  for (let i = 0; i < x.length; i++) sum += x[i];
  return sum / x.length;
}

/** Rotates the hue of RGB pixels in [0, 1] by `shift` turns, through HSV. */
export function shiftHue(x: Float32Array, shift: number): void {
  for (let p = 0; p < x.length; p += 3) {
    const r = x[p];
    const g = x[p + 1];
    const b = x[p + 2];
    const max = Math.max(r, g, b);
    const min = Math.min(r, g, b);
    const delta = max - min;
    if (delta === 0) continue; // grey: no hue to turn
    let h = max === r ? (g - b) / delta : max === g ? (b - r) / delta + 2 : (r - g) / delta + 4;
    h = (((h / 6 + shift) % 1) + 1) % 1;
    const s = delta / max;
    const v = max;
    const h6 = h * 6;
    const i = Math.floor(h6) % 6;
    const f = h6 - Math.floor(h6);
    const pp = v * (1 - s);
    const q = v * (1 - s * f);
    const t = v * (1 - s * (1 - f));
    const rgb = [
      [v, t, pp],
      [q, v, pp],
      [pp, v, t],
      [pp, q, v],
      [t, pp, v],
      [v, pp, q],
    ][i];
    x[p] = rgb[0];
    x[p + 1] = rgb[1];
    x[p + 2] = rgb[2];
  }
}

export const randomBrightness = (options: RandomBrightnessOptions): RandomBrightness => new RandomBrightness(options);
export const randomContrast = (options: RandomContrastOptions): RandomContrast => new RandomContrast(options);
export const colorJitter = (options?: ColorJitterOptions): ColorJitter => new ColorJitter(options);

registry.register('augmentation', 'randomBrightness', RandomBrightness);
registry.register('augmentation', 'randomContrast', RandomContrast);
registry.register('augmentation', 'colorJitter', ColorJitter);
