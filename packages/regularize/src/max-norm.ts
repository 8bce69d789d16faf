import { ErrorCode, NNError, nonNegative, registry, type JsonObject } from '@nn/core';
import type { Tensor } from '@nn/tensor';
import { optionsObject, type Constraint } from './kinds.js';

/** Keras' backend epsilon: the norm's denominator gets it, so an all-zero column stays zero instead of NaN. */
const EPSILON = 1e-7;

export interface MaxNormOptions {
  /**
   * The axis (or axes) the norm runs over. Keras' default 0 is the input axis of a dense kernel `[in, out]`:
   * each unit's incoming weight vector is capped. Negative axes count from the end.
   */
  axis?: number | number[];
}

/**
 * Caps the L2 norm of each weight vector at `maxValue` (Srivastava et al.'s max-norm, used with dropout),
 * Keras' `MaxNorm`: `w * clip(n, 0, maxValue) / (eps + n)`. Applied in place after every optimizer step,
 * so the optimizer's references to the weight stay valid.
 */
export class MaxNorm implements Constraint {
  readonly maxValue: number;
  readonly axis: number | number[];

  constructor(maxValue = 2, { axis = 0 }: MaxNormOptions = {}) {
    nonNegative('maxNorm', 'value', maxValue);
    const axes = Array.isArray(axis) ? axis : [axis];
    if (axes.length === 0 || axes.some((a) => !Number.isInteger(a))) {
      throw new NNError(ErrorCode.InvalidArgument, `maxNorm: axis must be an integer or a non-empty array of integers, got ${JSON.stringify(axis)}`);
    }
    this.maxValue = maxValue;
    this.axis = Array.isArray(axis) ? [...axis] : axis;
  }

  static fromConfig(config: JsonObject): MaxNorm {
    optionsObject('maxNorm config', config, ['maxValue', 'axis']);
    return new MaxNorm((config.maxValue as number | undefined) ?? 2, { axis: config.axis as number | number[] | undefined });
  }

  apply(weight: Tensor): void {
    const shape = weight.shape;
    const axes = normalizeAxes(shape, this.axis);
    const { groupOf, groups } = groupIndex(shape, axes);
    const maxValue = this.maxValue;
    weight.mutate((w) => {
      const sq = new Float64Array(groups);
      for (let i = 0; i < w.length; i++) sq[groupOf[i]] += w[i] * w[i];
      const scale = new Float64Array(groups);
      for (let g = 0; g < groups; g++) {
        const n = Math.sqrt(sq[g]);
        scale[g] = Math.min(n, maxValue) / (EPSILON + n);
      }
      for (let i = 0; i < w.length; i++) w[i] *= scale[groupOf[i]];
    });
  }

  getConfig(): { maxValue: number; axis: number | number[] } {
    return { maxValue: this.maxValue, axis: this.axis };
  }
}

function normalizeAxes(shape: readonly number[], axis: number | number[]): Set<number> {
  const rank = shape.length;
  const axes = new Set<number>();
  for (const a of Array.isArray(axis) ? axis : [axis]) {
    // A scalar weight (rank 0) has one "vector": itself.
    if (rank === 0) continue;
    const n = a < 0 ? a + rank : a;
    if (n < 0 || n >= rank) {
      throw new NNError(ErrorCode.ShapeMismatch, `maxNorm: axis ${a} is out of range for a weight of shape [${shape.join(',')}]`, { axis: a, shape: [...shape] });
    }
    axes.add(n);
  }
  return axes;
}

/** For each element (row-major), the index of the vector it belongs to once `axes` are reduced. */
function groupIndex(shape: readonly number[], axes: Set<number>): { groupOf: Int32Array; groups: number } {
  const size = shape.reduce((a, b) => a * b, 1);
  const kept = shape.map((d, i) => (axes.has(i) ? 1 : d));
  const groups = kept.reduce((a, b) => a * b, 1);
  const groupOf = new Int32Array(size);
  const idx = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < size; i++) {
    let g = 0;
    for (let d = 0; d < shape.length; d++) g = g * kept[d] + (axes.has(d) ? 0 : idx[d]);
    groupOf[i] = g;
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  return { groupOf, groups };
}

/** `maxNorm(3)`: cap each unit's incoming weight vector at norm 3 (Keras' default value is 2, axis 0). */
export const maxNorm = (value?: number, options?: MaxNormOptions): MaxNorm => new MaxNorm(value, optionsObject('maxNorm', options, ['axis']));

registry.register('constraint', 'maxNorm', MaxNorm);
// Keras' spelling of the string form.
registry.register('constraint', 'max_norm', MaxNorm);
