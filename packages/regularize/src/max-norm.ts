import { ErrorCode, NNError, nonNegative, registry, type JsonObject } from '@nn/core';
import { add, assign, div, minimum, mul, noGrad, sqrt, square, sum, tidy, type Tensor } from '@nn/tensor';
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
    const axes = [...normalizeAxes(weight.shape, this.axis)];
    const maxValue = this.maxValue;
    // Tensor ops and an in-place assign: the weight never leaves its backend.
    noGrad(() =>
      tidy(() => {
        const sq = square(weight);
        const n = sqrt(axes.length ? sum(sq, axes, true) : sq);
        assign(weight, mul(weight, div(minimum(n, maxValue), add(n, EPSILON))), { move: true });
      }),
    );
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

/** `maxNorm(3)`: cap each unit's incoming weight vector at norm 3 (Keras' default value is 2, axis 0). */
export const maxNorm = (value?: number, options?: MaxNormOptions): MaxNorm => new MaxNorm(value, optionsObject('maxNorm', options, ['axis']));

registry.register('constraint', 'maxNorm', MaxNorm);
// Keras' spelling of the string form.
registry.register('constraint', 'max_norm', MaxNorm);
