import { ErrorCode, NNError, registry, type JsonObject } from '@nn/core';
import { add, expandDims, matmul, max, reshape, type Tensor } from '@nn/tensor';
import type { InitializerSpec } from './initializers.js';
import { baseOptions, checkLayerOptions, Layer, layerSize, type LayerOptions, type Shape } from './layer.js';

export interface MaxoutOptions extends LayerOptions {
  /** K, the number of affine pieces per unit. */
  pieces?: number;
  kernelInitializer?: InitializerSpec;
  biasInitializer?: InitializerSpec;
}

/**
 * Maxout units (Goodfellow et al. 2013): each output is the max of K affine functions of the input,
 * y_j = max_k (x·W[k] + b[k])_j. Weights are `kernel [K, in, units]` and `bias [K, units]`.
 */
export class Maxout extends Layer {
  readonly units: number;
  readonly pieces: number;
  readonly kernelInitializer: InitializerSpec;
  readonly biasInitializer: InitializerSpec;
  kernel!: Tensor;
  bias!: Tensor;

  constructor(units: number, allOptions: MaxoutOptions = {}) {
    const { pieces = 2, kernelInitializer = 'glorotUniform', biasInitializer = 'zeros', ...options } = checkLayerOptions('maxout', allOptions, ['pieces', 'kernelInitializer', 'biasInitializer']);
    super(options, 'maxout');
    layerSize('maxout', 'units', units);
    if (!Number.isInteger(pieces) || pieces <= 0) throw new NNError(ErrorCode.InvalidArgument, `maxout: pieces must be a positive integer, got ${pieces}`);
    this.units = units;
    this.pieces = pieces;
    this.kernelInitializer = kernelInitializer;
    this.biasInitializer = biasInitializer;
  }

  static fromConfig(config: JsonObject): Maxout {
    const { units, ...rest } = config as unknown as MaxoutOptions & { units: number };
    return new Maxout(units, { ...rest, ...baseOptions(config) });
  }

  override build(inputShape: Shape): void {
    const inDim = inputShape[inputShape.length - 1];
    if (typeof inDim !== 'number') throw new NNError(ErrorCode.ShapeMismatch, `${this.name}: the last input dimension must be known`);
    const fans = { fanIn: inDim, fanOut: this.units };
    this.kernel = this.addWeight('kernel', [this.pieces, inDim, this.units], this.kernelInitializer, { fans });
    this.bias = this.addWeight('bias', [this.pieces, this.units], this.biasInitializer, { fans });
  }

  call(x: Tensor): Tensor {
    const inDim = this.kernel.shape[1];
    if (x.shape[x.rank - 1] !== inDim) throw new NNError(ErrorCode.ShapeMismatch, `${this.name}: expected ${inDim} input features, got shape [${x.shape.join(',')}]`);
    const flat = reshape(x, [-1, inDim]);
    // [1, N, in] x [K, in, units] -> [K, N, units]; the max over K picks each unit's active piece.
    const z = add(matmul(expandDims(flat, 0), this.kernel), expandDims(this.bias, 1));
    return reshape(max(z, 0), [...x.shape.slice(0, -1), this.units]);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape.slice(0, -1), this.units];
  }

  override getConfig() {
    return { ...super.getConfig(), units: this.units, pieces: this.pieces, kernelInitializer: this.kernelInitializer, biasInitializer: this.biasInitializer };
  }
}

export const maxout = (units: number, options?: MaxoutOptions) => new Maxout(units, options);
registry.register('layer', 'maxout', Maxout);
