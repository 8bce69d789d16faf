import { ErrorCode, NNError, optionError, registry, type JsonObject } from '@nn/core';
import { fusedMatmul, type FusedActivation, type Tensor } from '@nn/tensor';
import { getActivation, type ActivationLayer, type ActivationSpec } from './activations.js';
import { getInitializer, type InitializerSpec } from './initializers.js';
import {
  baseOptions, checkLayerOptions, Layer, layerSize, resolveConstraint, resolveRegularizer, type ConstraintSpec, type LayerOptions, type RegularizerSpec, type Shape,
} from './layer.js';
import type { ConstraintLike, RegularizerLike } from './kinds.js';

export interface DenseOptions extends LayerOptions {
  activation?: ActivationSpec;
  useBias?: boolean;
  /** Keras' default: glorotUniform. */
  kernelInitializer?: InitializerSpec;
  /** Keras' default: zeros. */
  biasInitializer?: InitializerSpec;
  kernelRegularizer?: RegularizerSpec;
  biasRegularizer?: RegularizerSpec;
  /** A penalty on the layer's output, added to the loss. */
  activityRegularizer?: RegularizerSpec;
  kernelConstraint?: ConstraintSpec;
  biasConstraint?: ConstraintSpec;
}

const DENSE_OPTIONS = [
  'activation', 'useBias', 'kernelInitializer', 'biasInitializer', 'kernelRegularizer', 'biasRegularizer', 'activityRegularizer', 'kernelConstraint', 'biasConstraint',
];

/** y = activation(x·W + b), W of shape `[in, out]` (Keras' layout), b of shape `[out]`. */
export class Dense extends Layer {
  readonly units: number;
  readonly activation?: ActivationLayer;
  readonly useBias: boolean;
  readonly options: DenseOptions;
  kernel!: Tensor;
  bias?: Tensor;
  private readonly activity?: RegularizerLike;
  /** Memo of fusedActivation(): null when the activation runs as its own layer. */
  private fusable?: FusedActivation | null;
  private readonly penalties: { kernel?: RegularizerLike; bias?: RegularizerLike };
  private readonly constraints: { kernel?: ConstraintLike; bias?: ConstraintLike };

  constructor(units: number, options: DenseOptions = {}) {
    options = checkLayerOptions('dense', options, DENSE_OPTIONS);
    super(options, 'dense');
    this.units = layerSize('dense', 'units', units);
    if (options.useBias !== undefined && typeof options.useBias !== 'boolean') throw optionError('dense', 'useBias', 'must be true or false', options.useBias);
    this.useBias = options.useBias ?? true;
    this.options = options;
    if (options.activation !== undefined && options.activation !== null && options.activation !== 'linear') this.activation = getActivation(options.activation);
    // Names resolve here, not at build: a typo or a missing package fails where the layer is written.
    this.activity = resolveRegularizer(options.activityRegularizer, `${this.name}.activityRegularizer`);
    this.penalties = {
      kernel: resolveRegularizer(options.kernelRegularizer, `${this.name}.kernelRegularizer`),
      bias: resolveRegularizer(options.biasRegularizer, `${this.name}.biasRegularizer`),
    };
    this.constraints = {
      kernel: resolveConstraint(options.kernelConstraint, `${this.name}.kernelConstraint`),
      bias: resolveConstraint(options.biasConstraint, `${this.name}.biasConstraint`),
    };
    for (const init of [options.kernelInitializer, options.biasInitializer]) if (init !== undefined) getInitializer(init);
  }

  static fromConfig(config: JsonObject): Dense {
    const { units, ...rest } = config as unknown as DenseOptions & { units: number };
    return new Dense(units, { ...rest, ...baseOptions(config) });
  }

  override children(): Layer[] {
    return this.activation ? [this.activation] : [];
  }

  override build(inputShape: Shape): void {
    const inDim = inputShape[inputShape.length - 1];
    if (typeof inDim !== 'number') throw new NNError(ErrorCode.ShapeMismatch, `${this.name}: the last input dimension must be known, got [${inputShape.join(',')}]`);
    const o = this.options;
    this.kernel = this.addWeight('kernel', [inDim, this.units], o.kernelInitializer ?? 'glorotUniform', {
      regularizer: this.penalties.kernel,
      constraint: this.constraints.kernel,
    });
    if (this.useBias) {
      this.bias = this.addWeight('bias', [this.units], o.biasInitializer ?? 'zeros', {
        regularizer: this.penalties.bias,
        constraint: this.constraints.bias,
      });
    }
    this.activation?.ensureBuilt(this.computeOutputShape(inputShape));
  }

  call(x: Tensor, training: boolean): Tensor {
    const inDim = this.kernel.shape[0];
    if (x.shape[x.rank - 1] !== inDim) {
      throw new NNError(ErrorCode.ShapeMismatch, `${this.name}: expected inputs with ${inDim} features (last axis), got shape [${x.shape.join(',')}]`);
    }
    // One kernel where the backend fuses bias and activation into its GEMM (wasm); three ops elsewhere.
    const fused = this.fusedActivation();
    let y = fusedMatmul(x, this.kernel, { bias: this.bias, activation: fused ?? 'linear' });
    if (this.activation && !fused) y = this.activation.applyTensor(y, training);
    if (this.activity && training) this.activityLoss = this.activity.penalty(y);
    return y;
  }

  /**
   * The activation as a fusedMatmul epilogue, when it is a plain relu/tanh (no options, no weights). Sigmoid
   * runs as its own layer: it records its logits, from which binaryCrossentropy is computed exactly (Keras'
   * `_keras_logits`); a fused sigmoid would leave the loss a clipped probability, flat and without gradient
   * once the unit saturates, as the course's unscaled breast-cancer example does at once.
   */
  private fusedActivation(): FusedActivation | undefined {
    if (this.fusable === undefined) {
      const kind = this.activation?.kind;
      this.fusable = !this.activation ? 'linear' : (kind === 'relu' || kind === 'tanh') && isDefaultStateless(this.activation) ? kind : null;
    }
    return this.fusable ?? undefined;
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape.slice(0, -1), this.units];
  }

  override getConfig() {
    const o = this.options;
    return {
      ...super.getConfig(),
      units: this.units,
      activation: denseActivationConfig(this.activation),
      useBias: this.useBias,
      kernelInitializer: o.kernelInitializer ?? 'glorotUniform',
      biasInitializer: o.biasInitializer ?? 'zeros',
      kernelRegularizer: o.kernelRegularizer,
      biasRegularizer: o.biasRegularizer,
      activityRegularizer: o.activityRegularizer,
      kernelConstraint: o.kernelConstraint,
      biasConstraint: o.biasConstraint,
    };
  }
}

/** Whether the activation is fully described by its name (so the config can say just `'relu'`, as Keras). */
function isDefaultStateless(a: ActivationLayer): boolean {
  if (a.learnable || !registry.has('activation', a.kind)) return false;
  const fresh = registry.get('activation', a.kind).fromConfig({ name: a.name });
  const { name: _a, ...mine } = a.getConfig();
  const { name: _b, ...theirs } = fresh.getConfig();
  return JSON.stringify(mine) === JSON.stringify(theirs);
}

/** A dense or conv layer's `activation` config: its name when that says everything, else the layer; none is 'linear'. */
export function denseActivationConfig(a: ActivationLayer | undefined): unknown {
  return a ? (isDefaultStateless(a) ? a.kind : a) : 'linear';
}

/** Keras' `Dense(units, activation=...)`. */
export const dense = (units: number, options?: DenseOptions) => new Dense(units, options);
registry.register('layer', 'dense', Dense);
