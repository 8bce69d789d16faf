import { ErrorCode, NNError, optionError, registry, type JsonObject } from '@nn/core';
import { avgPool, convolutionOutputSize, max, maxPool, mean, type Pair, type Padding, type PoolOptions, type Tensor } from '@nn/tensor';
import { baseOptions, checkLayerOptions, fmtShape, Layer, type LayerOptions, type Shape } from './layer.js';
import { expectSpatial } from './spatial.js';

export interface PoolingOptions extends LayerOptions {
  /** Window size (default 2): a number for every spatial axis, or one per axis. */
  poolSize?: Pair;
  /** Step between windows (default: the pool size). */
  strides?: Pair;
  /** `'valid'` (default), `'same'`, PyTorch's symmetric `p` (2-D: `[ph, pw]`) or explicit sides. */
  padding?: Padding;
}

function perAxis(where: string, name: string, v: unknown, rank: number, fallback: number): number[] {
  const list = v === undefined ? new Array(rank).fill(fallback) : typeof v === 'number' ? new Array(rank).fill(v) : v;
  if (!Array.isArray(list) || list.length !== rank || !list.every((d) => Number.isInteger(d) && d >= 1)) {
    throw optionError(where, name, `must be a positive integer${rank > 1 ? ` or ${rank} of them` : ''}`, v);
  }
  return list;
}

/** Keras' MaxPooling1D/2D and AveragePooling1D/2D: a max or mean over each window, per channel. */
export abstract class Pooling extends Layer {
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: Padding;

  readonly rank: 1 | 2;

  constructor(kind: string, rank: 1 | 2, options: PoolingOptions = {}) {
    const checked = checkLayerOptions(kind, options, ['poolSize', 'strides', 'padding']);
    super(checked, kind);
    this.rank = rank;
    this.poolSize = perAxis(kind, 'poolSize', checked.poolSize, rank, 2);
    this.strides = checked.strides === undefined || checked.strides === null ? this.poolSize : perAxis(kind, 'strides', checked.strides, rank, 1);
    this.padding = checked.padding ?? 'valid';
    this.spatialOut(new Array(rank).fill(1 << 20), kind);
  }

  protected abstract pool(x: Tensor, options: PoolOptions): Tensor;

  private opOptions() {
    const pair = (v: number[]): Pair => (v.length === 1 ? v[0] : [v[0], v[1]]);
    return { poolSize: pair(this.poolSize), strides: pair(this.strides), padding: this.padding };
  }

  private spatialOut(spatial: number[], where = this.name): number[] {
    const { poolSize, ...rest } = this.opOptions();
    return convolutionOutputSize(spatial, { kernelSize: poolSize, ...rest }, where);
  }

  call(x: Tensor): Tensor {
    expectSpatial(this.name, x.shape, this.rank);
    return this.pool(x, this.opOptions());
  }

  override computeOutputShape(s: Shape): Shape {
    expectSpatial(this.name, s, this.rank);
    const spatial = s.slice(1, -1);
    const out = this.spatialOut(spatial.map((d) => d ?? 1 << 20));
    return [s[0], ...spatial.map((d, i) => (d === null ? null : out[i])), s[s.length - 1]];
  }

  override getConfig() {
    return { ...super.getConfig(), poolSize: this.poolSize, strides: this.strides, padding: this.padding };
  }
}

/** Keras' MaxPooling1D over `[batch, steps, channels]`. */
export class MaxPooling1D extends Pooling {
  constructor(options?: PoolingOptions) {
    super('maxPool1d', 1, options);
  }
  static fromConfig(config: JsonObject): MaxPooling1D {
    return new MaxPooling1D({ ...(config as PoolingOptions), ...baseOptions(config) });
  }
  protected pool(x: Tensor, options: PoolOptions): Tensor {
    return maxPool(x, options);
  }
}

/** Keras' MaxPooling2D over `[batch, height, width, channels]`. */
export class MaxPooling2D extends Pooling {
  constructor(options?: PoolingOptions) {
    super('maxPool2d', 2, options);
  }
  static fromConfig(config: JsonObject): MaxPooling2D {
    return new MaxPooling2D({ ...(config as PoolingOptions), ...baseOptions(config) });
  }
  protected pool(x: Tensor, options: PoolOptions): Tensor {
    return maxPool(x, options);
  }
}

/** Keras' AveragePooling1D; padded positions are not counted in a window's mean. */
export class AveragePooling1D extends Pooling {
  constructor(options?: PoolingOptions) {
    super('avgPool1d', 1, options);
  }
  static fromConfig(config: JsonObject): AveragePooling1D {
    return new AveragePooling1D({ ...(config as PoolingOptions), ...baseOptions(config) });
  }
  protected pool(x: Tensor, options: PoolOptions): Tensor {
    return avgPool(x, options);
  }
}

