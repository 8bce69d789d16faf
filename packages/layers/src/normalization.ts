import { bool, ErrorCode, NNError, registry, type JsonObject } from '@nn/core';
import { add, assign, div, mean, mul, noGrad, sqrt, square, sub, sum, tidy, type Tensor } from '@nn/tensor';
import type { InitializerSpec } from './initializers.js';
import { baseOptions, checkLayerOptions, Layer, type LayerOptions, type Shape } from './layer.js';

export interface BatchNormOptions extends LayerOptions {
  /**
   * PyTorch's convention: running = (1 − momentum)·running + momentum·batch, default 0.1. Keras' `momentum`
   * weighs the old value instead: Keras momentum m equals momentum 1 − m here (Keras' 0.99 is 0.01).
   */
  momentum?: number;
  eps?: number;
  /** Learn a scale gamma (starts at 1). */
  scale?: boolean;
  /** Learn a shift beta (starts at 0). */
  center?: boolean;
  gammaInitializer?: InitializerSpec;
  betaInitializer?: InitializerSpec;
}

/** Boolean options are booleans: `scale: 'no'` would otherwise read as true. */
function bools(where: string, values: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(values)) bool(where, k, v);
}

/** Feature count of the last axis, known at build time. */
function featuresOf(layer: string, inputShape: Shape): number {
  const d = inputShape[inputShape.length - 1];
  if (typeof d !== 'number') throw new NNError(ErrorCode.ShapeMismatch, `${layer}: the last input dimension must be known, got [${inputShape.join(',')}]`);
  return d;
}

/**
 * Batch normalization over the last axis: the features, or the channels of channels-last images `[N, H, W, C]`
 * with statistics over N, H and W (Keras' default `axis=-1`, PyTorch's BatchNorm2d). Training normalizes with
 * the batch's mean and biased variance and updates the running averages (the variance stored unbiased, n/(n−1), as PyTorch); inference
 * uses the running averages. A frozen batchNorm (`trainable = false` on it or on a block holding it) always runs
 * in inference mode, as Keras', so fine-tuning on top of a frozen base leaves its statistics alone.
 */
export class BatchNorm extends Layer {
  readonly momentum: number;
  readonly eps: number;
  readonly scale: boolean;
  readonly center: boolean;
  readonly gammaInitializer: InitializerSpec;
  readonly betaInitializer: InitializerSpec;
  gamma?: Tensor;
  beta?: Tensor;
  runningMean!: Tensor;
  runningVar!: Tensor;

  constructor(allOptions: BatchNormOptions = {}) {
    const { momentum = 0.1, eps = 1e-5, scale = true, center = true, gammaInitializer = 'ones', betaInitializer = 'zeros', ...options } =
      checkLayerOptions('batchNorm', allOptions, ['momentum', 'eps', 'scale', 'center', 'gammaInitializer', 'betaInitializer']);
    super(options, 'batchNorm');
    bools('batchNorm', { scale, center });
    if (!(momentum >= 0 && momentum <= 1)) throw new NNError(ErrorCode.InvalidArgument, `batchNorm: momentum must be in [0, 1] (PyTorch's convention; Keras' 0.99 is 0.01 here), got ${momentum}`);
    if (!(eps > 0)) throw new NNError(ErrorCode.InvalidArgument, `batchNorm: eps must be > 0, got ${eps}`);
    this.momentum = momentum;
    this.eps = eps;
    this.scale = scale;
    this.center = center;
    this.gammaInitializer = gammaInitializer;
    this.betaInitializer = betaInitializer;
  }

  static fromConfig(config: JsonObject): BatchNorm {
    return new BatchNorm({ ...(config as BatchNormOptions), ...baseOptions(config) });
  }

  override build(inputShape: Shape): void {
    const n = featuresOf(this.name, inputShape);
    if (this.scale) this.gamma = this.addWeight('gamma', [n], this.gammaInitializer);
    if (this.center) this.beta = this.addWeight('beta', [n], this.betaInitializer);
    this.runningMean = this.addWeight('runningMean', [n], 'zeros', { trainable: false });
    this.runningVar = this.addWeight('runningVar', [n], 'ones', { trainable: false });
  }

