import { registry, type JsonObject } from '@nn/core';
import { Generator } from '@nn/tensor';
import { COMMON_OPTIONS, SampleTransform, uniform, type CommonOptions } from './augmentation.js';
import type { Ctx, Sample } from './sample.js';
import { checkOptions, finite, invalid, range, show } from './validate.js';

export interface GaussianNoiseOptions extends CommonOptions {
  /** Standard deviation as a fraction of the value range (default 0.1); [min, max] draws one per image. */
  std?: number | [number, number];
  /** Mean of the noise, as a fraction of the value range (default 0). */
  mean?: number;
  /** Clip the result to the value range (default true, as torchvision's GaussianNoise). */
  clip?: boolean;
}

/** `seed` seeds the image's own noise, so a record replays the very same noise without storing it. */
interface NoiseParams {
  std: number;
  seed: number;
}

/** Adds per-pixel Gaussian noise. */
export class GaussianNoise extends SampleTransform<NoiseParams> {
  readonly name = 'gaussianNoise';
  readonly std: [number, number];
  readonly mean: number;
  readonly clip: boolean;

  constructor(options: GaussianNoiseOptions = {}) {
    const w = 'gaussianNoise';
    checkOptions(w, options, [...COMMON_OPTIONS, 'std', 'mean', 'clip']);
    super(w, options ?? {});
    this.std = range(w, 'std', options?.std ?? 0.1, (s) => [s, s], { min: 0 });
    this.mean = finite(w, 'mean', options?.mean ?? 0);
    this.clip = options?.clip ?? true;
    if (typeof this.clip !== 'boolean') throw invalid(w, `clip must be a boolean, got ${show(options?.clip)}`, { option: 'clip' });
  }

  protected sample(_s: Sample, ctx: Ctx): NoiseParams {
    return { std: uniform(ctx, this.std), seed: ctx.rng.nextUint32() };
  }

  protected transform(s: Sample, { std, seed }: NoiseParams, ctx: Ctx): void {
    const [lo, hi] = ctx.valueRange;
    const span = hi - lo;
    const x = s.image;
    if (std > 0 || this.mean !== 0) {
      const g = new Generator(seed);
      const m = this.mean * span;
      const sd = std * span;
      // Box–Muller on 32-bit uniforms, both outputs used: plenty for pixel noise, and ~3x faster than normal().
      for (let i = 0; i < x.length; i += 2) {
        const r = sd * Math.sqrt(-2 * Math.log((g.nextUint32() + 1) / 4294967297));
        const t = (2 * Math.PI * g.nextUint32()) / 4294967296;
        x[i] += m + r * Math.cos(t);
        if (i + 1 < x.length) x[i + 1] += m + r * Math.sin(t);
      }
    }
    if (this.clip) clipTo(x, lo, hi);
  }

  protected options(): Record<string, unknown> {
    return { std: this.std, mean: this.mean, clip: this.clip };
  }

  static fromConfig(config: JsonObject): GaussianNoise {
    return new GaussianNoise(config as unknown as GaussianNoiseOptions);
  }
}

export function clipTo(x: Float32Array, lo: number, hi: number): void {
  for (let i = 0; i < x.length; i++) x[i] = x[i] < lo ? lo : x[i] > hi ? hi : x[i];
}

export const gaussianNoise = (options?: GaussianNoiseOptions): GaussianNoise => new GaussianNoise(options);

registry.register('augmentation', 'gaussianNoise', GaussianNoise);
