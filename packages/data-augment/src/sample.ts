import type { Generator } from '@nn/tensor';

export type Layout = 'NHWC' | 'NCHW';

/** One image of a batch while it is being augmented: HWC float values, with the targets that move with it. */
export interface Sample {
  image: Float32Array;
  h: number;
  w: number;
  c: number;
  /** HWC mask with `mc` channels, resampled with nearest interpolation. */
  mask?: Float32Array;
  mc: number;
  /** [x1, y1, x2, y2] in pixels. */
  boxes?: number[][];
  /** Values travelling with the boxes (class ids…), filtered with them when boxes are dropped. */
  boxLabels?: unknown[];
}

/** A whole batch while it is being augmented. Batch mixers (mixup, cutmix) work on this level. */
export interface Work {
  samples: Sample[];
  /** Soft or one-hot labels [N, K] once a mixer has touched them; otherwise the input tensor's values. */
  labels?: { data: Float32Array; shape: number[]; touched: boolean };
  /** Whether the input was one image rather than a batch (mixers need a batch). */
  single: boolean;
}

/** What a running transform may use: the stream of the pipeline being applied, and the value range. */
export interface Ctx {
  rng: Generator;
  valueRange: [number, number];
}
