import { ErrorCode, NNError, optionError, registry, type JsonObject } from '@nn/core';
import {
  add, convolution, convolutionOutputSize, depthwiseConvolution, transposedConvolution, transposedConvolutionOutputSize, type Pair, type Padding, type Tensor,
} from '@nn/tensor';
import { getActivation, type ActivationLayer, type ActivationSpec } from './activations.js';
import { denseActivationConfig } from './dense.js';
import { getInitializer, type InitializerSpec } from './initializers.js';
import type { ConstraintLike, RegularizerLike } from './kinds.js';
import {
  baseOptions, checkLayerOptions, fmtShape, Layer, layerSize, resolveConstraint, resolveRegularizer, type ConstraintSpec, type LayerOptions, type RegularizerSpec, type Shape,
} from './layer.js';
import { expectSpatial } from './spatial.js';

/** What every convolution layer takes (Keras' names; inputs are channels-last). */
export interface ConvBaseOptions extends LayerOptions {
  /** Window size: a number for every spatial axis, or one per axis. */
  kernelSize: Pair;
  strides?: Pair;
  /** `'valid'` (default), `'same'`, PyTorch's symmetric `p` (2-D: `[ph, pw]`), explicit sides; 1-D also `'causal'`. */
  padding?: Padding;
  dilationRate?: Pair;
  activation?: ActivationSpec;
  useBias?: boolean;
  biasInitializer?: InitializerSpec;
  biasRegularizer?: RegularizerSpec;
  /** A penalty on the layer's output, added to the loss. */
  activityRegularizer?: RegularizerSpec;
  biasConstraint?: ConstraintSpec;
}

export interface ConvOptions extends ConvBaseOptions {
  /** Channel groups (in and out channels must be divisible by it); the kernel is `[..., in/groups, filters]`. */
  groups?: number;
  /** Keras' default: glorotUniform. */
  kernelInitializer?: InitializerSpec;
  kernelRegularizer?: RegularizerSpec;
  kernelConstraint?: ConstraintSpec;
}

export interface DepthwiseConvOptions extends ConvBaseOptions {
  /** Filters per input channel (default 1): output channels = in · depthMultiplier. */
  depthMultiplier?: number;
  depthwiseInitializer?: InitializerSpec;
  depthwiseRegularizer?: RegularizerSpec;
  depthwiseConstraint?: ConstraintSpec;
}

export interface ConvTransposeOptions extends Omit<ConvOptions, 'padding' | 'groups'> {
  /** `'valid'` (default), `'same'` (output = input · strides) or PyTorch's symmetric `p` (2-D: `[ph, pw]`). */
  padding?: 'valid' | 'same' | number | readonly [number, number];
  /** Extra positions at the end of the output (Keras' `output_padding`); must be smaller than the stride. */
  outputPadding?: Pair;
}

const BASE_OPTIONS = ['kernelSize', 'strides', 'padding', 'dilationRate', 'activation', 'useBias', 'biasInitializer', 'biasRegularizer', 'activityRegularizer', 'biasConstraint'];
const KERNEL_OPTIONS = ['kernelInitializer', 'kernelRegularizer', 'kernelConstraint'];
const DEPTHWISE_OPTIONS = ['depthwiseInitializer', 'depthwiseRegularizer', 'depthwiseConstraint'];

/** A positive (or, for outputPadding, non-negative) integer per spatial axis, from a number or a tuple. */
function perAxis(where: string, name: string, v: unknown, rank: number, fallback: number, min = 1): number[] {
  const list = v === undefined ? new Array(rank).fill(fallback) : typeof v === 'number' ? new Array(rank).fill(v) : v;
  if (!Array.isArray(list) || list.length !== rank || !list.every((d) => Number.isInteger(d) && d >= min)) {
    throw optionError(where, name, `must be ${min === 1 ? 'a positive' : 'a non-negative'} integer${rank > 1 ? ` or ${rank} of them` : ''}`, v);
  }
  return list;
}

/** A per-axis list as the tensor ops take it: a number in 1-D, a pair in 2-D. */
const asPair = (v: readonly number[]): Pair => (v.length === 1 ? v[0] : [v[0], v[1]]);

/**
 * The shared part of the convolution layers: options, a kernel (named `weightName`) and an optional bias,
 * activation and activity penalty. Subclasses give the kernel's shape, the output channels and the op.
 */
