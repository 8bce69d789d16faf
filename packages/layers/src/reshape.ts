import { ErrorCode, NNError, optionError, registry, type JsonObject } from '@nn/core';
import { reshape as reshapeTensor, type Tensor } from '@nn/tensor';
import { baseOptions, checkLayerOptions, fmtShape, Layer, type LayerOptions, type Shape } from './layer.js';

/** Keras' Reshape: each sample to `targetShape` (no batch axis; one entry may be -1, inferred). */
export class Reshape extends Layer {
  readonly targetShape: number[];

  constructor(targetShape: number[], options: LayerOptions = {}) {
    super(checkLayerOptions('reshape', options, []), 'reshape');
    const ok = Array.isArray(targetShape) && targetShape.every((d) => d === -1 || (Number.isInteger(d) && d > 0)) && targetShape.filter((d) => d === -1).length <= 1;
    if (!ok) throw optionError('reshape', 'targetShape', 'must be an array of positive integers with at most one -1 (one sample\'s shape, no batch axis)', targetShape);
    this.targetShape = [...targetShape];
  }

  static fromConfig(config: JsonObject): Reshape {
    return new Reshape(config.targetShape as number[], baseOptions(config));
  }

  /** The target shape with -1 resolved for `sampleSize` values per sample (null when unknown). */
  private resolve(input: Shape): (number | null)[] {
    const rest = input.slice(1);
    const known = this.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    if (rest.some((d) => d === null)) return this.targetShape.map((d) => (d === -1 ? null : d));
    const size = (rest as number[]).reduce((a, b) => a * b, 1);
    const inferred = size / known;
    if (this.targetShape.includes(-1) ? !Number.isInteger(inferred) : size !== known) {
      throw new NNError(ErrorCode.ShapeMismatch, `${this.name}: cannot reshape samples of shape ${fmtShape(rest)} (${size} values) to ${fmtShape(this.targetShape)}`);
    }
    return this.targetShape.map((d) => (d === -1 ? inferred : d));
  }

  call(x: Tensor): Tensor {
    return reshapeTensor(x, [x.shape[0], ...(this.resolve(x.shape) as number[])]);
  }

  override computeOutputShape(s: Shape): Shape {
    return [s[0], ...this.resolve(s)];
  }

  override getConfig() {
    return { ...super.getConfig(), targetShape: this.targetShape };
  }
}

/** Keras' `Reshape(target_shape)`: `reshape([7, 7, 16])` turns `[batch, 784]` into `[batch, 7, 7, 16]`. */
export const reshape = (targetShape: number[], options?: LayerOptions) => new Reshape(targetShape, options);
registry.register('layer', 'reshape', Reshape);
