import { bool, ErrorCode, finite, NNError, registry, type JsonObject } from '@nn/core';
import {
  add, elu, gelu, hardSigmoid, leakyRelu, logSoftmax, max, mish, mul, neg, relu, reshape, selu, sigmoid, sign, softmax,
  softplus, step, swish, tanh, type Tensor,
} from '@nn/tensor';
import { Constant, type InitializerSpec } from './initializers.js';
import { rememberLogits } from './logits.js';
import { baseOptions, checkLayerOptions, Layer, type LayerOptions, type Shape } from './layer.js';

/** What the registry holds under kind `activation`: a class rebuilding an activation layer from config. */
export interface ActivationClass {
  fromConfig(config: JsonObject): ActivationLayer;
}

declare module '@nn/core' {
  interface RegistryKinds {
    activation: ActivationClass;
  }
}

/**
 * An activation is a layer: stateless ones have no weights, learnable ones (prelu, swish with a learnable
 * beta) have a few. So `activation('prelu')` and `dense(8, { activation: 'prelu' })` need nothing special.
 */
export abstract class ActivationLayer extends Layer {
  /** The registry name (`relu`), shown by summary(). */
  abstract readonly kind: string;
  /** Whether it learns weights (then a config must carry more than its name). */
  get learnable(): boolean {
    return false;
  }
}

type Fn = (x: Tensor) => Tensor;

/** A weightless activation whose config is a few numbers (`slope`, `alpha`, `axis`, `pieces`). */
export abstract class SimpleActivation<P extends Record<string, number> = Record<string, number>> extends ActivationLayer {
  readonly params: P;
  constructor(kind: string, defaults: P, options: Partial<P> & LayerOptions = {}) {
    super(checkLayerOptions(kind, options, Object.keys(defaults)), kind);
    const params = { ...defaults } as Record<string, number>;
    for (const k of Object.keys(defaults)) {
      const v = (options as Record<string, unknown>)[k];
      if (v !== undefined) {
        if (typeof v !== 'number' || !Number.isFinite(v)) throw new NNError(ErrorCode.InvalidArgument, `${kind}: ${k} must be a finite number, got ${String(v)}`);
        params[k] = v;
      }
    }
    this.params = params as P;
  }
  override getConfig() {
    return { ...super.getConfig(), ...this.params };
  }
}

/** The class of a {@link SimpleActivation}, as registered. */
export interface SimpleActivationClass<P extends Record<string, number>> {
  new (options?: Partial<P> & LayerOptions): SimpleActivation<P>;
  fromConfig(config: JsonObject): SimpleActivation<P>;
}

/** Declares and registers a weightless activation; `defaults` are its config's numbers. */
function simple<P extends Record<string, number>>(kind: string, className: string, defaults: P, fn: (x: Tensor, p: P) => Tensor): SimpleActivationClass<P> {
  const C = class extends SimpleActivation<P> {
    readonly kind = kind;
    constructor(options: Partial<P> & LayerOptions = {}) {
      super(kind, defaults, options);
    }
    static fromConfig(config: JsonObject) {
      return new C({ ...(config as Partial<P>), ...baseOptions(config) });
    }
    call(x: Tensor): Tensor {
      return fn(x, this.params);
    }
  };
  Object.defineProperty(C, 'name', { value: className });
  registry.register('activation', kind, C);
  return C;
}

const none: Record<string, number> = {};
export const Linear = simple('linear', 'Linear', none, (x) => x);
/** The perceptron's step: 1 where x > 0, else 0 (gradient 0: not trainable by backprop, as the course says). */
export const Step = simple('step', 'Step', none, (x) => step(x));
/** sign(x) in {-1, 0, 1}: the perceptron's ±1 form of the step. */
export const Sign = simple('sign', 'Sign', none, (x) => sign(x));
export const Sigmoid = simple('sigmoid', 'Sigmoid', none, (x) => rememberLogits(sigmoid(x), 'sigmoid', x));
export const Tanh = simple('tanh', 'Tanh', none, (x) => tanh(x));
export const ReLU = simple('relu', 'ReLU', none, (x) => relu(x));
/** slope 0.01 by default (PyTorch's; Keras' LeakyReLU layer uses 0.3). */
export const LeakyReLU = simple('leakyRelu', 'LeakyReLU', { slope: 0.01 }, (x, p) => leakyRelu(x, p.slope));
export const ELU = simple('elu', 'ELU', { alpha: 1 }, (x, p) => elu(x, p.alpha));
export const SELU = simple('selu', 'SELU', none, (x) => selu(x));
export const Softplus = simple('softplus', 'Softplus', none, (x) => softplus(x));
export const GELU = simple('gelu', 'GELU', none, (x) => gelu(x));
export const Mish = simple('mish', 'Mish', none, (x) => mish(x));
export const HardSigmoid = simple('hardSigmoid', 'HardSigmoid', none, (x) => hardSigmoid(x));
export const Softmax = simple('softmax', 'Softmax', { axis: -1 }, (x, p) => (p.axis === -1 || p.axis === x.rank - 1 ? rememberLogits(softmax(x, p.axis), 'softmax', x) : softmax(x, p.axis)));
export const LogSoftmax = simple('logSoftmax', 'LogSoftmax', { axis: -1 }, (x, p) => logSoftmax(x, p.axis));
/**
 * Maxout as an activation: the max over groups of `pieces` consecutive features, so
 * `dense(k * units, { activation: activation('maxout', { pieces: k }) })` is `units` maxout units with k
 * affine pieces each (the `maxout(units, { pieces })` layer does the same with its own weights).
 */