  call(x: Tensor, training: boolean): Tensor {
    const n = this.runningMean.size;
    if (x.shape[x.rank - 1] !== n) throw new NNError(ErrorCode.ShapeMismatch, `${this.name}: expected ${n} features (last axis), got shape [${x.shape.join(',')}]`);
    const axes = x.shape.slice(0, -1).map((_, i) => i);
    let y: Tensor;
    // A frozen batchNorm runs in inference mode and keeps its statistics, as Keras (fine-tuning a frozen base).
    if (training && !this.frozen) {
      const count = x.size / n;
      if (count < 2) throw new NNError(ErrorCode.InvalidArgument, `${this.name}: training needs more than one value per feature to take batch statistics, got shape [${x.shape.join(',')}]`);
      const mu = mean(x, axes);
      const centered = sub(x, mu);
      const v = div(sum(square(centered), axes), count);
      y = div(centered, sqrt(add(v, this.eps)));
      // Tensor ops and in-place assigns: the running statistics never leave the backend.
      noGrad(() =>
        tidy(() => {
          const m = this.momentum;
          const unbias = count / (count - 1);
          assign(this.runningMean, add(mul(this.runningMean, 1 - m), mul(mu, m)), { move: true });
          assign(this.runningVar, add(mul(this.runningVar, 1 - m), mul(v, m * unbias)), { move: true });
        }),
      );
    } else {
      y = div(sub(x, this.runningMean), sqrt(add(this.runningVar, this.eps)));
    }
    if (this.gamma) y = mul(y, this.gamma);
    if (this.beta) y = add(y, this.beta);
    return y;
  }

  override getConfig() {
    return {
      ...super.getConfig(), momentum: this.momentum, eps: this.eps, scale: this.scale, center: this.center,
      gammaInitializer: this.gammaInitializer, betaInitializer: this.betaInitializer,
    };
  }
}

export interface LayerNormOptions extends LayerOptions {
  eps?: number;
  scale?: boolean;
  center?: boolean;
}

/** Layer normalization over the last axis: each sample by its own mean and (biased) variance; same in training and inference. */
export class LayerNorm extends Layer {
  readonly eps: number;
  readonly scale: boolean;
  readonly center: boolean;
  gamma?: Tensor;
  beta?: Tensor;

  constructor(allOptions: LayerNormOptions = {}) {
    const { eps = 1e-5, scale = true, center = true, ...options } = checkLayerOptions('layerNorm', allOptions, ['eps', 'scale', 'center']);
    super(options, 'layerNorm');
    bools('layerNorm', { scale, center });
    if (!(eps > 0)) throw new NNError(ErrorCode.InvalidArgument, `layerNorm: eps must be > 0, got ${eps}`);
    this.eps = eps;
    this.scale = scale;
    this.center = center;
  }

  static fromConfig(config: JsonObject): LayerNorm {
    return new LayerNorm({ ...(config as LayerNormOptions), ...baseOptions(config) });
  }

  override build(inputShape: Shape): void {
    const n = featuresOf(this.name, inputShape);
    if (this.scale) this.gamma = this.addWeight('gamma', [n], 'ones');
    if (this.center) this.beta = this.addWeight('beta', [n], 'zeros');
  }

  call(x: Tensor): Tensor {
    const mu = mean(x, -1, true);
    const centered = sub(x, mu);
    const v = mean(square(centered), -1, true);
    let y = div(centered, sqrt(add(v, this.eps)));
    if (this.gamma) y = mul(y, this.gamma);
    if (this.beta) y = add(y, this.beta);
    return y;
  }

  override getConfig() {
    return { ...super.getConfig(), eps: this.eps, scale: this.scale, center: this.center };
  }
}

export const batchNorm = (options?: BatchNormOptions) => new BatchNorm(options);
export const layerNorm = (options?: LayerNormOptions) => new LayerNorm(options);
registry.register('layer', 'batchNorm', BatchNorm);
registry.register('layer', 'layerNorm', LayerNorm);
