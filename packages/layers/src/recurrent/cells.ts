import { ErrorCode, NNError, optionError, registry, type JsonObject } from '@nn/core';
import { add, fusedMatmul, matmul, mul, reshape, sigmoid, slice, sub, tensor, zeros, type Tensor } from '@nn/tensor';
import { getActivation, type ActivationLayer, type ActivationSpec } from '../activations.js';
import { getInitializer, type Initializer, type InitializerSpec } from '../initializers.js';
import type { ConstraintLike, RegularizerLike } from '../kinds.js';
import {
  baseOptions, checkLayerOptions, Layer, layerSize, resolveConstraint, resolveRegularizer, type ConstraintSpec, type LayerOptions, type RegularizerSpec, type Shape,
} from '../layer.js';
import './orthogonal.js';

/** Options every cell takes, with Keras' names and defaults. */
export interface CellOptions extends LayerOptions {
  /** The candidate/output activation; Keras' default `tanh`. */
  activation?: ActivationSpec;
  useBias?: boolean;
  /** Keras' default: glorotUniform. */
  kernelInitializer?: InitializerSpec;
  /** Keras' default: orthogonal. */
  recurrentInitializer?: InitializerSpec;
  /** Keras' default: zeros. */
  biasInitializer?: InitializerSpec;
  kernelRegularizer?: RegularizerSpec;
  recurrentRegularizer?: RegularizerSpec;
  biasRegularizer?: RegularizerSpec;
  kernelConstraint?: ConstraintSpec;
  recurrentConstraint?: ConstraintSpec;
  biasConstraint?: ConstraintSpec;
}

export interface GatedCellOptions extends CellOptions {
  /** The gates' activation; Keras' default `sigmoid`. */
  recurrentActivation?: ActivationSpec;
}

export interface LSTMCellOptions extends GatedCellOptions {
  /** Start the forget gate's bias at 1 (Jozefowicz et al. 2015), so early training keeps the cell state. Default true. */
  unitForgetBias?: boolean;
}

export interface GRUCellOptions extends GatedCellOptions {
  /**
   * Apply the reset gate after the recurrent matmul (default true, as Keras 2+, PyTorch and cuDNN): the
   * bias is then `[2, 3·units]` (input bias row, recurrent bias row). With false, the reset gate multiplies
   * the state before the matmul (the original GRU) and the bias is `[3·units]`.
   */
  resetAfter?: boolean;
}

/** What one step of a cell gives: the output at this step and the states to carry to the next. */
export interface CellStep {
  output: Tensor;
  states: Tensor[];
}

/** The option names of each kind of cell (and of the layer named after it, which takes its cell's options). */
export const CELL_OPTION_NAMES = {
  simpleRNN: [
    'activation', 'useBias', 'kernelInitializer', 'recurrentInitializer', 'biasInitializer', 'kernelRegularizer', 'recurrentRegularizer',
    'biasRegularizer', 'kernelConstraint', 'recurrentConstraint', 'biasConstraint',
  ],
  get lstm() {
    return [...this.simpleRNN, 'recurrentActivation', 'unitForgetBias'];
  },
  get gru() {
    return [...this.simpleRNN, 'recurrentActivation', 'resetAfter'];
  },
};

/** The cell options found in `options` (an RNN layer's options carry its cell's too, as Keras' configs). */
export function pickCellOptions(options: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(names.filter((k) => options[k] !== undefined).map((k) => [k, options[k]]));
}

/** A config value for an activation: its name when the name says everything (as Keras writes it), else the layer. */
function activationConfig(a: ActivationLayer): unknown {
  return a.learnable || !registry.has('activation', a.kind) ? a : a.kind;
}

/**
 * The base of recurrent cells: the computation of ONE time step, `step(x, states) -> { output, states }`,
 * with its weights. A cell is a layer (registered, serializable, `getWeights`/`setWeights`), usable on its
 * own in a hand-written loop — an RL controller sampling one token per step — or looped over a sequence by
 * the `rnn`/`lstm`/`gru`/`simpleRNN` layers. Weights are in Keras' layouts: `kernel [features, gates·units]`,
 * `recurrentKernel [units, gates·units]`, `bias`.
 */
export abstract class RNNCell extends Layer {
  readonly units: number;
  readonly activation: ActivationLayer;
  readonly useBias: boolean;
  kernel!: Tensor;
  recurrentKernel!: Tensor;
  bias?: Tensor;
  /** Gate blocks along the last axis of the kernels (1 for SimpleRNN, 4 for LSTM, 3 for GRU). */
  protected abstract readonly gates: number;
  protected readonly options: CellOptions;
  private readonly penalties: Record<'kernel' | 'recurrent' | 'bias', RegularizerLike | undefined>;
  private readonly constraints: Record<'kernel' | 'recurrent' | 'bias', ConstraintLike | undefined>;