export const MaxoutActivation = simple('maxout', 'MaxoutActivation', { pieces: 2 }, (x, p) => {
  const d = x.shape[x.rank - 1];
  if (d % p.pieces !== 0) throw new NNError(ErrorCode.ShapeMismatch, `maxout: ${d} features do not split into groups of ${p.pieces} pieces`);
  return max(reshape(x, [...x.shape.slice(0, -1), d / p.pieces, p.pieces]), -1);
});
registry.register('activation', 'logistic', Sigmoid);
registry.register('activation', 'identity', Linear);

MaxoutActivation.prototype.computeOutputShape = function (this: SimpleActivation<{ pieces: number }>, s: Shape): Shape {
  const d = s[s.length - 1];
  return [...s.slice(0, -1), d === null ? null : d / this.params.pieces];
};

export interface SwishOptions extends LayerOptions {
  /** σ(beta·x)·x; beta 1 is SiLU. */
  beta?: number;
  /** Learn beta (one scalar weight, starting at `beta`). */
  learnable?: boolean;
}

/** Swish x·σ(βx), with β fixed or learned. */
export class Swish extends ActivationLayer {
  readonly kind = 'swish';
  readonly beta: number;
  private readonly learnBeta: boolean;
  private betaWeight?: Tensor;
  constructor(allOptions: SwishOptions = {}) {
    const { beta = 1, learnable = false, ...options } = checkLayerOptions('swish', allOptions, ['beta', 'learnable']);
    super(options, 'swish');
    finite('swish', 'beta', beta);
    bool('swish', 'learnable', learnable);
    this.beta = beta;
    this.learnBeta = learnable;
  }
  override get learnable(): boolean {
    return this.learnBeta;
  }
  static fromConfig(config: JsonObject) {
    return new Swish({ ...(config as SwishOptions), ...baseOptions(config) });
  }
  override build(): void {
    if (this.learnable) this.betaWeight = this.addWeight('beta', [1], new Constant({ value: this.beta }));
  }
  call(x: Tensor): Tensor {
    return this.betaWeight ? mul(x, sigmoid(mul(x, this.betaWeight))) : swish(x, this.beta);
  }
  override getConfig() {
    return { ...super.getConfig(), beta: this.beta, learnable: this.learnable };
  }
}
registry.register('activation', 'swish', Swish);
registry.register('activation', 'silu', Swish);

export interface PReLUOptions extends LayerOptions {
  /** One slope for all features instead of one per feature (channel = last axis). */
  shared?: boolean;
  /** The slopes' start; constant 0.25 as PyTorch (Keras starts at zeros). */
  alphaInitializer?: InitializerSpec;
}

/** Parametric ReLU: x for x > 0, alpha·x otherwise, with alpha learned (He et al. 2015). */
export class PReLU extends ActivationLayer {
  readonly kind = 'prelu';
  override get learnable(): boolean {
    return true;
  }
  readonly shared: boolean;
  readonly alphaInitializer: InitializerSpec;
  private alpha!: Tensor;
  constructor(allOptions: PReLUOptions = {}) {
    const { shared = false, alphaInitializer = new Constant({ value: 0.25 }), ...options } = checkLayerOptions('prelu', allOptions, ['shared', 'alphaInitializer']);
    super(options, 'prelu');
    bool('prelu', 'shared', shared);
    this.shared = shared;
    this.alphaInitializer = alphaInitializer;
  }
  static fromConfig(config: JsonObject) {
    return new PReLU({ ...(config as PReLUOptions), ...baseOptions(config) });
  }
  override build(inputShape: Shape): void {
    const channels = inputShape[inputShape.length - 1];
    if (!this.shared && (channels === null || channels === undefined)) throw new NNError(ErrorCode.ShapeMismatch, `${this.name}: per-channel prelu needs a known last dimension, got input shape [${inputShape.join(',')}]`);
    this.alpha = this.addWeight('alpha', [this.shared ? 1 : (channels as number)], this.alphaInitializer);
  }
  call(x: Tensor): Tensor {
    // relu(x) − alpha·relu(−x): the gradient for alpha is −relu(−x) = min(x, 0), summed over the batch.
    return add(relu(x), mul(this.alpha, neg(relu(neg(x)))));
  }
  override getConfig() {
    return { ...super.getConfig(), shared: this.shared, alphaInitializer: this.alphaInitializer };
  }
}
registry.register('activation', 'prelu', PReLU);

export type ActivationSpec = string | ActivationLayer | ((x: Tensor) => Tensor);

/** A custom function as an activation (not serializable: register a class for models you save). */
class FunctionActivation extends ActivationLayer {
  readonly kind = 'function';
  constructor(private readonly fn: Fn) {
    super({}, fn.name || 'lambda');
  }
  call(x: Tensor): Tensor {
    return this.fn(x);
  }
}

/** An activation layer from a registered name (with options) or an instance; `undefined`/'linear' → identity. */
export function getActivation(spec: ActivationSpec, options: Record<string, unknown> = {}): ActivationLayer {
  if (typeof spec === 'string') return registry.get('activation', spec).fromConfig(options as JsonObject);
  if (spec instanceof ActivationLayer) return spec;
  if (typeof spec === 'function') return new FunctionActivation(spec);
  throw new NNError(ErrorCode.InvalidArgument, `activation: expected a name (${registry.list('activation').join(', ')}), an activation layer or a function, got ${typeof spec}`);
}

/** Keras' `Activation` layer: `activation('relu')`, `activation('leakyRelu', { slope: 0.2 })`. */
export function activation(spec: ActivationSpec, options: Record<string, unknown> = {}): ActivationLayer {
  return getActivation(spec, options);
}

export const prelu = (options?: PReLUOptions) => new PReLU(options);
export const swishActivation = (options?: SwishOptions) => new Swish(options);
