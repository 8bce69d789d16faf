import { ErrorCode, NNError, optionError, registry, type JsonObject } from '@nn/core';
import { reshape, slice, stack, where, zeros, type Tensor } from '@nn/tensor';
import { baseOptions, checkLayerOptions, fmtShape, Layer, type LayerOptions, type Shape } from '../layer.js';
import {
  CELL_OPTION_NAMES, GRUCell, LSTMCell, pickCellOptions, RNNCell, SimpleRNNCell, type CellOptions, type GRUCellOptions, type LSTMCellOptions,
} from './cells.js';
import { getMask, setMask } from './mask.js';

export interface RNNOptions extends LayerOptions {
  /** Output the whole sequence `[batch, time, units]` instead of the last step's `[batch, units]`. */
  returnSequences?: boolean;
  /** Also output the final states (`applyAll` / functional models): `[output, h]`, LSTM `[output, h, c]`. */
  returnState?: boolean;
  /** Process the sequence from its end; the returned sequence is then in reverse order, as Keras'. */
  goBackwards?: boolean;
  /** Masked steps output zeros instead of repeating the previous output (Keras' `zero_output_for_mask`). */
  zeroOutputForMask?: boolean;
}

/** How to run a recurrent layer beyond `apply(x)`. */
export interface RNNRunOptions {
  /** The states to start from, one `[batch, size]` tensor per `cell.stateSize` entry (zeros by default). */
  initialState?: readonly Tensor[];
  /** `[batch, time]`, 0 at padded steps (their state is carried over unchanged). Defaults to the mask `x` carries. */
  mask?: Tensor;
  training?: boolean;
}

const RNN_OPTION_NAMES = ['returnSequences', 'returnState', 'goBackwards', 'zeroOutputForMask'] as const;

/**
 * Keras' RNN: loops a cell over the time axis of `[batch, time, features]` inputs. Masked (padded) steps
 * keep the previous state and output. The cell's weights are the layer's.
 */
export class RNN extends Layer {
  readonly cell: RNNCell;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly zeroOutputForMask: boolean;

  constructor(cell: RNNCell, options: RNNOptions = {}, defaultName = 'rnn', cellOptionNames: readonly string[] = ['cell']) {
    options = checkLayerOptions(defaultName, options, [...RNN_OPTION_NAMES, ...cellOptionNames, 'units']);
    super(options, defaultName);
    for (const k of RNN_OPTION_NAMES) if (options[k] !== undefined && typeof options[k] !== 'boolean') throw optionError(defaultName, k, 'must be true or false', options[k]);
    if (!(cell instanceof RNNCell)) throw new NNError(ErrorCode.InvalidArgument, `${defaultName}: cell must be a recurrent cell (lstmCell, gruCell, simpleRNNCell), got ${cell === null ? 'null' : typeof cell}`);
    this.cell = cell;
    this.returnSequences = options.returnSequences ?? false;
    this.returnState = options.returnState ?? false;
    this.goBackwards = options.goBackwards ?? false;
    this.zeroOutputForMask = options.zeroOutputForMask ?? false;
    if (!this.trainable) this.syncRequiresGrad(true);
  }

  static fromConfig(config: JsonObject): RNN {
    const { cell, ...rest } = config as unknown as RNNOptions & { cell: RNNCell };
    return new RNN(cell, { ...rest, ...baseOptions(config) });
  }

  get units(): number {
    return this.cell.units;
  }

  override children(): Layer[] {
    return [this.cell];
  }

  override build(inputShape: Shape): void {
    if (inputShape.length !== 3) throw new NNError(ErrorCode.ShapeMismatch, `${this.name}: expects inputs [batch, time, features], got ${fmtShape(inputShape)}`);
    this.cell.ensureBuilt([inputShape[0], inputShape[2]]);
  }

  /** All outputs: `[output]`, or `[output, ...finalStates]` with `returnState`. */
  run(x: Tensor, { initialState, mask, training = false }: RNNRunOptions = {}): Tensor[] {
    if (x.rank !== 3) throw new NNError(ErrorCode.ShapeMismatch, `${this.name}: expects inputs [batch, time, features], got [${x.shape.join(',')}]`);
    this.ensureBuilt(x.shape);
    const [batch, time, features] = x.shape;
    if (time === 0) throw new NNError(ErrorCode.ShapeMismatch, `${this.name}: the sequence has no time steps (shape [${x.shape.join(',')}])`);
    const m = mask ?? getMask(x);
    if (m && (m.rank !== 2 || m.shape[0] !== batch || m.shape[1] !== time)) {
      throw new NNError(ErrorCode.ShapeMismatch, `${this.name}: the mask must be [batch, time] = [${batch}, ${time}], got [${m.shape.join(',')}]`);
    }
    let states = initialState ? [...initialState] : this.cell.initialStates(batch);
    const sizes = this.cell.stateSize;
    if (states.length !== sizes.length) throw new NNError(ErrorCode.InvalidArgument, `${this.name}: initialState needs ${sizes.length} tensor(s), got ${states.length}`);
    states.forEach((s, i) => {
      if (s.rank !== 2 || s.shape[0] !== batch || s.shape[1] !== sizes[i]) {
        throw new NNError(ErrorCode.ShapeMismatch, `${this.name}: initial state ${i} must be [${batch}, ${sizes[i]}], got [${s.shape.join(',')}]`);
      }
    });
    const outputs: Tensor[] = [];
    let previous: Tensor | undefined;
    for (let k = 0; k < time; k++) {
      const t = this.goBackwards ? time - 1 - k : k;
      const xt = reshape(slice(x, [0, t, 0], [batch, 1, features]), [batch, features]);
      const next = this.cell.step(xt, states, training);
      let output = next.output;
      if (m) {
        const keep = slice(m, [0, t], [batch, 1]);
        previous ??= zeros([batch, this.units]);
        output = where(keep, output, this.zeroOutputForMask ? zeros([batch, this.units]) : previous);
        states = next.states.map((s, i) => where(keep, s, states[i]));
      } else {
        states = next.states;
      }
      previous = output;
      outputs.push(output);
    }
    const out = this.returnSequences ? setMask(stack(outputs, 1), m) : outputs[outputs.length - 1];
    return this.returnState ? [out, ...states] : [out];
  }

