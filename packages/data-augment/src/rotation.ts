import { registry, type JsonObject } from '@nn/core';
import { COMMON_OPTIONS, uniform } from './augmentation.js';
import { centerOf, centerOption, GEOMETRIC_OPTIONS, GeometricTransform, geometricOptions, type GeometricOptions, type ResolvedGeometric } from './geometric.js';
import { about, rotation, type Mat } from './matrix.js';
import type { Ctx, Sample } from './sample.js';
import { checkOptions, invalid, range } from './validate.js';

export interface RandomRotationOptions extends GeometricOptions {
  /** Angle range in degrees, counter-clockwise: `d` means [-d, d]; or [min, max]. Required. */
  degrees: number | [number, number];
  /** The point [x, y] (pixels) to rotate about; default the image centre. */
  center?: [number, number];
}

/** Rotates each image by an angle drawn uniformly from `degrees`. */
export class RandomRotation extends GeometricTransform<{ angle: number }> {
  readonly name = 'randomRotation';
  readonly degrees: [number, number];
  readonly center: [number, number] | undefined;
  protected readonly geo: ResolvedGeometric;

  constructor(options: RandomRotationOptions) {
    const w = 'randomRotation';
    checkOptions(w, options, [...COMMON_OPTIONS, ...GEOMETRIC_OPTIONS, 'degrees', 'center']);
    super(w, options ?? {});
    if (options?.degrees === undefined) throw invalid(w, 'degrees is required (e.g. { degrees: 10 } for [-10, 10])', { option: 'degrees' });
    this.degrees = range(w, 'degrees', options.degrees, (d) => [-d, d], { single: 'nonNegative' });
    this.center = centerOption(w, options.center);
    this.geo = geometricOptions(w, options);
  }

  protected sample(_s: Sample, ctx: Ctx): { angle: number } {
    return { angle: uniform(ctx, this.degrees) };
  }

  protected matrix(s: Sample, { angle }: { angle: number }): { m: Mat; outH: number; outW: number } {
    const [cx, cy] = centerOf(s, this.center);
    return { m: about(rotation(angle), cx, cy), outH: s.h, outW: s.w };
  }

  protected options(): Record<string, unknown> {
    return { degrees: this.degrees, center: this.center, ...this.geometricConfig() };
  }

  static fromConfig(config: JsonObject): RandomRotation {
    return new RandomRotation(config as unknown as RandomRotationOptions);
  }
}

export const randomRotation = (options: RandomRotationOptions): RandomRotation => new RandomRotation(options);

registry.register('augmentation', 'randomRotation', RandomRotation);
