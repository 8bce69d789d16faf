import { bool, checkOptions, ErrorCode, NNError, registry, type JsonObject } from '@nn/core';
import {
  abs, add, clip, div, less, log, logSoftmax, where, mean, minimum, mul, neg, oneHot, relu, reshape, scopedToGraph, softplus, square, sub, sum, type Tensor,
} from '@nn/tensor';
import { logitsOf } from './logits.js';

/**
 * A loss: `compute(yTrue, yPred)` is the scalar mean over the batch. `checkTargets` lets `fit` refuse labels
 * outside the loss's range before any training step.
 */
export abstract class Loss {
  abstract readonly kind: string;
  abstract compute(yTrue: Tensor, yPred: Tensor): Tensor;
  /** A message naming what is wrong with the targets, or null when they fit this loss. */
  checkTargets(_y: Float32Array, _yShape: readonly number[], _outputShape: readonly (number | null)[]): string | null {
    return null;
  }
  getConfig(): Record<string, unknown> {
    return {};
  }
}

/** What the registry holds under kind `loss`. */
export interface LossClass {
  fromConfig(config: JsonObject): Loss;
}

declare module '@nn/core' {
  interface RegistryKinds {
    loss: LossClass;
  }
}

/** Targets shaped like the predictions: `[N]` labels against `[N, 1]` outputs are reshaped, as Keras does. */
function aligned(loss: string, yTrue: Tensor, yPred: Tensor): Tensor {
  if (yTrue.rank === yPred.rank && yTrue.shape.every((d, i) => d === yPred.shape[i])) return yTrue;
  if (yTrue.size === yPred.size) return reshape(yTrue, yPred.shape);
  throw new NNError(ErrorCode.ShapeMismatch, `${loss}: targets of shape [${yTrue.shape.join(',')}] do not match predictions of shape [${yPred.shape.join(',')}]`);
}

function firstOutside(y: Float32Array, ok: (v: number) => boolean): number {
  for (let i = 0; i < y.length; i++) if (!ok(y[i])) return i;
  return -1;
}

const EPSILON = 1e-7;

export interface CrossentropyOptions {
  /** Predictions are logits (no sigmoid/softmax applied): the loss applies it, stably. */
  fromLogits?: boolean;
  /** Moves targets towards uniform: y·(1 − s) + s/K (K = 2 for binary). */
  labelSmoothing?: number;
}

function checkSmoothing(loss: string, s: number): number {
  if (typeof s !== 'number' || !(s >= 0 && s <= 1)) throw new NNError(ErrorCode.InvalidArgument, `${loss}: labelSmoothing must be in [0, 1], got ${String(s)}`);
  return s;
}

/** A crossentropy's options, checked: unknown names (with near misses) and a non-boolean fromLogits are refused. */
function crossentropyOptions(loss: string, options: CrossentropyOptions | undefined): { fromLogits: boolean; labelSmoothing: number } {
  const { fromLogits = false, labelSmoothing = 0 } = checkOptions(loss, options ?? undefined, ['fromLogits', 'labelSmoothing']);
  return { fromLogits: bool(loss, 'fromLogits', fromLogits), labelSmoothing: checkSmoothing(loss, labelSmoothing) };
}

/** A loss that takes no options refuses any it is given (a config read from a file included). */
const noOptions = (loss: string, options: unknown): void => void checkOptions(loss, options ?? undefined, []);

/**
 * Binary cross-entropy, mean over all elements. From logits z it is softplus(z) − y·z, exact for any z;
 * from probabilities p is clipped to [1e−7, 1 − 1e−7] as Keras does, so a saturated sigmoid gives a finite loss.
 */
export class BinaryCrossentropy extends Loss {
  readonly kind = 'binaryCrossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  constructor(options: CrossentropyOptions = {}) {
    super();
    ({ fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing } = crossentropyOptions(this.kind, options));
  }
  static fromConfig = (c: JsonObject) => new BinaryCrossentropy(c as CrossentropyOptions);
  compute(yTrue: Tensor, yPred: Tensor): Tensor {
    // Targets and constants made here go with the graph (released by backward): loops need no tidy.
    return scopedToGraph(() => {
      let y = aligned(this.kind, yTrue, yPred);
      if (this.labelSmoothing) y = add(mul(y, 1 - this.labelSmoothing), 0.5 * this.labelSmoothing);
      const z = this.fromLogits ? yPred : logitsOf(yPred, 'sigmoid');
      if (z) return mean(sub(softplus(z), mul(y, z)));
      const p = clip(yPred, EPSILON, 1 - EPSILON);
      return neg(mean(add(mul(y, log(p)), mul(sub(1, y), log(sub(1, p))))));
    });
  }
  override checkTargets(y: Float32Array): string | null {
    const i = firstOutside(y, (v) => v >= 0 && v <= 1);
    return i < 0 ? null : `binaryCrossentropy needs targets in [0, 1]; target ${i} is ${y[i]}`;
  }
  override getConfig() {
    return { fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing };
  }
}