export abstract class ConvBase extends Layer {
  readonly rank: 1 | 2;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly dilationRate: number[];
  readonly padding: Padding;
  readonly useBias: boolean;
  readonly activation?: ActivationLayer;
  kernel!: Tensor;
  bias?: Tensor;
  protected readonly options: ConvBaseOptions & Record<string, unknown>;
  private readonly activity?: RegularizerLike;
  private readonly penalties: { kernel?: RegularizerLike; bias?: RegularizerLike };
  private readonly constraints: { kernel?: ConstraintLike; bias?: ConstraintLike };

  private readonly weightName: 'kernel' | 'depthwiseKernel';

  constructor(kind: string, rank: 1 | 2, options: ConvBaseOptions, own: readonly string[], weightName: 'kernel' | 'depthwiseKernel') {
    const checked = checkLayerOptions(kind, options, [...BASE_OPTIONS, ...own]);
    super(checked, kind);
    this.weightName = weightName;
    if (checked.kernelSize === undefined) throw optionError(kind, 'kernelSize', 'is required', undefined);
    this.rank = rank;
    this.options = checked as ConvBaseOptions & Record<string, unknown>;
    this.kernelSize = perAxis(kind, 'kernelSize', checked.kernelSize, rank, 1);
    this.strides = perAxis(kind, 'strides', checked.strides, rank, 1);
    this.dilationRate = perAxis(kind, 'dilationRate', checked.dilationRate, rank, 1);
    this.padding = checked.padding ?? 'valid';
    if (checked.useBias !== undefined && typeof checked.useBias !== 'boolean') throw optionError(kind, 'useBias', 'must be true or false', checked.useBias);
    this.useBias = checked.useBias ?? true;
    if (checked.activation !== undefined && checked.activation !== null && checked.activation !== 'linear') this.activation = getActivation(checked.activation);
    // Names resolve here, not at build: a typo or a missing package fails where the layer is written.
    const prefix = weightName === 'kernel' ? 'kernel' : 'depthwise';
    this.activity = resolveRegularizer(checked.activityRegularizer, `${this.name}.activityRegularizer`);
    this.penalties = {
      kernel: resolveRegularizer(this.options[`${prefix}Regularizer`] as RegularizerSpec | undefined, `${this.name}.${prefix}Regularizer`),
      bias: resolveRegularizer(checked.biasRegularizer, `${this.name}.biasRegularizer`),
    };
    this.constraints = {
      kernel: resolveConstraint(this.options[`${prefix}Constraint`] as ConstraintSpec | undefined, `${this.name}.${prefix}Constraint`),
      bias: resolveConstraint(checked.biasConstraint, `${this.name}.biasConstraint`),
    };
    for (const init of [this.options[`${prefix}Initializer`], checked.biasInitializer]) if (init !== undefined) getInitializer(init as InitializerSpec);
  }

  /** The kernel's shape for `channels` input channels. */
  protected abstract kernelShape(channels: number): number[];
  /** Output channels for `channels` input channels. */
  protected abstract outChannels(channels: number): number;
  /** The op, without bias and activation. */
  protected abstract convolve(x: Tensor): Tensor;
  /** Output spatial sizes for known input spatial sizes. */
  protected abstract spatialOut(spatial: number[]): number[];

  /** The op's window options (1-D ops take numbers). */
  protected window() {
    return { strides: asPair(this.strides), dilation: asPair(this.dilationRate) };
  }

  private channelsOf(shape: Shape): number {
    expectSpatial(this.name, shape, this.rank);
    const c = shape[shape.length - 1];
    if (typeof c !== 'number') throw new NNError(ErrorCode.ShapeMismatch, `${this.name}: the channel axis (last) must be known, got shape ${fmtShape(shape)}`);
    return c;
  }

  override children(): Layer[] {
    return this.activation ? [this.activation] : [];
  }

  override build(inputShape: Shape): void {
    const c = this.channelsOf(inputShape);
    const prefix = this.weightName === 'kernel' ? 'kernel' : 'depthwise';
    const init = (this.options[`${prefix}Initializer`] as InitializerSpec | undefined) ?? 'glorotUniform';
    this.kernel = this.addWeight(this.weightName, this.kernelShape(c), init, { regularizer: this.penalties.kernel, constraint: this.constraints.kernel });
    if (this.useBias) {
      this.bias = this.addWeight('bias', [this.outChannels(c)], this.options.biasInitializer ?? 'zeros', { regularizer: this.penalties.bias, constraint: this.constraints.bias });
    }
    this.activation?.ensureBuilt(this.computeOutputShape(inputShape));
  }

