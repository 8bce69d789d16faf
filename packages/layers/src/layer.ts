import { checkOptions, ErrorCode, NNError, optionError, registry, type JsonObject } from '@nn/core';
import { keep, MAX_TENSOR_SIZE, noGrad, tensor, Tensor, type NestedArray } from '@nn/tensor';
import { getInitializer, type Initializer, type InitializerSpec } from './initializers.js';
import type { ConstraintLike, RegularizerLike } from './kinds.js';
import { resolveByName } from './resolve.js';
import { applyLayer, type SymbolicTensor } from './functional/symbolic.js';

/** A shape as layers see it: `null` stands for the batch dimension (or any unknown size). */
export type Shape = readonly (number | null)[];

/** What the registry holds under kind `layer`: a class rebuilding a layer from its config. */
export interface LayerClass {
  fromConfig(config: JsonObject): Layer;
}

declare module '@nn/core' {
  interface RegistryKinds {
    layer: LayerClass;
  }
}

/** The layer class registered under `name`; an unknown name throws with near misses. */
export const getLayerClass = (name: string): LayerClass => registry.get('layer', name);

export const fmtShape = (s: Shape): string => `(${s.map((d) => (d === null ? 'None' : d)).join(', ')}${s.length === 1 ? ',' : ''})`;

/** One variable of a layer. Non-trainable weights (batchNorm's running statistics) are saved but not optimized. */
export interface Weight {
  name: string;
  value: Tensor;
  trainable: boolean;
  regularizer?: RegularizerLike;
  constraint?: ConstraintLike;
}

export interface LayerOptions {
  name?: string;
  trainable?: boolean;
  /** The shape of one sample (no batch axis), as Keras' `input_shape`: lets a model build before it sees data. */
  inputShape?: number[];
}

/** The option names every layer takes (LayerOptions). */
export const LAYER_OPTION_NAMES = ['name', 'trainable', 'inputShape'] as const;

/**
 * Checks a layer's options object: only its `own` names and the base ones ({@link LAYER_OPTION_NAMES}), so
 * `dense(4, { activaton: 'relu' })` fails with the near miss instead of building a linear layer. Every layer
 * factory calls it with its own names; configs read back from JSON go through the same check.
 */
export function checkLayerOptions<T>(where: string, options: T, own: readonly string[]): NonNullable<T> {
  return checkOptions(where, options ?? undefined, [...own, ...LAYER_OPTION_NAMES], { ignoreUndefined: true }) as NonNullable<T>;
}

/** A layer size (units, filters): a positive integer small enough that its weights can be allocated. */
export function layerSize(where: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0 || v > MAX_TENSOR_SIZE) {
    throw optionError(where, name, `must be a positive integer (at most ${MAX_TENSOR_SIZE})`, v);
  }
  return v;
}

export type RegularizerSpec = RegularizerLike | string;
export type ConstraintSpec = ConstraintLike | string;

export const resolveRegularizer = (r: RegularizerSpec | undefined, what: string): RegularizerLike | undefined =>
  r === undefined || r === null ? undefined : resolveByName<RegularizerLike>('regularizer', r, 'penalty', what);
export const resolveConstraint = (c: ConstraintSpec | undefined, what: string): ConstraintLike | undefined =>
  c === undefined || c === null ? undefined : resolveByName<ConstraintLike>('constraint', c, 'apply', what);

const counters = new Map<string, number>();

/** Keras-style unique names: `dense`, `dense_1`, `dense_2`, … */
export function uniqueName(base: string): string {
  const n = counters.get(base) ?? 0;
  counters.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}

/** Values accepted by `setWeights`: tensors, nested arrays or flat typed arrays (flat ones must have the right size). */
export type WeightValue = Tensor | NestedArray | Float32Array | readonly number[];

/**
 * The base of every layer: weights made in a lazy `build` from the first input's shape (so `dense(64)`
 * needs no input size), a `training` flag passed to `call`, and a config that rebuilds the layer from JSON.
 */
export abstract class Layer {
  name: string;
  built = false;
  inputShape?: number[];
  protected readonly ownWeights: Weight[] = [];
  /** The activity-regularization penalty of the last training call; the model adds it to the loss and clears it. */
  activityLoss?: Tensor;
  private _trainable: boolean;
  /** A layer holding this one is frozen (set by the holder's `trainable` setter and construction). */
  private frozenByHolder = false;

  constructor(options: LayerOptions = {}, defaultName = 'layer') {
    const { name, trainable, inputShape } = options ?? {};
    // The base options' types are checked here, once for every layer (the names are checked by each factory).
    if (name !== undefined && (typeof name !== 'string' || name === '')) throw optionError(defaultName, 'name', 'must be a non-empty string', name);
    if (trainable !== undefined && typeof trainable !== 'boolean') throw optionError(defaultName, 'trainable', 'must be true or false', trainable);
    if (inputShape !== undefined && inputShape !== null && (!Array.isArray(inputShape) || inputShape.some((d) => !Number.isInteger(d) || d <= 0))) {
      throw optionError(defaultName, 'inputShape', 'must be an array of positive integers (one sample\'s shape, no batch axis)', inputShape);
    }
    this.name = name ?? uniqueName(defaultName);
    this._trainable = trainable ?? true;
    if (inputShape) this.inputShape = [...inputShape];
  }

