import { ErrorCode, NNError } from '@nn/core';
import { tensor, type Tensor } from '@nn/tensor';
import { toTensor, type Data } from '../data.js';

/** Per-column statistics of `[rows, columns]` data, in float64. */
function columns(x: Tensor, where: string): { rows: number; cols: number; values: Float32Array } {
  if (x.rank !== 2 || x.shape[0] === 0) throw new NNError(ErrorCode.ShapeMismatch, `${where}: expects [rows, features] with at least one row, got [${x.shape.join(', ')}]`);
  return { rows: x.shape[0]!, cols: x.shape[1]!, values: x.dataSync() };
}

abstract class ColumnScaler {
  protected scale: Float64Array | null = null;
  protected shift: Float64Array | null = null;
  protected abstract readonly kind: string;
  /** Learns the columns' statistics from the training data only. */
  abstract fit(x: Data): this;

  /** Applies what `fit` learned (to the training and to the test data alike): `(x - shift) / scale`. */
  transform(x: Data): Tensor {
    if (!this.scale || !this.shift) throw new NNError(ErrorCode.StateMismatch, `${this.kind}: call fit(xTrain) before transform`);
    const { rows, cols, values } = columns(toTensor(x, `${this.kind}.transform x`), `${this.kind}.transform`);
    if (cols !== this.scale.length) throw new NNError(ErrorCode.ShapeMismatch, `${this.kind}.transform: fitted on ${this.scale.length} features, got ${cols}`);
    const out = new Float32Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = (values[i]! - this.shift[i % cols]!) / this.scale[i % cols]!;
    return tensor(out, [rows, cols]);
  }

  /** `fit(x)` then `transform(x)`. */
  fitTransform(x: Data): Tensor {
    return this.fit(x).transform(x);
  }
}

/** scikit-learn's StandardScaler: zero mean, unit (population) standard deviation per column; a constant column is only centered. */
export class StandardScaler extends ColumnScaler {
  protected readonly kind = 'StandardScaler';
  mean: number[] = [];
  std: number[] = [];

  fit(x: Data): this {
    const { rows, cols, values } = columns(toTensor(x, 'StandardScaler.fit x'), 'StandardScaler.fit');
    const mean = new Float64Array(cols);
    const sq = new Float64Array(cols);
    for (let i = 0; i < values.length; i++) mean[i % cols]! += values[i]! / rows;
    for (let i = 0; i < values.length; i++) sq[i % cols]! += (values[i]! - mean[i % cols]!) ** 2 / rows;
    this.shift = mean;
    this.scale = sq.map((v) => Math.sqrt(v) || 1);
    this.mean = [...mean];
    this.std = [...this.scale];
    return this;
  }
}

/** scikit-learn's MinMaxScaler: each column mapped linearly so the training data spans `range` (default [0, 1]). */
export class MinMaxScaler extends ColumnScaler {
  protected readonly kind = 'MinMaxScaler';
  readonly range: [number, number];
  min: number[] = [];
  max: number[] = [];

  constructor({ range = [0, 1] }: { range?: [number, number] } = {}) {
    super();
    if (!Array.isArray(range) || range.length !== 2 || !(range[0] < range[1])) throw new NNError(ErrorCode.InvalidArgument, `MinMaxScaler: range must be [low, high] with low < high, got ${JSON.stringify(range)}`);
    this.range = range;
  }

  fit(x: Data): this {
    const { cols, values } = columns(toTensor(x, 'MinMaxScaler.fit x'), 'MinMaxScaler.fit');
    const lo = new Float64Array(cols).fill(Infinity);
    const hi = new Float64Array(cols).fill(-Infinity);
    for (let i = 0; i < values.length; i++) {
      lo[i % cols] = Math.min(lo[i % cols]!, values[i]!);
      hi[i % cols] = Math.max(hi[i % cols]!, values[i]!);
    }
    const [a, b] = this.range;
    // (x - lo) / (hi - lo) * (b - a) + a  ==  (x - shift) / scale
    this.scale = hi.map((h, j) => (h - lo[j]! || 1) / (b - a));
    this.shift = lo.map((l, j) => l - a * this.scale![j]!);
    this.min = [...lo];
    this.max = [...hi];
    return this;
  }
}

/** A {@link StandardScaler}; call `fit(xTrain)`, then `transform` train and test. */
export const standardScaler = (): StandardScaler => new StandardScaler();
/** A {@link MinMaxScaler} onto `range` (default [0, 1]). */
export const minMaxScaler = (options: { range?: [number, number] } = {}): MinMaxScaler => new MinMaxScaler(options);