  call(x: Tensor, training: boolean): Tensor {
    const c = this.channelsOf(x.shape);
    const expected = this.kernelInputChannels();
    if (c !== expected) throw new NNError(ErrorCode.ShapeMismatch, `${this.name}: built for ${expected} input channels (last axis), got shape ${fmtShape(x.shape)}`);
    let y = this.convolve(x);
    if (this.bias) y = add(y, this.bias);
    if (this.activation) y = this.activation.applyTensor(y, training);
    if (this.activity && training) this.activityLoss = this.activity.penalty(y);
    return y;
  }

  /** The input channels the built kernel takes. */
  protected abstract kernelInputChannels(): number;

  override computeOutputShape(inputShape: Shape): Shape {
    const c = this.channelsOf(inputShape);
    const spatial = inputShape.slice(1, -1);
    // An unknown size stays unknown; the others do not depend on it.
    const out = this.spatialOut(spatial.map((d) => d ?? 1 << 20));
    return [inputShape[0], ...spatial.map((d, i) => (d === null ? null : out[i])), this.outChannels(c)];
  }

  override getConfig() {
    const o = this.options;
    const prefix = this.weightName === 'kernel' ? 'kernel' : 'depthwise';
    return {
      ...super.getConfig(),
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      dilationRate: this.dilationRate,
      activation: denseActivationConfig(this.activation),
      useBias: this.useBias,
      [`${prefix}Initializer`]: o[`${prefix}Initializer`] ?? 'glorotUniform',
      biasInitializer: o.biasInitializer ?? 'zeros',
      [`${prefix}Regularizer`]: o[`${prefix}Regularizer`],
      biasRegularizer: o.biasRegularizer,
      activityRegularizer: o.activityRegularizer,
      [`${prefix}Constraint`]: o[`${prefix}Constraint`],
      biasConstraint: o.biasConstraint,
    };
  }
}

/** Keras' Conv1D/Conv2D: kernel `[k, in/groups, filters]` or `[kh, kw, in/groups, filters]`, bias `[filters]`. */
export class Conv extends ConvBase {
  readonly filters: number;
  readonly groups: number;

  constructor(kind: 'conv1d' | 'conv2d', filters: number, options: ConvOptions) {
    super(kind, kind === 'conv1d' ? 1 : 2, options, ['groups', ...KERNEL_OPTIONS], 'kernel');
    this.filters = layerSize(kind, 'filters', filters);
    const groups = (options as ConvOptions).groups ?? 1;
    if (!Number.isInteger(groups) || groups < 1) throw optionError(kind, 'groups', 'must be a positive integer', groups);
    if (this.filters % groups !== 0) throw optionError(kind, 'groups', `must divide filters (${this.filters})`, groups);
    this.groups = groups;
    convolutionOutputSize(new Array(this.rank).fill(1 << 20), { kernelSize: asPair(this.kernelSize), padding: this.padding, ...this.window() }, kind);
  }

  protected kernelShape(channels: number): number[] {
    if (channels % this.groups !== 0) throw new NNError(ErrorCode.ShapeMismatch, `${this.name}: groups ${this.groups} must divide the input channels, got ${channels}`);
    return [...this.kernelSize, channels / this.groups, this.filters];
  }
  protected outChannels(): number {
    return this.filters;
  }
  protected kernelInputChannels(): number {
    return this.kernel.shape[this.rank] * this.groups;
  }
  protected convolve(x: Tensor): Tensor {
    return convolution(x, this.kernel, { padding: this.padding, groups: this.groups, ...this.window() });
  }
  protected spatialOut(spatial: number[]): number[] {
    return convolutionOutputSize(spatial, { kernelSize: asPair(this.kernelSize), padding: this.padding, ...this.window() }, this.name);
  }
  override getConfig() {
    return { ...super.getConfig(), filters: this.filters, groups: this.groups };
  }
}

/** Keras' Conv1D. */
export class Conv1D extends Conv {
  constructor(filters: number, options: ConvOptions) {
    super('conv1d', filters, options);
  }
  static fromConfig(config: JsonObject): Conv1D {
    const { filters, ...rest } = config as unknown as ConvOptions & { filters: number };
    return new Conv1D(filters, { ...rest, ...baseOptions(config) });
  }
}

/** Keras' Conv2D. */
export class Conv2D extends Conv {
  constructor(filters: number, options: ConvOptions) {
    super('conv2d', filters, options);
  }
  static fromConfig(config: JsonObject): Conv2D {
    const { filters, ...rest } = config as unknown as ConvOptions & { filters: number };
    return new Conv2D(filters, { ...rest, ...baseOptions(config) });
  }
}

/** Keras' DepthwiseConv2D: kernel `depthwiseKernel` `[kh, kw, in, depthMultiplier]`, bias `[in · depthMultiplier]`. */
export class DepthwiseConv2D extends ConvBase {
  readonly depthMultiplier: number;