  /**
   * The state of a random stream of this layer's own (seeded dropout), for checkpoints; undefined when it has
   * none. A checkpoint saves it per layer and `fit({ resumeFrom })` gives it back with {@link setRandomState}.
   */
  randomState(): unknown {
    return undefined;
  }

  setRandomState(_state: unknown): void {}

  /** Layers inside this one (a sequential's layers, a residual's block, a dense layer's learnable activation). */
  children(): Layer[] {
    return [];
  }

  /** This layer and every layer inside it, depth first. */
  descendants(): Layer[] {
    const out: Layer[] = [];
    const visit = (l: Layer): void => {
      out.push(l);
      for (const c of l.children()) visit(c);
    };
    visit(this);
    return out;
  }

  /** Makes the weights for inputs of `inputShape` (batch axis included). Called once, before the first `call`. */
  build(inputShape: Shape): void {
    void inputShape;
  }

  /** The forward computation. `training` switches batchNorm to batch statistics (and dropout on). */
  abstract call(x: Tensor, training: boolean): Tensor;

  computeOutputShape(inputShape: Shape): Shape {
    return inputShape;
  }

  /** Builds the layer (once) and its sublayers for `inputShape`. */
  ensureBuilt(inputShape: Shape): void {
    if (this.built) return;
    this.build(inputShape);
    this.built = true;
  }

  /**
   * Runs the layer on `x`, building it first if needed. On symbolic tensors (from `input()`) it records the
   * call for a functional model instead and returns the symbolic output. Several inputs (merge layers,
   * initial states) come as a list; a layer with several outputs needs {@link applyAll}.
   */
  apply(x: Tensor, options?: { training?: boolean }): Tensor;
  apply(x: SymbolicTensor | readonly SymbolicTensor[], options?: { training?: boolean }): SymbolicTensor;
  apply(x: readonly Tensor[], options?: { training?: boolean }): Tensor;
  apply(x: Tensor | SymbolicTensor | readonly Tensor[] | readonly SymbolicTensor[], options: { training?: boolean } = {}): Tensor | SymbolicTensor {
    const { training = false } = checkOptions(`${this.name}.apply`, options, ['training']);
    if (typeof training !== 'boolean') throw optionError(`${this.name}.apply`, 'training', 'must be true or false', training);
    if (x instanceof Tensor) return this.applyTensor(x, training);
    const outputs = applyLayer(this, x, training);
    if (outputs.length !== 1) throw new NNError(ErrorCode.InvalidArgument, `${this.name}.apply: the layer gives ${outputs.length} outputs (e.g. returnState); use applyAll to get them all`);
    return outputs[0];
  }

  /**
   * @internal `apply` on a real tensor with a known `training` flag: what containers (sequential, residual)
   * call for each of their layers every step, without re-checking an options object they built themselves.
   */
  applyTensor(x: Tensor, training: boolean): Tensor {
    this.ensureBuilt(x.shape);
    return this.call(x, training);
  }

  /** Every output of the layer on `x` (one or a list; real or symbolic): `const [y, h, c] = lstm(8, { returnState: true }).applyAll(x)`. */
  applyAll(x: SymbolicTensor | readonly SymbolicTensor[], options?: { training?: boolean }): SymbolicTensor[];
  applyAll(x: Tensor | readonly Tensor[], options?: { training?: boolean }): Tensor[];
  applyAll(x: Tensor | SymbolicTensor | readonly Tensor[] | readonly SymbolicTensor[], { training = false }: { training?: boolean } = {}): Tensor[] | SymbolicTensor[] {
    return applyLayer(this, x, training);
  }

  get trainable(): boolean {
    return this._trainable;
  }

  /** Freezing a layer freezes everything inside it: its weights stop requiring gradients. */
  set trainable(value: boolean) {
    this._trainable = value;
    this.syncRequiresGrad(true);
  }

  /** @internal */
  syncRequiresGrad(parentTrainable: boolean): void {
    this.frozenByHolder = !parentTrainable;
    const on = parentTrainable && this._trainable;
    for (const w of this.ownWeights) w.value.requiresGrad = on && w.trainable;
    for (const c of this.children()) c.syncRequiresGrad(on);
  }

  /** Whether this layer is frozen: `trainable = false` on it or on a layer holding it. */
  protected get frozen(): boolean {
    return !this._trainable || this.frozenByHolder;
  }