  /** The main output (the sequence or the last step); the states need `applyAll` or `run`. */
  call(x: Tensor, training: boolean): Tensor {
    return this.run(x, { training })[0];
  }

  /** Inputs `[x, ...initialStates]`; outputs `[output, ...finalStates]` with `returnState`. Used by functional models. */
  callAll(inputs: readonly Tensor[], training: boolean): Tensor[] {
    const [x, ...initialState] = inputs;
    return this.run(x, { training, initialState: initialState.length ? initialState : undefined });
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return this.returnSequences ? [inputShape[0], inputShape[1], this.units] : [inputShape[0], this.units];
  }

  computeOutputShapes(inputShapes: readonly Shape[]): Shape[] {
    const out = this.computeOutputShape(inputShapes[0]);
    return this.returnState ? [out, ...this.cell.stateSize.map((n) => [inputShapes[0][0], n])] : [out];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      zeroOutputForMask: this.zeroOutputForMask,
      ...this.cellConfig(),
    };
  }

  /** The cell, nested (generic RNN); the named layers flatten their cell's options into their own config, as Keras. */
  protected cellConfig(): Record<string, unknown> {
    return { cell: this.cell };
  }
}

/** The layers named after their cell: options are the cell's plus the RNN's, in one flat config. */
abstract class NamedRNN<C extends RNNCell> extends RNN {
  declare readonly cell: C;
  protected override cellConfig(): Record<string, unknown> {
    const { name: _n, trainable: _t, ...rest } = this.cell.getConfig();
    return rest;
  }
}

export type SimpleRNNOptions = RNNOptions & CellOptions;
export type LSTMOptions = RNNOptions & LSTMCellOptions;
export type GRUOptions = RNNOptions & GRUCellOptions;

const cellOptions = <T>(options: object, names: readonly string[]): T => pickCellOptions((options ?? {}) as Record<string, unknown>, names) as T;

/** Keras' SimpleRNN: h_t = tanh(x_t·kernel + h_{t-1}·recurrentKernel + bias). Weights: kernel, recurrentKernel, bias. */
export class SimpleRNN extends NamedRNN<SimpleRNNCell> {
  constructor(units: number, options: SimpleRNNOptions = {}) {
    super(new SimpleRNNCell(units, cellOptions(options, CELL_OPTION_NAMES.simpleRNN)), options, 'simple_rnn', CELL_OPTION_NAMES.simpleRNN);
  }
  static override fromConfig(config: JsonObject): SimpleRNN {
    const { units, ...rest } = config as unknown as SimpleRNNOptions & { units: number };
    return new SimpleRNN(units, { ...rest, ...baseOptions(config) });
  }
}

/** Keras' LSTM. Weights: kernel `[features, 4u]`, recurrentKernel `[u, 4u]`, bias `[4u]`, gates i, f, c, o. */
export class LSTM extends NamedRNN<LSTMCell> {
  constructor(units: number, options: LSTMOptions = {}) {
    super(new LSTMCell(units, cellOptions(options, CELL_OPTION_NAMES.lstm)), options, 'lstm', CELL_OPTION_NAMES.lstm);
  }
  static override fromConfig(config: JsonObject): LSTM {
    const { units, ...rest } = config as unknown as LSTMOptions & { units: number };
    return new LSTM(units, { ...rest, ...baseOptions(config) });
  }
}

/** Keras' GRU. Weights: kernel `[features, 3u]`, recurrentKernel `[u, 3u]`, bias `[2, 3u]` (`resetAfter`, default) or `[3u]`; gates z, r, h. */
export class GRU extends NamedRNN<GRUCell> {
  constructor(units: number, options: GRUOptions = {}) {
    super(new GRUCell(units, cellOptions(options, CELL_OPTION_NAMES.gru)), options, 'gru', CELL_OPTION_NAMES.gru);
  }
  static override fromConfig(config: JsonObject): GRU {
    const { units, ...rest } = config as unknown as GRUOptions & { units: number };
    return new GRU(units, { ...rest, ...baseOptions(config) });
  }
}

/** Keras' `RNN(cell)`: any cell looped over time. */
export const rnn = (cell: RNNCell, options?: RNNOptions) => new RNN(cell, options);
/** Keras' `SimpleRNN(units, ...)`. */
export const simpleRNN = (units: number, options?: SimpleRNNOptions) => new SimpleRNN(units, options);
/** Keras' `LSTM(units, { returnSequences, returnState, ... })`. */
export const lstm = (units: number, options?: LSTMOptions) => new LSTM(units, options);
/** Keras' `GRU(units, { resetAfter, ... })`. */
export const gru = (units: number, options?: GRUOptions) => new GRU(units, options);

registry.register('layer', 'rnn', RNN);
registry.register('layer', 'simpleRNN', SimpleRNN);
registry.register('layer', 'lstm', LSTM);
registry.register('layer', 'gru', GRU);
