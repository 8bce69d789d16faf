import { registry, type JsonObject } from '@nn/core';
import { COMMON_OPTIONS, gate, SampleTransform, type CommonOptions } from './augmentation.js';
import type { Ctx, Sample } from './sample.js';
import { checkOptions, oneOf } from './validate.js';

export type FlipMode = 'horizontal' | 'vertical' | 'horizontal_and_vertical';

export interface RandomFlipOptions extends CommonOptions {
  /** Which axes may flip (Keras' names): default 'horizontal'. With both, each axis flips independently. */
  mode?: FlipMode;
  /** Probability that an axis flips (default 0.5, as torchvision's RandomHorizontalFlip). */
  p?: number;
}

interface FlipParams {
  horizontal: boolean;
  vertical: boolean;
}

/** Mirrors images left-right and/or top-bottom: exact index reversal, no resampling. */
export class RandomFlip extends SampleTransform<FlipParams> {
  readonly name = 'randomFlip';
  readonly mode: FlipMode;

  constructor(options: RandomFlipOptions = {}) {
    const w = 'randomFlip';
    checkOptions(w, options, [...COMMON_OPTIONS, 'mode']);
    super(w, options ?? {}, 0.5);
    this.mode = oneOf(w, 'mode', options?.mode ?? 'horizontal', ['horizontal', 'vertical', 'horizontal_and_vertical'] as const);
    this.gated = false;
  }

  protected sample(_s: Sample, ctx: Ctx): FlipParams {
    return {
      horizontal: this.mode !== 'vertical' && gate(ctx, this.p),
      vertical: this.mode !== 'horizontal' && gate(ctx, this.p),
    };
  }

  protected transform(s: Sample, { horizontal, vertical }: FlipParams): void {
    if (!horizontal && !vertical) return;
    s.image = flipHwc(s.image, s.h, s.w, s.c, horizontal, vertical);
    if (s.mask) s.mask = flipHwc(s.mask, s.h, s.w, s.mc, horizontal, vertical);
    if (s.boxes) {
      s.boxes = s.boxes.map(([x1, y1, x2, y2]) => [horizontal ? s.w - x2 : x1, vertical ? s.h - y2 : y1, horizontal ? s.w - x1 : x2, vertical ? s.h - y1 : y2]);
    }
  }

  protected options(): Record<string, unknown> {
    return { mode: this.mode };
  }

  static fromConfig(config: JsonObject): RandomFlip {
    return new RandomFlip(config as unknown as RandomFlipOptions);
  }
}

export function flipHwc(src: Float32Array, h: number, w: number, c: number, horizontal: boolean, vertical: boolean): Float32Array {
  const out = new Float32Array(src.length);
  for (let i = 0; i < h; i++) {
    const si = vertical ? h - 1 - i : i;
    for (let j = 0; j < w; j++) {
      const sj = horizontal ? w - 1 - j : j;
      const d = (i * w + j) * c;
      const s = (si * w + sj) * c;
      for (let k = 0; k < c; k++) out[d + k] = src[s + k];
    }
  }
  return out;
}

export const randomFlip = (options?: RandomFlipOptions): RandomFlip => new RandomFlip(options);

registry.register('augmentation', 'randomFlip', RandomFlip);
