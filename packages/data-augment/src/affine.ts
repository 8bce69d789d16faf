import { registry, type JsonObject } from '@nn/core';
import { COMMON_OPTIONS, uniform } from './augmentation.js';
import { centerOf, centerOption, GEOMETRIC_OPTIONS, GeometricTransform, geometricOptions, type GeometricOptions, type ResolvedGeometric } from './geometric.js';
import { about, chain, cosSinDeg, scaling, translation, type Mat } from './matrix.js';
import type { Ctx, Sample } from './sample.js';
import { checkOptions, finite, invalid, oneOf, range, show } from './validate.js';

type Range = [number, number];

/** Translation limits as fractions of the width and height (`t` means the same for both). */
function translateOption(where: string, v: unknown, bound: number | undefined): [number, number] {
  const pair = typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(pair) || pair.length !== 2) throw invalid(where, `translate must be a number or [maxX, maxY], got ${show(v)}`, { option: 'translate', value: v });
  return pair.map((x, i) => {
    const t = finite(where, `translate[${i}]`, x);
    if (t < 0 || (bound !== undefined && t > bound)) throw invalid(where, `translate[${i}] must be in [0, ${bound ?? 'inf'}], got ${t}`, { option: 'translate', value: v });
    return t;
  }) as [number, number];
}

export interface RandomTranslationOptions extends GeometricOptions {
  /** The largest shift [x, y] (or one number for both), as a fraction of the width/height — or in pixels with `unit: 'pixel'`. Required. */
  translate: number | [number, number];
  unit?: 'fraction' | 'pixel';
}

/** Shifts each image by dx ∈ [-tx, tx], dy ∈ [-ty, ty]; a whole-pixel shift moves pixels exactly. */
export class RandomTranslation extends GeometricTransform<{ dx: number; dy: number }> {
  readonly name = 'randomTranslation';
  readonly translate: [number, number];
  readonly unit: 'fraction' | 'pixel';
  protected readonly geo: ResolvedGeometric;

  constructor(options: RandomTranslationOptions) {
    const w = 'randomTranslation';
    checkOptions(w, options, [...COMMON_OPTIONS, ...GEOMETRIC_OPTIONS, 'translate', 'unit']);
    super(w, options ?? {});
    if (options?.translate === undefined) throw invalid(w, 'translate is required (e.g. { translate: 0.1 } for up to 10% of the size)', { option: 'translate' });
    this.unit = oneOf(w, 'unit', options.unit ?? 'fraction', ['fraction', 'pixel'] as const);
    this.translate = translateOption(w, options.translate, this.unit === 'fraction' ? 1 : undefined);
    this.geo = geometricOptions(w, options);
  }

  protected sample(s: Sample, ctx: Ctx): { dx: number; dy: number } {
    const [tx, ty] = this.unit === 'fraction' ? [this.translate[0] * s.w, this.translate[1] * s.h] : this.translate;
    return { dx: uniform(ctx, [-tx, tx]), dy: uniform(ctx, [-ty, ty]) };
  }

  protected matrix(s: Sample, { dx, dy }: { dx: number; dy: number }): { m: Mat; outH: number; outW: number } {
    return { m: translation(dx, dy), outH: s.h, outW: s.w };
  }

  protected options(): Record<string, unknown> {
    return { translate: this.translate, unit: this.unit, ...this.geometricConfig() };
  }

  static fromConfig(config: JsonObject): RandomTranslation {
    return new RandomTranslation(config as unknown as RandomTranslationOptions);
  }
}

export interface RandomZoomOptions extends GeometricOptions {
  /** Scale factor range: `z` means [1 - z, 1 + z]; or [min, max]. Above 1 enlarges the content (zooms in). Required. */
  scale: number | Range;
  center?: [number, number];
}

/** Scales each image about its centre by a factor drawn from `scale` (same factor on both axes). */
export class RandomZoom extends GeometricTransform<{ scale: number }> {
  readonly name = 'randomZoom';
  readonly scale: Range;
  readonly center: [number, number] | undefined;
  protected readonly geo: ResolvedGeometric;

  constructor(options: RandomZoomOptions) {
    const w = 'randomZoom';
    checkOptions(w, options, [...COMMON_OPTIONS, ...GEOMETRIC_OPTIONS, 'scale', 'center']);
    super(w, options ?? {});
    if (options?.scale === undefined) throw invalid(w, 'scale is required (e.g. { scale: [0.9, 1.1] })', { option: 'scale' });
    this.scale = range(w, 'scale', options.scale, (z) => [1 - z, 1 + z], { single: 'nonNegative' });
    if (this.scale[0] <= 0) throw invalid(w, `scale factors must be positive, got ${show(this.scale)}`, { option: 'scale' });
    this.center = centerOption(w, options.center);
    this.geo = geometricOptions(w, options);
  }

  protected sample(_s: Sample, ctx: Ctx): { scale: number } {
    return { scale: uniform(ctx, this.scale) };
  }

  protected matrix(s: Sample, { scale }: { scale: number }): { m: Mat; outH: number; outW: number } {
    const [cx, cy] = centerOf(s, this.center);
    return { m: about(scaling(scale, scale), cx, cy), outH: s.h, outW: s.w };
  }

  protected options(): Record<string, unknown> {
    return { scale: this.scale, center: this.center, ...this.geometricConfig() };
  }

  static fromConfig(config: JsonObject): RandomZoom {
    return new RandomZoom(config as unknown as RandomZoomOptions);
  }
}