function checkClassTargets(loss: string, yShape: readonly number[], outputShape: readonly (number | null)[]): string | null {
  const k = outputShape[outputShape.length - 1];
  if (yShape[yShape.length - 1] !== k) return `${loss} needs one-hot targets of shape [N, ${k}] to match the model's output, got [${yShape.join(',')}] (use sparseCategoricalCrossentropy for integer labels)`;
  return null;
}

/** Categorical cross-entropy against one-hot (or soft) targets along the last axis, mean over the batch. */
export class CategoricalCrossentropy extends Loss {
  readonly kind: string = 'categoricalCrossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  constructor(options: CrossentropyOptions = {}) {
    super();
    ({ fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing } = crossentropyOptions('categoricalCrossentropy', options));
  }
  static fromConfig = (c: JsonObject) => new CategoricalCrossentropy(c as CrossentropyOptions);
  compute(yTrue: Tensor, yPred: Tensor): Tensor {
    return scopedToGraph(() => {
      let y = aligned(this.kind, yTrue, yPred);
      const k = yPred.shape[yPred.rank - 1];
      if (this.labelSmoothing) y = add(mul(y, 1 - this.labelSmoothing), this.labelSmoothing / k);
      const z = this.fromLogits ? yPred : logitsOf(yPred, 'softmax');
      const logP = z ? logSoftmax(z, -1) : log(clip(div(yPred, sum(yPred, -1, true)), EPSILON, 1 - EPSILON));
      return neg(mean(sum(mul(y, logP), -1)));
    });
  }
  override checkTargets(y: Float32Array, yShape: readonly number[], outputShape: readonly (number | null)[]): string | null {
    const i = firstOutside(y, (v) => v >= 0 && v <= 1);
    if (i >= 0) return `${this.kind} needs targets in [0, 1] (one-hot rows); target value ${i} is ${y[i]}`;
    return checkClassTargets(this.kind, yShape, outputShape);
  }
  override getConfig() {
    return { fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing };
  }
}

/** Categorical cross-entropy against integer class labels (`[N]` or `[N, 1]`). */
export class SparseCategoricalCrossentropy extends CategoricalCrossentropy {
  override readonly kind = 'sparseCategoricalCrossentropy';
  static override fromConfig = (c: JsonObject) => new SparseCategoricalCrossentropy(c as CrossentropyOptions);
  override compute(yTrue: Tensor, yPred: Tensor): Tensor {
    return scopedToGraph(() => {
      const k = yPred.shape[yPred.rank - 1];
      const labels = reshape(yTrue, [yTrue.size]);
      const hot = reshape(oneHot(labels, k), [...yPred.shape.slice(0, -1), k]);
      return super.compute(hot, yPred);
    });
  }
  override checkTargets(y: Float32Array, _yShape: readonly number[], outputShape: readonly (number | null)[]): string | null {
    const k = outputShape[outputShape.length - 1] ?? Infinity;
    const i = firstOutside(y, (v) => Number.isInteger(v) && v >= 0 && v < k);
    return i < 0 ? null : `${this.kind} needs integer class labels in [0, ${k}); label ${i} is ${y[i]}`;
  }
}

/** Mean squared error over all elements. */
export class MeanSquaredError extends Loss {
  readonly kind = 'meanSquaredError';
  static fromConfig = (c: JsonObject) => (noOptions('meanSquaredError', c), new MeanSquaredError());
  compute(yTrue: Tensor, yPred: Tensor): Tensor {
    return scopedToGraph(() => {
      return mean(square(sub(yPred, aligned(this.kind, yTrue, yPred))));
    });
  }
}