  /** Adds a weight made by `initializer`; fans default to Keras' (`[in, out]`: fanIn = in, fanOut = out). */
  protected addWeight(
    name: string,
    shape: number[],
    initializer: InitializerSpec,
    options: { trainable?: boolean; regularizer?: RegularizerLike; constraint?: ConstraintLike; fans?: { fanIn: number; fanOut: number } } = {},
  ): Tensor {
    const init: Initializer = getInitializer(initializer);
    const size = shape.reduce((a, b) => a * b, 1);
    if (size > MAX_TENSOR_SIZE) {
      throw new NNError('SIZE_LIMIT', `${this.name}: weight ${name} of shape [${shape.join(',')}] has ${size.toExponential(3)} elements, more than the ${MAX_TENSOR_SIZE} one tensor can hold`, { layer: this.name, weight: name, shape });
    }
    const value = keep(init.init(shape, options.fans ?? fansOf(shape)));
    const trainable = options.trainable ?? true;
    value.requiresGrad = trainable && !this.frozen;
    this.ownWeights.push({ name, value, trainable, regularizer: options.regularizer, constraint: options.constraint });
    return value;
  }

  /** Every weight of this layer and its sublayers, depth first, with its path (`dense_1/kernel`). */
  allWeights(prefix = ''): (Weight & { path: string; active: boolean })[] {
    const path = prefix ? `${prefix}/${this.name}` : this.name;
    return this.collect(path, true);
  }

  /**
   * Visits every weight of this layer and its sublayers in {@link allWeights}' order with whether it is
   * trained, making no paths or copies: the walk a training step does a few times per batch. @internal
   */
  forEachWeight(fn: (w: Weight, active: boolean) => void, parentTrainable = true): void {
    const on = parentTrainable && this._trainable;
    for (const w of this.ownWeights) fn(w, on && w.trainable);
    for (const c of this.children()) c.forEachWeight(fn, on);
  }

  private collect(path: string, parentTrainable: boolean): (Weight & { path: string; active: boolean })[] {
    const on = parentTrainable && this._trainable;
    const own = this.ownWeights.map((w) => ({ ...w, path: `${path}/${w.name}`, active: on && w.trainable }));
    return [...own, ...this.children().flatMap((c) => c.collect(`${path}/${c.name}`, on))];
  }

  /** The tensors the optimizer updates. */
  get trainableWeights(): Tensor[] {
    return this.allWeights().filter((w) => w.active).map((w) => w.value);
  }

  get nonTrainableWeights(): Tensor[] {
    return this.allWeights().filter((w) => !w.active).map((w) => w.value);
  }

  /** Copies of all weights (trainable first per layer, as they were added), safe to keep across training. */
  getWeights(): Tensor[] {
    return noGrad(() => this.allWeights().map((w) => w.value.clone()));
  }

  /** Overwrites the weights in place (optimizers keep their references), in `getWeights()` order. */
  setWeights(values: readonly WeightValue[] | readonly unknown[]): void {
    const weights = this.allWeights();
    if (!this.built && weights.length === 0) {
      throw new NNError(ErrorCode.StateMismatch, `${this.name}.setWeights: the layer is not built yet (call it on data, or give inputShape) so it has no weights to set`);
    }
    if (values.length !== weights.length) {
      throw new NNError(ErrorCode.ShapeMismatch, `${this.name}.setWeights: expected ${weights.length} arrays (${weights.map((w) => w.path).join(', ')}), got ${values.length}`);
    }
    weights.forEach((w, i) => {
      const src = toWeightTensor(values[i] as WeightValue, w.value.shape);
      if (src.shape.join() !== w.value.shape.join()) {
        throw new NNError(ErrorCode.ShapeMismatch, `${this.name}.setWeights: ${w.path} has shape [${w.value.shape.join(',')}], got [${src.shape.join(',')}]`, { weight: w.path });
      }
      w.value.assign(src);
    });
  }

  countParams(): number {
    return this.allWeights().reduce((n, w) => n + w.value.size, 0);
  }

  /** Regularization penalties of this layer's weights (scalars to add to the loss). */
  regularizationLosses(): Tensor[] {
    const out: Tensor[] = [];
    this.forEachWeight((w, active) => {
      if (w.regularizer && active) out.push(w.regularizer.penalty(w.value));
    });
    return out;
  }

  /** Projects weights back onto their constraints; run after each optimizer step. */
  applyConstraints(): void {
    this.forEachWeight((w) => w.constraint?.apply(w.value));
  }

  /** The options that rebuild this layer (not its weights). Nested layers appear as layer objects. */
  getConfig(): Record<string, unknown> {
    return { name: this.name, trainable: this._trainable, ...(this.inputShape ? { inputShape: this.inputShape } : {}) };
  }
}

function fansOf(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[shape.length - 2] * receptive, fanOut: shape[shape.length - 1] * receptive };
}

function toWeightTensor(v: WeightValue, shape: readonly number[]): Tensor {
  if (v instanceof Tensor) return v;
  if (v instanceof Float32Array || (Array.isArray(v) && v.every((e) => typeof e === 'number'))) {
    const flat = Float32Array.from(v as ArrayLike<number>);
    return flat.length === shape.reduce((a, b) => a * b, 1) ? tensor(flat, shape) : tensor(flat);
  }
  return tensor(v as NestedArray);
}

/** A config's shared fields back as layer options. */
export function baseOptions(config: Record<string, unknown>): LayerOptions {
  return {
    name: config.name as string | undefined,
    trainable: config.trainable as boolean | undefined,
    inputShape: config.inputShape as number[] | undefined,
  };
}
