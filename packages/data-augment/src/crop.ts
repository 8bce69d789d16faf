import { registry, type JsonObject } from '@nn/core';
import { COMMON_OPTIONS, uniform } from './augmentation.js';
import { GeometricTransform, geometricOptions, warpSample, type GeometricOptions, type ResolvedGeometric } from './geometric.js';
import { chain, scaling, translation, type Mat } from './matrix.js';
import { INTERPOLATIONS, type FillMode, type Interpolation } from './resample.js';
import type { Ctx, Sample } from './sample.js';
import { checkOptions, invalid, nonNegativeInteger, oneOf, range, shapeError, show, size2 } from './validate.js';

export interface RandomCropOptions extends Omit<GeometricOptions, 'interpolation'> {
  /** Output [height, width] (or one number for a square). Required. */
  size: number | [number, number];
  /** Padding added before cropping: `p` on every side, [x, y] (left/right, top/bottom), or [left, top, right, bottom] (torchvision's order). */
  padding?: number | [number, number] | [number, number, number, number];
  /** Pad further (evenly) when the image is still smaller than `size`, instead of throwing. */
  padIfNeeded?: boolean;
  /** How the padding is filled: 'constant' (default, `fillValue`), 'reflect', 'nearest' or 'wrap'. */
  fillMode?: FillMode;
}

/** Offsets of the crop's top-left corner in input pixels (negative: inside the padding). */
interface CropParams {
  top: number;
  left: number;
}

/** Cuts a window of fixed size at a random place, after optional padding: whole pixels, no resampling blur. */
export class RandomCrop extends GeometricTransform<CropParams> {
  readonly name = 'randomCrop';
  readonly size: [number, number];
  /** [left, top, right, bottom] */
  readonly padding: [number, number, number, number];
  readonly padIfNeeded: boolean;
  protected readonly geo: ResolvedGeometric;

  constructor(options: RandomCropOptions) {
    const w = 'randomCrop';
    checkOptions(w, options, [...COMMON_OPTIONS, 'fillMode', 'fillValue', 'maskFillValue', 'size', 'padding', 'padIfNeeded']);
    super(w, options ?? {});
    if (options?.size === undefined) throw invalid(w, 'size is required (e.g. { size: 32, padding: 4 })', { option: 'size' });
    this.size = size2(w, 'size', options.size);
    const pad = options.padding ?? 0;
    const p = typeof pad === 'number' ? [pad, pad, pad, pad] : Array.isArray(pad) && pad.length === 2 ? [pad[0], pad[1], pad[0], pad[1]] : pad;
    if (!Array.isArray(p) || p.length !== 4) throw invalid(w, `padding must be a number, [x, y] or [left, top, right, bottom], got ${show(pad)}`, { option: 'padding' });
    this.padding = p.map((v, i) => nonNegativeInteger(w, `padding[${i}]`, v)) as [number, number, number, number];
    this.padIfNeeded = options.padIfNeeded ?? false;
    if (typeof this.padIfNeeded !== 'boolean') throw invalid(w, `padIfNeeded must be a boolean, got ${show(options.padIfNeeded)}`, { option: 'padIfNeeded' });
    this.geo = geometricOptions(w, { ...options, interpolation: 'nearest' });
  }

  protected sample(s: Sample, ctx: Ctx): CropParams {
    const [oh, ow] = this.size;
    let [l, t, r, b] = this.padding;
    const dh = oh - (s.h + t + b);
    const dw = ow - (s.w + l + r);
    if ((dh > 0 || dw > 0) && !this.padIfNeeded) {
      throw shapeError(this.name, `crop size [${oh},${ow}] is larger than the padded image [${s.h + t + b},${s.w + l + r}]; add padding or pass padIfNeeded: true`, { size: this.size });
    }
    if (dh > 0) [t, b] = [t + Math.floor(dh / 2), b + Math.ceil(dh / 2)];
    if (dw > 0) [l, r] = [l + Math.floor(dw / 2), r + Math.ceil(dw / 2)];
    return { top: -t + ctx.rng.int(s.h + t + b - oh + 1), left: -l + ctx.rng.int(s.w + l + r - ow + 1) };
  }

  protected matrix(_s: Sample, { top, left }: CropParams): { m: Mat; outH: number; outW: number } {
    return { m: translation(-left, -top), outH: this.size[0], outW: this.size[1] };
  }

  protected options(): Record<string, unknown> {
    const { fillMode, fillValue, maskFillValue } = this.geo;
    return { size: this.size, padding: this.padding, padIfNeeded: this.padIfNeeded, fillMode, fillValue, maskFillValue };
  }

  static fromConfig(config: JsonObject): RandomCrop {
    return new RandomCrop(config as unknown as RandomCropOptions);
  }
}