/** Keras' AveragePooling2D; padded positions are not counted in a window's mean. */
export class AveragePooling2D extends Pooling {
  constructor(options?: PoolingOptions) {
    super('avgPool2d', 2, options);
  }
  static fromConfig(config: JsonObject): AveragePooling2D {
    return new AveragePooling2D({ ...(config as PoolingOptions), ...baseOptions(config) });
  }
  protected pool(x: Tensor, options: PoolOptions): Tensor {
    return avgPool(x, options);
  }
}

export interface GlobalPoolingOptions extends LayerOptions {
  /** Keep the spatial axes with size 1 (Keras' `keepdims`), default false: `[batch, channels]`. */
  keepDims?: boolean;
}

/** Keras' GlobalAveragePooling1D/2D and GlobalMaxPooling1D/2D in one: reduces every axis between batch and channels. */
export abstract class GlobalPooling extends Layer {
  readonly keepDims: boolean;

  constructor(kind: string, options: GlobalPoolingOptions = {}) {
    const checked = checkLayerOptions(kind, options, ['keepDims']);
    super(checked, kind);
    if (checked.keepDims !== undefined && typeof checked.keepDims !== 'boolean') throw optionError(kind, 'keepDims', 'must be true or false', checked.keepDims);
    this.keepDims = checked.keepDims ?? false;
  }

  protected abstract reduce(x: Tensor, axes: number[], keepDims: boolean): Tensor;

  private axes(shape: Shape): number[] {
    if (shape.length < 3) throw new NNError(ErrorCode.ShapeMismatch, `${this.name}: expected inputs [batch, ...spatial axes, channels] (rank 3 or more), got shape ${fmtShape(shape)}`);
    return shape.slice(1, -1).map((_, i) => i + 1);
  }

  call(x: Tensor): Tensor {
    return this.reduce(x, this.axes(x.shape), this.keepDims);
  }

  override computeOutputShape(s: Shape): Shape {
    const axes = this.axes(s);
    return this.keepDims ? s.map((d, i) => (axes.includes(i) ? 1 : d)) : [s[0], s[s.length - 1]];
  }

  override getConfig() {
    return { ...super.getConfig(), keepDims: this.keepDims };
  }
}

/** The mean over all spatial positions of each channel. */
export class GlobalAveragePooling extends GlobalPooling {
  constructor(options?: GlobalPoolingOptions) {
    super('globalAvgPool', options);
  }
  static fromConfig(config: JsonObject): GlobalAveragePooling {
    return new GlobalAveragePooling({ ...(config as GlobalPoolingOptions), ...baseOptions(config) });
  }
  protected reduce(x: Tensor, axes: number[], keepDims: boolean): Tensor {
    return mean(x, axes, keepDims);
  }
}

/** The max over all spatial positions of each channel. */
export class GlobalMaxPooling extends GlobalPooling {
  constructor(options?: GlobalPoolingOptions) {
    super('globalMaxPool', options);
  }
  static fromConfig(config: JsonObject): GlobalMaxPooling {
    return new GlobalMaxPooling({ ...(config as GlobalPoolingOptions), ...baseOptions(config) });
  }
  protected reduce(x: Tensor, axes: number[], keepDims: boolean): Tensor {
    return max(x, axes, keepDims);
  }
}

/** Keras' `MaxPooling1D(pool_size=2, strides=None, padding='valid')`. */
export const maxPool1d = (options?: PoolingOptions) => new MaxPooling1D(options);
/** Keras' `MaxPooling2D(pool_size=(2, 2), strides=None, padding='valid')`. */
export const maxPool2d = (options?: PoolingOptions) => new MaxPooling2D(options);
/** Keras' `AveragePooling1D`. */
export const avgPool1d = (options?: PoolingOptions) => new AveragePooling1D(options);
/** Keras' `AveragePooling2D`. */
export const avgPool2d = (options?: PoolingOptions) => new AveragePooling2D(options);
/** Keras' `GlobalAveragePooling1D/2D`: `[batch, ...spatial, channels]` → `[batch, channels]`. */
export const globalAvgPool = (options?: GlobalPoolingOptions) => new GlobalAveragePooling(options);
/** Keras' `GlobalMaxPooling1D/2D`: `[batch, ...spatial, channels]` → `[batch, channels]`. */
export const globalMaxPool = (options?: GlobalPoolingOptions) => new GlobalMaxPooling(options);
registry.register('layer', 'maxPool1d', MaxPooling1D);
registry.register('layer', 'maxPool2d', MaxPooling2D);
registry.register('layer', 'avgPool1d', AveragePooling1D);
registry.register('layer', 'avgPool2d', AveragePooling2D);
registry.register('layer', 'globalAvgPool', GlobalAveragePooling);
registry.register('layer', 'globalMaxPool', GlobalMaxPooling);