/** Mean absolute error over all elements. */
export class MeanAbsoluteError extends Loss {
  readonly kind = 'meanAbsoluteError';
  static fromConfig = (c: JsonObject) => (noOptions('meanAbsoluteError', c), new MeanAbsoluteError());
  compute(yTrue: Tensor, yPred: Tensor): Tensor {
    return scopedToGraph(() => {
      return mean(abs(sub(yPred, aligned(this.kind, yTrue, yPred))));
    });
  }
}

/** Huber: ½e² for |e| ≤ delta, delta·(|e| − ½delta) beyond; mean over all elements. */
export class Huber extends Loss {
  readonly kind = 'huber';
  readonly delta: number;
  constructor(options: { delta?: number } = {}) {
    super();
    const { delta = 1 } = checkOptions('huber', options ?? undefined, ['delta']);
    if (typeof delta !== 'number' || !(delta > 0) || delta === Infinity) throw new NNError(ErrorCode.InvalidArgument, `huber: delta must be > 0, got ${delta}`);
    this.delta = delta;
  }
  static fromConfig = (c: JsonObject) => new Huber(c as { delta?: number });
  compute(yTrue: Tensor, yPred: Tensor): Tensor {
    return scopedToGraph(() => {
      const a = abs(sub(yPred, aligned(this.kind, yTrue, yPred)));
      const q = minimum(a, this.delta);
      return mean(add(mul(square(q), 0.5), mul(sub(a, q), this.delta)));
    });
  }
  override getConfig() {
    return { delta: this.delta };
  }
}

/** Hinge loss max(0, 1 − y·f) with labels in {−1, 1} (0/1 labels are mapped to −1/1, as Keras). */
export class Hinge extends Loss {
  readonly kind = 'hinge';
  static fromConfig = (c: JsonObject) => (noOptions('hinge', c), new Hinge());
  override checkTargets(y: Float32Array): string | null {
    const i = firstOutside(y, (v) => v === -1 || v === 0 || v === 1);
    return i < 0 ? null : `hinge needs labels in {-1, 1} (or {0, 1}); label ${i} is ${y[i]}`;
  }
  compute(yTrue: Tensor, yPred: Tensor): Tensor {
    return scopedToGraph(() => {
      const y = aligned(this.kind, yTrue, yPred);
      const signed = where(less(y, 0), y, sub(mul(y, 2), 1));
      return mean(relu(sub(1, mul(signed, yPred))));
    });
  }
}

const losses: Record<string, LossClass> = {
  binaryCrossentropy: BinaryCrossentropy,
  categoricalCrossentropy: CategoricalCrossentropy,
  sparseCategoricalCrossentropy: SparseCategoricalCrossentropy,
  meanSquaredError: MeanSquaredError,
  meanAbsoluteError: MeanAbsoluteError,
  huber: Huber,
  hinge: Hinge,
};
for (const [name, cls] of Object.entries(losses)) registry.register('loss', name, cls);
// Keras' spellings, so the course's `loss='binary_crossentropy'` works as written.
const aliases: Record<string, string> = {
  binary_crossentropy: 'binaryCrossentropy',
  categorical_crossentropy: 'categoricalCrossentropy',
  sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
  mean_squared_error: 'meanSquaredError',
  mse: 'meanSquaredError',
  mean_absolute_error: 'meanAbsoluteError',
  mae: 'meanAbsoluteError',
};
for (const [alias, name] of Object.entries(aliases)) registry.register('loss', alias, losses[name]);

/** A loss from a registered name or an instance. */
export function getLoss(spec: Loss | string): Loss {
  if (typeof spec === 'string') return registry.get('loss', spec).fromConfig({});
  if (spec && typeof (spec as Loss).compute === 'function') return spec;
  throw new NNError(ErrorCode.InvalidArgument, `loss: expected a name (${registry.list('loss').join(', ')}) or a Loss, got ${typeof spec}`);
}

export const binaryCrossentropy = (o?: CrossentropyOptions) => new BinaryCrossentropy(o);
export const categoricalCrossentropy = (o?: CrossentropyOptions) => new CategoricalCrossentropy(o);
export const sparseCategoricalCrossentropy = (o?: CrossentropyOptions) => new SparseCategoricalCrossentropy(o);
export const meanSquaredError = () => new MeanSquaredError();
export const meanAbsoluteError = () => new MeanAbsoluteError();
export const huber = (o?: { delta?: number }) => new Huber(o);
export const hinge = () => new Hinge();