export interface RandomResizedCropOptions extends Omit<GeometricOptions, 'fillMode' | 'fillValue' | 'maskFillValue'> {
  /** Output [height, width] (or one number). Required. */
  size: number | [number, number];
  /** Range of the crop's area as a fraction of the image (default [0.08, 1], torchvision's). */
  scale?: [number, number];
  /** Range of the crop's aspect ratio width/height, drawn log-uniformly (default [3/4, 4/3]). */
  ratio?: [number, number];
  interpolation?: Interpolation;
}

interface ResizedCropParams {
  top: number;
  left: number;
  height: number;
  width: number;
}

/** torchvision's RandomResizedCrop: a crop of random area and aspect ratio, resized to `size`. */
export class RandomResizedCrop extends GeometricTransform<ResizedCropParams> {
  readonly name = 'randomResizedCrop';
  readonly size: [number, number];
  readonly scale: [number, number];
  readonly ratio: [number, number];
  protected readonly geo: ResolvedGeometric;

  constructor(options: RandomResizedCropOptions) {
    const w = 'randomResizedCrop';
    checkOptions(w, options, [...COMMON_OPTIONS, 'size', 'scale', 'ratio', 'interpolation']);
    super(w, options ?? {});
    if (options?.size === undefined) throw invalid(w, 'size is required (e.g. { size: 224 })', { option: 'size' });
    this.size = size2(w, 'size', options.size);
    this.scale = range(w, 'scale', options.scale ?? [0.08, 1], (x) => [x, x], { min: 0 });
    if (this.scale[1] <= 0) throw invalid(w, `scale must allow a positive area, got ${show(this.scale)}`, { option: 'scale' });
    this.ratio = range(w, 'ratio', options.ratio ?? [3 / 4, 4 / 3], (x) => [x, x]);
    if (this.ratio[0] <= 0) throw invalid(w, `ratio must be positive, got ${show(this.ratio)}`, { option: 'ratio' });
    // 'nearest' fill: past the window's edge the resize repeats the edge pixel (torchvision's resize of the crop).
    this.geo = { ...geometricOptions(w, { interpolation: oneOf(w, 'interpolation', options.interpolation ?? 'bilinear', INTERPOLATIONS) }), fillMode: 'nearest' };
  }

  protected sample(s: Sample, ctx: Ctx): ResizedCropParams {
    const area = s.h * s.w;
    const logRatio: [number, number] = [Math.log(this.ratio[0]), Math.log(this.ratio[1])];
    for (let attempt = 0; attempt < 10; attempt++) {
      const target = area * uniform(ctx, this.scale);
      const aspect = Math.exp(uniform(ctx, logRatio));
      const width = Math.round(Math.sqrt(target * aspect));
      const height = Math.round(Math.sqrt(target / aspect));
      if (width > 0 && width <= s.w && height > 0 && height <= s.h) {
        return { top: ctx.rng.int(s.h - height + 1), left: ctx.rng.int(s.w - width + 1), height, width };
      }
    }
    // torchvision's fallback: a central crop with the ratio clamped into range.
    const inRatio = s.w / s.h;
    let width = s.w;
    let height = s.h;
    if (inRatio < this.ratio[0]) height = Math.round(width / this.ratio[0]);
    else if (inRatio > this.ratio[1]) width = Math.round(height * this.ratio[1]);
    return { top: Math.floor((s.h - height) / 2), left: Math.floor((s.w - width) / 2), height, width };
  }

  protected matrix(_s: Sample, p: ResizedCropParams): { m: Mat; outH: number; outW: number } {
    const [oh, ow] = this.size;
    return { m: chain(translation(-p.left, -p.top), scaling(ow / p.width, oh / p.height)), outH: oh, outW: ow };
  }

  /** Cut the window first, then resize it: taps past its edge repeat the edge, as in torchvision, rather than read the pixels beyond. */
  protected override transform(s: Sample, p: ResizedCropParams): void {
    warpSample(this.name, s, translation(-p.left, -p.top), p.height, p.width, { ...this.geo, interpolation: 'nearest' });
    const [oh, ow] = this.size;
    warpSample(this.name, s, scaling(ow / p.width, oh / p.height), oh, ow, this.geo);
  }

  protected options(): Record<string, unknown> {
    return { size: this.size, scale: this.scale, ratio: this.ratio, interpolation: this.geo.interpolation };
  }

  static fromConfig(config: JsonObject): RandomResizedCrop {
    return new RandomResizedCrop(config as unknown as RandomResizedCropOptions);
  }
}

export const randomCrop = (options: RandomCropOptions): RandomCrop => new RandomCrop(options);
export const randomResizedCrop = (options: RandomResizedCropOptions): RandomResizedCrop => new RandomResizedCrop(options);

registry.register('augmentation', 'randomCrop', RandomCrop);
registry.register('augmentation', 'randomResizedCrop', RandomResizedCrop);
