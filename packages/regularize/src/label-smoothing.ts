import { ErrorCode, NNError, inRange, oneOfChoices, registry, type JsonObject } from '@nn/core';
import { add, mul, oneHot, reshape, type Tensor } from '@nn/tensor';
import { getLoss, Loss } from '@nn/layers';
import { optionsObject } from './kinds.js';

/**
 * How targets are smoothed: `categorical` moves one-hot rows towards uniform over the K classes of the last
 * axis (`y(1-e) + e/K`); `binary` moves each 0/1 target towards 1/2 (`y(1-e) + e/2`); `auto` picks from the
 * wrapped loss (binary for names containing "binary", categorical otherwise, binary for one output column).
 */
export type SmoothingMode = 'auto' | 'categorical' | 'binary';

/** `y(1-e) + e/K` for one-hot (or soft) rows, `y(1-e) + e/2` for binary targets. */
export function smoothLabels(yTrue: Tensor, epsilon: number, { mode = 'categorical' }: { mode?: 'categorical' | 'binary' } = {}): Tensor {
  checkEpsilon(epsilon);
  const k = mode === 'binary' ? 2 : yTrue.shape[yTrue.rank - 1];
  if (mode === 'categorical' && !(k >= 1)) throw new NNError(ErrorCode.ShapeMismatch, `smoothLabels: categorical targets need a class axis, got shape [${yTrue.shape.join(',')}]`);
  return add(mul(yTrue, 1 - epsilon), epsilon / k);
}

function checkEpsilon(epsilon: unknown): number {
  return inRange('labelSmoothing', 'epsilon', epsilon, 0, 1);
}

// Regression losses (and hinge, whose labels are -1/1) have no classes to smooth towards.
const NOT_CLASSIFICATION = new Set(['meanSquaredError', 'meanAbsoluteError', 'huber', 'hinge', 'squaredHinge', 'meanSquaredLogarithmicError', 'meanAbsolutePercentageError', 'logCosh', 'poisson', 'cosineSimilarity']);

type LossWithOptions = Loss & { fromLogits?: boolean; labelSmoothing?: number };

/**
 * Label smoothing around any registered classification loss: the targets are smoothed, then the wrapped
 * loss computes as usual. Sparse losses (integer labels) are one-hot encoded first and computed by their
 * dense counterpart (`sparseCategoricalCrossentropy` by `categoricalCrossentropy` with the same `fromLogits`),
 * while metrics still see the integer labels: `kind` and `fromLogits` are the wrapped loss's.
 */
export class LabelSmoothing extends Loss {
  readonly epsilon: number;
  readonly loss: LossWithOptions;
  readonly mode: SmoothingMode;
  /** For sparse losses: the loss that takes the smoothed one-hot rows. */
  private readonly dense?: Loss;

  constructor(epsilon = 0.1, loss: Loss | string = 'categoricalCrossentropy', { mode = 'auto' }: { mode?: SmoothingMode } = {}) {
    super();
    this.epsilon = checkEpsilon(epsilon);
    this.mode = oneOfChoices('labelSmoothing', 'mode', mode, ['auto', 'categorical', 'binary'] as const);
    const inner = getLoss(loss) as LossWithOptions;
    if (NOT_CLASSIFICATION.has(inner.kind)) {
      throw new NNError(ErrorCode.InvalidArgument, `labelSmoothing: ${inner.kind} is not a classification loss; label smoothing applies to cross-entropy-like losses such as categoricalCrossentropy or binaryCrossentropy`, { loss: inner.kind });
    }
    if (inner.labelSmoothing) {
      throw new NNError(ErrorCode.InvalidArgument, `labelSmoothing: the ${inner.kind} loss already smooths its labels (labelSmoothing: ${inner.labelSmoothing}); give it labelSmoothing 0, or drop the wrapper`, { loss: inner.kind });
    }
    if (inner instanceof LabelSmoothing) throw new NNError(ErrorCode.InvalidArgument, 'labelSmoothing: the loss is already wrapped in labelSmoothing');
    this.loss = inner;
    if (isSparse(inner.kind)) {
      if (mode === 'binary') throw new NNError(ErrorCode.InvalidArgument, `labelSmoothing: ${inner.kind} takes class labels; binary smoothing does not apply`);
      const denseName = inner.kind.replace(/^sparse(.)/, (_, c: string) => c.toLowerCase());
      if (!registry.has('loss', denseName)) {
        throw new NNError(ErrorCode.InvalidArgument, `labelSmoothing: ${inner.kind} takes integer labels, which cannot be smoothed, and there is no "${denseName}" loss to compute it on one-hot rows`);
      }
      this.dense = registry.get('loss', denseName).fromConfig(inner.fromLogits === undefined ? {} : { fromLogits: inner.fromLogits });
    }
  }

  static fromConfig(config: JsonObject): LabelSmoothing {
    optionsObject('labelSmoothing config', config, ['epsilon', 'loss', 'mode']);
    const { epsilon, loss, mode } = config as { epsilon?: number; loss?: Loss | string; mode?: SmoothingMode };
    return new LabelSmoothing(epsilon, loss, { mode });
  }

  get kind(): string {
    return this.loss.kind;
  }

  /** Read by `compile` to choose the accuracy metric's threshold. */
  get fromLogits(): boolean | undefined {
    return this.loss.fromLogits;
  }

  compute(yTrue: Tensor, yPred: Tensor): Tensor {
    const k = yPred.shape[yPred.rank - 1];
    if (this.dense) {
      const hot = reshape(oneHot(reshape(yTrue, [yTrue.size]), k), [...yPred.shape.slice(0, -1), k]);
      return this.dense.compute(smoothLabels(hot, this.epsilon), yPred);
    }
    const binary = this.mode === 'binary' || (this.mode === 'auto' && (/binary/i.test(this.loss.kind) || k === 1 || yPred.rank < 2));
    // Targets shaped [N] against outputs [N, K] are the wrapped loss's to refuse; only smooth what matches.
    const y = !binary && yTrue.size === yPred.size && yTrue.shape.join() !== yPred.shape.join() ? reshape(yTrue, yPred.shape) : yTrue;
    return this.loss.compute(smoothLabels(y, this.epsilon, { mode: binary ? 'binary' : 'categorical' }), yPred);
  }

  override checkTargets(y: Float32Array, yShape: readonly number[], outputShape: readonly (number | null)[]): string | null {
    return this.loss.checkTargets(y, yShape, outputShape);
  }

  override getConfig(): { epsilon: number; loss: Loss; mode: SmoothingMode } {
    return { epsilon: this.epsilon, loss: this.loss, mode: this.mode };
  }
}

const isSparse = (kind: string) => /^sparse[A-Z]/.test(kind);

/**
 * `compile({ loss: labelSmoothing(0.1, categoricalCrossentropy({ fromLogits: true })) })`. The loss may be
 * a name or an instance of any registered classification loss; without one it is categoricalCrossentropy.
 */
export const labelSmoothing = (epsilon: number, loss?: Loss | string, options?: { mode?: SmoothingMode }): LabelSmoothing =>
  new LabelSmoothing(checkEpsilon(epsilon), loss, optionsObject('labelSmoothing', options, ['mode']));

registry.register('loss', 'labelSmoothing', LabelSmoothing);