  constructor(units: number, options: CellOptions, defaultName: string, optionNames: readonly string[]) {
    options = checkLayerOptions(defaultName, options, optionNames);
    super(options, defaultName);
    this.units = layerSize(defaultName, 'units', units);
    for (const k of ['useBias', 'unitForgetBias', 'resetAfter'] as const) {
      const v = (options as Record<string, unknown>)[k];
      if (v !== undefined && typeof v !== 'boolean') throw optionError(defaultName, k, 'must be true or false', v);
    }
    this.options = options;
    this.useBias = options.useBias ?? true;
    this.activation = getActivation(options.activation ?? 'tanh');
    // Names resolve here, not at build: a typo fails where the layer is written.
    this.penalties = {
      kernel: resolveRegularizer(options.kernelRegularizer, `${this.name}.kernelRegularizer`),
      recurrent: resolveRegularizer(options.recurrentRegularizer, `${this.name}.recurrentRegularizer`),
      bias: resolveRegularizer(options.biasRegularizer, `${this.name}.biasRegularizer`),
    };
    this.constraints = {
      kernel: resolveConstraint(options.kernelConstraint, `${this.name}.kernelConstraint`),
      recurrent: resolveConstraint(options.recurrentConstraint, `${this.name}.recurrentConstraint`),
      bias: resolveConstraint(options.biasConstraint, `${this.name}.biasConstraint`),
    };
    for (const init of [options.kernelInitializer, options.recurrentInitializer, options.biasInitializer]) if (init !== undefined) getInitializer(init);
  }

  /** The size of each state this cell carries (`[units]`; LSTM: `[units, units]` for h and c). */
  get stateSize(): number[] {
    return [this.units];
  }

  override children(): Layer[] {
    return [this.activation];
  }

  /** Builds for inputs `[batch, features]` (one time step). */
  override build(inputShape: Shape): void {
    const features = inputShape[inputShape.length - 1];
    if (typeof features !== 'number') throw new NNError(ErrorCode.ShapeMismatch, `${this.name}: the feature axis of the input must be known, got [${inputShape.join(',')}]`);
    const o = this.options;
    const width = this.gates * this.units;
    this.kernel = this.addWeight('kernel', [features, width], o.kernelInitializer ?? 'glorotUniform', { regularizer: this.penalties.kernel, constraint: this.constraints.kernel });
    this.recurrentKernel = this.addWeight('recurrentKernel', [this.units, width], o.recurrentInitializer ?? 'orthogonal', {
      regularizer: this.penalties.recurrent,
      constraint: this.constraints.recurrent,
    });
    if (this.useBias) this.bias = this.addWeight('bias', this.biasShape(), this.biasInitializer(), { regularizer: this.penalties.bias, constraint: this.constraints.bias });
    this.activation.ensureBuilt([inputShape[0] ?? null, this.units]);
  }

  protected biasShape(): number[] {
    return [this.gates * this.units];
  }

  protected biasInitializer(): InitializerSpec {
    return this.options.biasInitializer ?? 'zeros';
  }

  /** Zero states for a batch of `batch` sequences (Keras' default initial state). */
  initialStates(batch: number): Tensor[] {
    return this.stateSize.map((n) => zeros([batch, n]));
  }

  /**
   * One time step: `x` is `[batch, features]`, `states` as {@link stateSize} (each `[batch, size]`).
   * Builds the cell on first use. Gradients flow to `x`, the states and the weights.
   */
  step(x: Tensor, states: readonly Tensor[], training = false): CellStep {
    if (x.rank !== 2) throw new NNError(ErrorCode.ShapeMismatch, `${this.name}.step: x must be [batch, features], got [${x.shape.join(',')}]`);
    this.ensureBuilt(x.shape);
    const features = this.kernel.shape[0];
    if (x.shape[1] !== features) throw new NNError(ErrorCode.ShapeMismatch, `${this.name}.step: expected ${features} features, got x of shape [${x.shape.join(',')}]`);
    const sizes = this.stateSize;
    if (states.length !== sizes.length) throw new NNError(ErrorCode.InvalidArgument, `${this.name}.step: expects ${sizes.length} state tensor(s) ([batch, ${sizes.join('], [batch, ')}]), got ${states.length}`);
    states.forEach((s, i) => {
      if (s.rank !== 2 || s.shape[0] !== x.shape[0] || s.shape[1] !== sizes[i]) {
        throw new NNError(ErrorCode.ShapeMismatch, `${this.name}.step: state ${i} must be [${x.shape[0]}, ${sizes[i]}] (batch, units), got [${s.shape.join(',')}]`);
      }
    });
    return this.cellStep(x, states, training);
  }

