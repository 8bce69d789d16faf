import { registry, type JsonObject } from '@nn/core';
import { Generator } from '@nn/tensor';
import { COMMON_OPTIONS, SampleTransform, uniform, type CommonOptions } from './augmentation.js';
import type { Ctx, Sample } from './sample.js';
import { checkOptions, fillFor, fillValue, invalid, range, show } from './validate.js';

export interface RandomErasingOptions extends CommonOptions {
  /** Probability of erasing (default 0.5, torchvision's). */
  p?: number;
  /** Range of the erased area as a fraction of the image (default [0.02, 0.33]). */
  scale?: [number, number];
  /** Range of the erased box's aspect ratio, drawn log-uniformly (default [0.3, 3.3]). */
  ratio?: [number, number];
  /** Fill: a pixel value, one per channel, or 'random' (uniform over the value range). Default 0. */
  value?: number | number[] | 'random';
}

/** An empty region (height 0) means no box fit in ten tries: nothing was erased. */
interface ErasingParams {
  top: number;
  left: number;
  height: number;
  width: number;
  seed?: number;
}

/** Random erasing / cutout (Zhong et al.; torchvision's RandomErasing): blanks one rectangle of the image. */
export class RandomErasing extends SampleTransform<ErasingParams> {
  readonly name = 'randomErasing';
  readonly scale: [number, number];
  readonly ratio: [number, number];
  readonly value: number | number[] | 'random';

  constructor(options: RandomErasingOptions = {}) {
    const w = 'randomErasing';
    checkOptions(w, options, [...COMMON_OPTIONS, 'scale', 'ratio', 'value']);
    super(w, options ?? {}, 0.5);
    const o = options ?? {};
    this.scale = range(w, 'scale', o.scale ?? [0.02, 0.33], (x) => [x, x], { min: 0, max: 1 });
    this.ratio = range(w, 'ratio', o.ratio ?? [0.3, 3.3], (x) => [x, x]);
    if (this.ratio[0] <= 0) throw invalid(w, `ratio must be positive, got ${show(this.ratio)}`, { option: 'ratio' });
    this.value = o.value === 'random' ? 'random' : fillValue(w, 'value', o.value ?? 0);
  }

  protected sample(s: Sample, ctx: Ctx): ErasingParams {
    const area = s.h * s.w;
    const logRatio: [number, number] = [Math.log(this.ratio[0]), Math.log(this.ratio[1])];
    for (let attempt = 0; attempt < 10; attempt++) {
      const target = area * uniform(ctx, this.scale);
      const aspect = Math.exp(uniform(ctx, logRatio));
      const height = Math.round(Math.sqrt(target * aspect));
      const width = Math.round(Math.sqrt(target / aspect));
      // torchvision's test: the region must be strictly smaller than the image, so the whole image is never erased.
      if (height < 1 || width < 1 || height >= s.h || width >= s.w) continue;
      const p: ErasingParams = { top: ctx.rng.int(s.h - height + 1), left: ctx.rng.int(s.w - width + 1), height, width };
      if (this.value === 'random') p.seed = ctx.rng.nextUint32();
      return p;
    }
    return { top: 0, left: 0, height: 0, width: 0 };
  }

  protected transform(s: Sample, p: ErasingParams, ctx: Ctx): void {
    const { c, w } = s;
    const x = s.image;
    const [lo, hi] = ctx.valueRange;
    const g = this.value === 'random' ? new Generator(p.seed ?? 0) : undefined;
    const fill = this.value === 'random' ? undefined : fillFor(this.name, 'value', this.value, c);
    const bottom = Math.min(s.h, p.top + p.height);
    const right = Math.min(w, p.left + p.width);
    for (let i = Math.max(0, p.top); i < bottom; i++) {
      for (let j = Math.max(0, p.left); j < right; j++) {
        const d = (i * w + j) * c;
        for (let k = 0; k < c; k++) x[d + k] = fill ? fill[k] : lo + (hi - lo) * g!.uniform();
      }
    }
  }

  protected options(): Record<string, unknown> {
    return { scale: this.scale, ratio: this.ratio, value: this.value };
  }

  static fromConfig(config: JsonObject): RandomErasing {
    return new RandomErasing(config as unknown as RandomErasingOptions);
  }
}

export const randomErasing = (options?: RandomErasingOptions): RandomErasing => new RandomErasing(options);

registry.register('augmentation', 'randomErasing', RandomErasing);
