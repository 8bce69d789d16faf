import { SampleTransform, type CommonOptions } from './augmentation.js';
import type { Mat } from './matrix.js';
import { FILL_MODES, INTERPOLATIONS, transformBoxes, warpAffine, type FillMode, type Interpolation } from './resample.js';
import type { Sample } from './sample.js';
import { fillFor, fillValue, finite, invalid, oneOf, show } from './validate.js';

/** Options of every transform that moves pixels. */
export interface GeometricOptions extends CommonOptions {
  /** 'bilinear' (default) or 'nearest'. Masks always use nearest. */
  interpolation?: Interpolation;
  /** How pixels from outside the image are filled: 'constant' (default), 'reflect', 'nearest' or 'wrap' (Keras' modes). */
  fillMode?: FillMode;
  /** The value for 'constant' fill: one number, or one per channel (absolute pixel values). Default 0. */
  fillValue?: number | number[];
  /** The mask's own fill value for 'constant' fill (e.g. an "ignore" class). Default 0. */
  maskFillValue?: number;
}

export const GEOMETRIC_OPTIONS = ['interpolation', 'fillMode', 'fillValue', 'maskFillValue'] as const;

export interface ResolvedGeometric {
  interpolation: Interpolation;
  fillMode: FillMode;
  fillValue: number | number[];
  maskFillValue: number;
}

export function geometricOptions(where: string, o: GeometricOptions, interpolation: Interpolation = 'bilinear'): ResolvedGeometric {
  return {
    interpolation: oneOf(where, 'interpolation', o.interpolation ?? interpolation, INTERPOLATIONS),
    fillMode: oneOf(where, 'fillMode', o.fillMode ?? 'constant', FILL_MODES),
    fillValue: fillValue(where, 'fillValue', o.fillValue ?? 0),
    maskFillValue: finite(where, 'maskFillValue', o.maskFillValue ?? 0),
  };
}

/**
 * Moves an image, its mask and its boxes under one forward map into an `outH` x `outW` frame: the image
 * with the chosen interpolation, the mask with nearest (labels stay labels), the boxes through their corners.
 */
export function warpSample(where: string, s: Sample, m: Mat, outH: number, outW: number, g: ResolvedGeometric): void {
  s.image = warpAffine(s.image, s.h, s.w, s.c, m, { outH, outW, interpolation: g.interpolation, fillMode: g.fillMode, fill: fillFor(where, 'fillValue', g.fillValue, s.c) });
  if (s.mask) {
    s.mask = warpAffine(s.mask, s.h, s.w, s.mc, m, { outH, outW, interpolation: 'nearest', fillMode: g.fillMode, fill: new Float32Array(s.mc).fill(g.maskFillValue) });
  }
  if (s.boxes) {
    const { boxes, kept } = transformBoxes(s.boxes, m, outW, outH);
    s.boxes = boxes;
    if (s.boxLabels) s.boxLabels = kept.map((k) => s.boxLabels![k]);
  }
  s.h = outH;
  s.w = outW;
}

/** A transform defined by one affine map per image, resampled once. */
export abstract class GeometricTransform<P> extends SampleTransform<P> {
  protected abstract readonly geo: ResolvedGeometric;

  /** The forward map (input pixels → output pixels) and output size for these parameters. */
  protected abstract matrix(s: Sample, params: P): { m: Mat; outH: number; outW: number };

  protected transform(s: Sample, params: P): void {
    const { m, outH, outW } = this.matrix(s, params);
    warpSample(this.name, s, m, outH, outW, this.geo);
  }

  protected geometricConfig(): ResolvedGeometric {
    return { ...this.geo };
  }
}

/** An optional centre [x, y] in pixels; the image centre when left out. */
export function centerOption(where: string, v: unknown): [number, number] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.length !== 2) throw invalid(where, `center must be [x, y] in pixels, got ${show(v)}`, { option: 'center', value: v });
  return [finite(where, 'center[0]', v[0]), finite(where, 'center[1]', v[1])];
}

export const centerOf = (s: Sample, center: [number, number] | undefined): [number, number] => center ?? [s.w / 2, s.h / 2];