  /** The step's arithmetic, on checked inputs. */
  protected abstract cellStep(x: Tensor, states: readonly Tensor[], training: boolean): CellStep;

  /** As a plain layer: one step from zero states, returning the output. */
  call(x: Tensor, training: boolean): Tensor {
    return this.step(x, this.initialStates(x.shape[0]), training).output;
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [inputShape[0], this.units];
  }

  /** Columns `[k·units, (k+1)·units)` of a `[batch, gates·units]` pre-activation: gate k. */
  protected gate(z: Tensor, k: number): Tensor {
    return slice(z, [0, k * this.units], [z.shape[0], this.units]);
  }

  override getConfig(): Record<string, unknown> {
    const o = this.options;
    return {
      ...super.getConfig(),
      units: this.units,
      activation: activationConfig(this.activation),
      useBias: this.useBias,
      kernelInitializer: o.kernelInitializer ?? 'glorotUniform',
      recurrentInitializer: o.recurrentInitializer ?? 'orthogonal',
      biasInitializer: o.biasInitializer ?? 'zeros',
      kernelRegularizer: o.kernelRegularizer,
      recurrentRegularizer: o.recurrentRegularizer,
      biasRegularizer: o.biasRegularizer,
      kernelConstraint: o.kernelConstraint,
      recurrentConstraint: o.recurrentConstraint,
      biasConstraint: o.biasConstraint,
    };
  }
}

/** Keras' SimpleRNNCell: h' = activation(x·kernel + h·recurrentKernel + bias). */
export class SimpleRNNCell extends RNNCell {
  protected readonly gates = 1;
  constructor(units: number, options: CellOptions = {}) {
    super(units, options, 'simple_rnn_cell', CELL_OPTION_NAMES.simpleRNN);
  }
  static fromConfig(config: JsonObject): SimpleRNNCell {
    const { units, ...rest } = config as unknown as CellOptions & { units: number };
    return new SimpleRNNCell(units, { ...rest, ...baseOptions(config) });
  }
  protected cellStep(x: Tensor, [h]: readonly Tensor[], training: boolean): CellStep {
    const z = add(fusedMatmul(x, this.kernel, { bias: this.bias }), matmul(h, this.recurrentKernel));
    const out = this.activation.applyTensor(z, training);
    return { output: out, states: [out] };
  }
}

/** The gated cells' shared option: the gates' activation. */
abstract class GatedCell extends RNNCell {
  readonly recurrentActivation: ActivationLayer;
  constructor(units: number, options: GatedCellOptions, defaultName: string, optionNames: readonly string[]) {
    super(units, options, defaultName, optionNames);
    this.recurrentActivation = getActivation(options.recurrentActivation ?? 'sigmoid');
  }
  override children(): Layer[] {
    return [this.activation, this.recurrentActivation];
  }
  override build(inputShape: Shape): void {
    super.build(inputShape);
    this.recurrentActivation.ensureBuilt([inputShape[0] ?? null, this.units]);
  }
  /** The gate activation; the default sigmoid skips the layer machinery (it runs T times per sequence). */
  protected gateAct(z: Tensor, training: boolean): Tensor {
    return this.recurrentActivation.kind === 'sigmoid' && !this.recurrentActivation.learnable ? sigmoid(z) : this.recurrentActivation.applyTensor(z, training);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), recurrentActivation: activationConfig(this.recurrentActivation) };
  }
}

/**
 * Keras' LSTMCell (Hochreiter & Schmidhuber 1997, with a forget gate). Gates in Keras' order i, f, c, o —
 * PyTorch's i, f, g, o — along the kernels' last axis; states `[h, c]`:
 * i = σ(x·Wi + h·Ui + bi), f = σ(…), c' = f·c + i·tanh(…), o = σ(…), h' = o·tanh(c').
 */
