import type { JsonObject } from '@nn/core';
import { SampleTransform, type CommonOptions, type Ctx, type Sample } from '@nn/data-augment';

/** Inverts an image within its value range (`lo + hi − x`), with probability `p`: a photometric transform. */
export class RandomInvert extends SampleTransform<Record<string, never>> {
  readonly name = 'randomInvert';

  constructor(options: CommonOptions = {}) {
    super('randomInvert', options, 0.5);
  }

  protected sample(): Record<string, never> {
    return {};
  }

  protected transform(s: Sample, _params: Record<string, never>, ctx: Ctx): void {
    const [lo, hi] = ctx.valueRange;
    for (let i = 0; i < s.image.length; i++) s.image[i] = lo + hi - s.image[i]!;
  }

  protected options(): Record<string, unknown> {
    return {};
  }

  static fromConfig(config: JsonObject): RandomInvert {
    return new RandomInvert(config as CommonOptions);
  }
}
