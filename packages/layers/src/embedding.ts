import { ErrorCode, NNError, optionError, registry, type JsonObject } from '@nn/core';
import { gather, notEqual, type Tensor } from '@nn/tensor';
import { getInitializer, type InitializerSpec } from './initializers.js';
import type { ConstraintLike, RegularizerLike } from './kinds.js';
import {
  baseOptions, checkLayerOptions, Layer, layerSize, resolveConstraint, resolveRegularizer, type ConstraintSpec, type LayerOptions, type RegularizerSpec, type Shape,
} from './layer.js';
import { setMask } from './recurrent/mask.js';

export interface EmbeddingOptions extends LayerOptions {
  /** Keras' default: randomUniform (±0.05). */
  embeddingsInitializer?: InitializerSpec;
  embeddingsRegularizer?: RegularizerSpec;
  embeddingsConstraint?: ConstraintSpec;
  /**
   * Index 0 is padding: the output carries a mask (0 where the index is 0) that recurrent layers read to
   * skip those steps. Index 0 still has a row, so the vocabulary needs `inputDim = words + 1`, as Keras.
   */
  maskZero?: boolean;
}

/** Keras' Embedding: integer indices `[...]` to rows of a learned table `embeddings [inputDim, outputDim]`: `[..., outputDim]`. */
export class Embedding extends Layer {
  readonly inputDim: number;
  readonly outputDim: number;
  readonly maskZero: boolean;
  embeddings!: Tensor;
  private readonly options: EmbeddingOptions;
  private readonly penalty?: RegularizerLike;
  private readonly constraint?: ConstraintLike;

  constructor(inputDim: number, outputDim: number, options: EmbeddingOptions = {}) {
    options = checkLayerOptions('embedding', options, ['embeddingsInitializer', 'embeddingsRegularizer', 'embeddingsConstraint', 'maskZero']);
    super(options, 'embedding');
    this.inputDim = layerSize('embedding', 'inputDim', inputDim);
    this.outputDim = layerSize('embedding', 'outputDim', outputDim);
    if (options.maskZero !== undefined && typeof options.maskZero !== 'boolean') throw optionError('embedding', 'maskZero', 'must be true or false', options.maskZero);
    this.maskZero = options.maskZero ?? false;
    this.options = options;
    this.penalty = resolveRegularizer(options.embeddingsRegularizer, `${this.name}.embeddingsRegularizer`);
    this.constraint = resolveConstraint(options.embeddingsConstraint, `${this.name}.embeddingsConstraint`);
    if (options.embeddingsInitializer !== undefined) getInitializer(options.embeddingsInitializer);
  }

  static fromConfig(config: JsonObject): Embedding {
    const { inputDim, outputDim, ...rest } = config as unknown as EmbeddingOptions & { inputDim: number; outputDim: number };
    return new Embedding(inputDim, outputDim, { ...rest, ...baseOptions(config) });
  }

  override build(): void {
    this.embeddings = this.addWeight('embeddings', [this.inputDim, this.outputDim], this.options.embeddingsInitializer ?? 'randomUniform', {
      regularizer: this.penalty,
      constraint: this.constraint,
    });
  }

  call(x: Tensor): Tensor {
    let y: Tensor;
    try {
      y = gather(this.embeddings, x, 0);
    } catch (e) {
      throw new NNError(ErrorCode.InvalidArgument, `${this.name}: inputs must be integer indices in [0, ${this.inputDim}) (inputDim ${this.inputDim}): ${(e as Error).message}`);
    }
    // The mask is for [batch, time] indices, the recurrent layers' case.
    return this.maskZero && x.rank === 2 ? setMask(y, notEqual(x, 0)) : y;
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape, this.outputDim];
  }

  override getConfig() {
    const o = this.options;
    return {
      ...super.getConfig(),
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      embeddingsInitializer: o.embeddingsInitializer ?? 'randomUniform',
      embeddingsRegularizer: o.embeddingsRegularizer,
      embeddingsConstraint: o.embeddingsConstraint,
      maskZero: this.maskZero,
    };
  }
}

/** Keras' `Embedding(inputDim, outputDim, { maskZero })`. */
export const embedding = (inputDim: number, outputDim: number, options?: EmbeddingOptions) => new Embedding(inputDim, outputDim, options);
registry.register('layer', 'embedding', Embedding);