export class LSTMCell extends GatedCell {
  protected readonly gates = 4;
  readonly unitForgetBias: boolean;
  constructor(units: number, options: LSTMCellOptions = {}) {
    super(units, options, 'lstm_cell', CELL_OPTION_NAMES.lstm);
    this.unitForgetBias = options.unitForgetBias ?? true;
  }
  static fromConfig(config: JsonObject): LSTMCell {
    const { units, ...rest } = config as unknown as LSTMCellOptions & { units: number };
    return new LSTMCell(units, { ...rest, ...baseOptions(config) });
  }
  override get stateSize(): number[] {
    return [this.units, this.units];
  }
  protected override biasInitializer(): InitializerSpec {
    const base = getInitializer(this.options.biasInitializer ?? 'zeros');
    if (!this.unitForgetBias) return base;
    const u = this.units;
    // Keras: the bias initializer for i, c, o; ones for f.
    return {
      init: (shape, fans) => {
        const parts = base.init([4 * u], fans).dataSync();
        parts.fill(1, u, 2 * u);
        return tensor(parts, shape);
      },
      getConfig: () => ({}),
    } satisfies Initializer;
  }
  protected cellStep(x: Tensor, [h, c]: readonly Tensor[], training: boolean): CellStep {
    // The bias rides on the input matmul (a backend's fused GEMM epilogue where it has one).
    const z = add(fusedMatmul(x, this.kernel, { bias: this.bias }), matmul(h, this.recurrentKernel));
    const i = this.gateAct(this.gate(z, 0), training);
    const f = this.gateAct(this.gate(z, 1), training);
    const g = this.activation.applyTensor(this.gate(z, 2), training);
    const o = this.gateAct(this.gate(z, 3), training);
    const cNext = add(mul(f, c), mul(i, g));
    const hNext = mul(o, this.activation.applyTensor(cNext, training));
    return { output: hNext, states: [hNext, cNext] };
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), unitForgetBias: this.unitForgetBias };
  }
}

/**
 * Keras' GRUCell (Cho et al. 2014). Gates in Keras' order z, r, h (PyTorch's is r, z, n) along the kernels'
 * last axis: z = σ(x·Wz + h·Uz + b), r = σ(…), ĥ = tanh(x·Wh + r ⊙ (h·Uh + b_rh)) with `resetAfter`
 * (else tanh(x·Wh + (r ⊙ h)·Uh + b)), h' = z·h + (1 − z)·ĥ.
 */
export class GRUCell extends GatedCell {
  protected readonly gates = 3;
  readonly resetAfter: boolean;
  constructor(units: number, options: GRUCellOptions = {}) {
    super(units, options, 'gru_cell', CELL_OPTION_NAMES.gru);
    this.resetAfter = options.resetAfter ?? true;
  }
  static fromConfig(config: JsonObject): GRUCell {
    const { units, ...rest } = config as unknown as GRUCellOptions & { units: number };
    return new GRUCell(units, { ...rest, ...baseOptions(config) });
  }
  protected override biasShape(): number[] {
    return this.resetAfter ? [2, 3 * this.units] : [3 * this.units];
  }
  protected cellStep(x: Tensor, [h]: readonly Tensor[], training: boolean): CellStep {
    const u = this.units;
    let hh: Tensor;
    let z: Tensor;
    if (this.resetAfter) {
      const row = (k: number) => (this.bias ? reshape(slice(this.bias, [k, 0], [1, 3 * u]), [3 * u]) : undefined);
      const xz = fusedMatmul(x, this.kernel, { bias: row(0) });
      const hz = fusedMatmul(h, this.recurrentKernel, { bias: row(1) });
      z = this.gateAct(add(this.gate(xz, 0), this.gate(hz, 0)), training);
      const r = this.gateAct(add(this.gate(xz, 1), this.gate(hz, 1)), training);
      hh = this.activation.applyTensor(add(this.gate(xz, 2), mul(r, this.gate(hz, 2))), training);
    } else {
      const xz = fusedMatmul(x, this.kernel, { bias: this.bias });
      const hzr = matmul(h, slice(this.recurrentKernel, [0, 0], [u, 2 * u]));
      z = this.gateAct(add(this.gate(xz, 0), this.gate(hzr, 0)), training);
      const r = this.gateAct(add(this.gate(xz, 1), this.gate(hzr, 1)), training);
      hh = this.activation.applyTensor(add(this.gate(xz, 2), matmul(mul(r, h), slice(this.recurrentKernel, [0, 2 * u], [u, u]))), training);
    }
    const hNext = add(mul(z, h), mul(sub(1, z), hh));
    return { output: hNext, states: [hNext] };
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), resetAfter: this.resetAfter };
  }
}

/** A SimpleRNN cell: `cell.step(x, [h])`. */
export const simpleRNNCell = (units: number, options?: CellOptions) => new SimpleRNNCell(units, options);
/** An LSTM cell: `const { output, states: [h, c] } = cell.step(x, [h, c])`. */
export const lstmCell = (units: number, options?: LSTMCellOptions) => new LSTMCell(units, options);
/** A GRU cell: `cell.step(x, [h])`. */
export const gruCell = (units: number, options?: GRUCellOptions) => new GRUCell(units, options);

registry.register('layer', 'simpleRNNCell', SimpleRNNCell);
registry.register('layer', 'lstmCell', LSTMCell);
registry.register('layer', 'gruCell', GRUCell);