  constructor(options: DepthwiseConvOptions) {
    super('depthwiseConv2d', 2, options, ['depthMultiplier', ...DEPTHWISE_OPTIONS], 'depthwiseKernel');
    this.depthMultiplier = layerSize('depthwiseConv2d', 'depthMultiplier', options.depthMultiplier ?? 1);
    convolutionOutputSize([1 << 20, 1 << 20], { kernelSize: asPair(this.kernelSize), padding: this.padding, ...this.window() }, 'depthwiseConv2d');
  }
  static fromConfig(config: JsonObject): DepthwiseConv2D {
    return new DepthwiseConv2D({ ...(config as unknown as DepthwiseConvOptions), ...baseOptions(config) });
  }
  protected kernelShape(channels: number): number[] {
    return [...this.kernelSize, channels, this.depthMultiplier];
  }
  protected outChannels(channels: number): number {
    return channels * this.depthMultiplier;
  }
  protected kernelInputChannels(): number {
    return this.kernel.shape[2];
  }
  protected convolve(x: Tensor): Tensor {
    return depthwiseConvolution(x, this.kernel, { padding: this.padding, ...this.window() });
  }
  protected spatialOut(spatial: number[]): number[] {
    return convolutionOutputSize(spatial, { kernelSize: asPair(this.kernelSize), padding: this.padding, ...this.window() }, this.name);
  }
  override getConfig() {
    return { ...super.getConfig(), depthMultiplier: this.depthMultiplier };
  }
}

/** Keras' Conv2DTranspose: kernel `[kh, kw, filters, in]` (Keras' layout), bias `[filters]`. */
export class Conv2DTranspose extends ConvBase {
  readonly filters: number;
  readonly outputPadding?: number[];

  constructor(filters: number, options: ConvTransposeOptions) {
    super('conv2dTranspose', 2, options as ConvBaseOptions, ['outputPadding', ...KERNEL_OPTIONS], 'kernel');
    this.filters = layerSize('conv2dTranspose', 'filters', filters);
    if (options.outputPadding !== undefined && options.outputPadding !== null) this.outputPadding = perAxis('conv2dTranspose', 'outputPadding', options.outputPadding, 2, 0, 0);
    this.spatialOut([16, 16]);
  }
  static fromConfig(config: JsonObject): Conv2DTranspose {
    const { filters, ...rest } = config as unknown as ConvTransposeOptions & { filters: number };
    return new Conv2DTranspose(filters, { ...rest, ...baseOptions(config) });
  }
  private transposeOptions() {
    return { padding: this.padding as ConvTransposeOptions['padding'], outputPadding: this.outputPadding && asPair(this.outputPadding), ...this.window() };
  }
  protected kernelShape(channels: number): number[] {
    return [...this.kernelSize, this.filters, channels];
  }
  protected outChannels(): number {
    return this.filters;
  }
  protected kernelInputChannels(): number {
    return this.kernel.shape[3];
  }
  protected convolve(x: Tensor): Tensor {
    return transposedConvolution(x, this.kernel, this.transposeOptions());
  }
  protected spatialOut(spatial: number[]): number[] {
    return transposedConvolutionOutputSize(spatial, { kernelSize: asPair(this.kernelSize), ...this.transposeOptions() }, this.name);
  }
  override getConfig() {
    return { ...super.getConfig(), filters: this.filters, outputPadding: this.outputPadding };
  }
}

/** Keras' `Conv1D(filters, kernel_size, ...)` over `[batch, steps, channels]`. */
export const conv1d = (filters: number, options: ConvOptions) => new Conv1D(filters, options);
/** Keras' `Conv2D(filters, kernel_size, ...)` over `[batch, height, width, channels]`. */
export const conv2d = (filters: number, options: ConvOptions) => new Conv2D(filters, options);
/** Keras' `DepthwiseConv2D(kernel_size, depth_multiplier=1, ...)`. */
export const depthwiseConv2d = (options: DepthwiseConvOptions) => new DepthwiseConv2D(options);
/** Keras' `Conv2DTranspose(filters, kernel_size, ...)`. */
export const conv2dTranspose = (filters: number, options: ConvTransposeOptions) => new Conv2DTranspose(filters, options);
registry.register('layer', 'conv1d', Conv1D);
registry.register('layer', 'conv2d', Conv2D);
registry.register('layer', 'depthwiseConv2d', DepthwiseConv2D);
registry.register('layer', 'conv2dTranspose', Conv2DTranspose);