export interface RandomAffineOptions extends GeometricOptions {
  /** Rotation range in degrees (counter-clockwise): `d` means [-d, d]. Default 0. */
  degrees?: number | Range;
  /** Largest shift [x, y] as fractions of the width/height (torchvision's `translate`). Default none. */
  translate?: number | [number, number];
  /** Scale range [min, max]. Default 1. */
  scale?: Range;
  /** Shear in degrees (torchvision's): `s` means x-shear in [-s, s]; [min, max] for x; [xmin, xmax, ymin, ymax] for both. Default 0. */
  shear?: number | Range | [number, number, number, number];
  center?: [number, number];
}

export interface AffineParams {
  angle: number;
  dx: number;
  dy: number;
  scale: number;
  shearX: number;
  shearY: number;
}

/**
 * Rotation, scale, shear and shift composed into one matrix and resampled once — sharper and faster than
 * chaining the separate transforms, which would interpolate (and fill) at every step.
 */
export class RandomAffine extends GeometricTransform<AffineParams> {
  readonly name = 'randomAffine';
  readonly degrees: Range;
  readonly translate: [number, number];
  readonly scale: Range;
  readonly shear: [number, number, number, number];
  readonly center: [number, number] | undefined;
  protected readonly geo: ResolvedGeometric;

  constructor(options: RandomAffineOptions = {}) {
    const w = 'randomAffine';
    checkOptions(w, options, [...COMMON_OPTIONS, ...GEOMETRIC_OPTIONS, 'degrees', 'translate', 'scale', 'shear', 'center']);
    super(w, options ?? {});
    const o = options ?? {};
    this.degrees = range(w, 'degrees', o.degrees ?? 0, (d) => [-d, d], { single: 'nonNegative' });
    this.translate = translateOption(w, o.translate ?? 0, 1);
    this.scale = o.scale === undefined ? [1, 1] : range(w, 'scale', o.scale, (z) => [z, z]);
    if (this.scale[0] <= 0) throw invalid(w, `scale factors must be positive, got ${show(this.scale)}`, { option: 'scale' });
    const sh = o.shear ?? 0;
    if (Array.isArray(sh) && sh.length === 4) {
      const x = range(w, 'shear (x)', [sh[0], sh[1]], (d) => [-d, d]);
      const y = range(w, 'shear (y)', [sh[2], sh[3]], (d) => [-d, d]);
      this.shear = [...x, ...y];
    } else {
      this.shear = [...range(w, 'shear', sh, (d) => [-d, d], { single: 'nonNegative' }), 0, 0];
    }
    if (this.shear.some((s) => Math.abs(s) >= 90)) throw invalid(w, `shear angles must lie strictly between -90 and 90 degrees, got ${show(this.shear)}`, { option: 'shear' });
    this.center = centerOption(w, o.center);
    this.geo = geometricOptions(w, o);
  }

  protected sample(s: Sample, ctx: Ctx): AffineParams {
    const angle = uniform(ctx, this.degrees);
    const tx = this.translate[0] * s.w;
    const ty = this.translate[1] * s.h;
    return {
      angle,
      dx: uniform(ctx, [-tx, tx]),
      dy: uniform(ctx, [-ty, ty]),
      scale: uniform(ctx, this.scale),
      shearX: uniform(ctx, [this.shear[0], this.shear[1]]),
      shearY: uniform(ctx, [this.shear[2], this.shear[3]]),
    };
  }

  protected matrix(s: Sample, p: AffineParams): { m: Mat; outH: number; outW: number } {
    return { m: affineMatrix(p, centerOf(s, this.center)), outH: s.h, outW: s.w };
  }

  protected options(): Record<string, unknown> {
    return { degrees: this.degrees, translate: this.translate, scale: this.scale, shear: this.shear, center: this.center, ...this.geometricConfig() };
  }

  static fromConfig(config: JsonObject): RandomAffine {
    return new RandomAffine(config as unknown as RandomAffineOptions);
  }
}

/**
 * torchvision's affine map (`_get_inverse_affine_matrix`, forward): scale, shear and rotation about the
 * centre, then the shift — except that the angle here is counter-clockwise, as in every rotation of this
 * package, where torchvision's `affine` turns clockwise. Shear follows torchvision: a positive x-shear moves
 * the rows below the centre to the left. Exact at multiples of 90° without shear.
 */
export function affineMatrix(p: AffineParams, [cx, cy]: [number, number]): Mat {
  const [cosRot, sinRot] = cosSinDeg(-p.angle);
  const [cosRS, sinRS] = cosSinDeg(-p.angle - p.shearY);
  const [cosY] = cosSinDeg(p.shearY);
  const [cosX, sinX] = cosSinDeg(p.shearX);
  const tanX = sinX / cosX;
  const s = p.scale;
  const linear: Mat = [
    (s * cosRS) / cosY,
    s * ((-cosRS * tanX) / cosY - sinRot),
    0,
    (s * sinRS) / cosY,
    s * ((-sinRS * tanX) / cosY + cosRot),
    0,
  ];
  return chain(about(linear, cx, cy), translation(p.dx, p.dy));
}

export const randomTranslation = (options: RandomTranslationOptions): RandomTranslation => new RandomTranslation(options);
export const randomZoom = (options: RandomZoomOptions): RandomZoom => new RandomZoom(options);
export const randomAffine = (options?: RandomAffineOptions): RandomAffine => new RandomAffine(options);

registry.register('augmentation', 'randomTranslation', RandomTranslation);
registry.register('augmentation', 'randomZoom', RandomZoom);
registry.register('augmentation', 'randomAffine', RandomAffine);
