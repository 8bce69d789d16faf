import { checkOptions, ErrorCode, finite, NNError, optionError, registry, type JsonObject } from '@nn/core';
import type { Tensor } from '@nn/tensor';

/**
 * A stateful metric, as Keras': `update` accumulates over batches and `result` reads the epoch's value, so
 * precision, recall and AUC are exact over the epoch rather than averages of per-batch values.
 */
export abstract class Metric {
  /** The name shown in logs and History (`accuracy`, `val_accuracy`). */
  name: string;
  constructor(name: string) {
    if (typeof name !== 'string' || name === '') throw optionError('metric', 'name', 'must be a non-empty string', name);
    this.name = name;
  }
  abstract reset(): void;
  abstract update(yTrue: Tensor, yPred: Tensor): void;
  abstract result(): number;
  getConfig(): Record<string, unknown> {
    return { name: this.name };
  }
}

export interface MetricClass {
  fromConfig(config: JsonObject): Metric;
}

declare module '@nn/core' {
  interface RegistryKinds {
    metric: MetricClass;
  }
}

function pair(metric: string, yTrue: Tensor, yPred: Tensor): { t: Float32Array; p: Float32Array } {
  const t = yTrue.dataSync();
  const p = yPred.dataSync();
  if (t.length !== p.length) throw new NNError(ErrorCode.ShapeMismatch, `${metric}: targets [${yTrue.shape.join(',')}] and predictions [${yPred.shape.join(',')}] differ in size`);
  return { t, p };
}

/** A mean of per-sample values over everything seen since `reset`. */
abstract class MeanMetric extends Metric {
  protected total = 0;
  protected count = 0;
  reset(): void {
    this.total = 0;
    this.count = 0;
  }
  result(): number {
    return this.count ? this.total / this.count : 0;
  }
}

/** Fraction of predictions on the right side of `threshold` (0.5 for probabilities; 0 for logits). */
export class BinaryAccuracy extends MeanMetric {
  readonly threshold: number;
  constructor(options: { name?: string; threshold?: number } = {}) {
    const { name = 'binaryAccuracy', threshold = 0.5 } = checkOptions('binaryAccuracy', options ?? undefined, ['name', 'threshold']);
    super(name);
    this.threshold = finite(name, 'threshold', threshold);
  }
  static fromConfig = (c: JsonObject) => new BinaryAccuracy(c as { name?: string; threshold?: number });
  update(yTrue: Tensor, yPred: Tensor): void {
    const { t, p } = pair(this.name, yTrue, yPred);
    for (let i = 0; i < p.length; i++) this.total += Number(p[i] > this.threshold) === Number(t[i] > 0.5) ? 1 : 0;
    this.count += p.length;
  }
  override getConfig() {
    return { name: this.name, threshold: this.threshold };
  }
}

function argmaxRows(v: Float32Array, k: number): Int32Array {
  const out = new Int32Array(v.length / k);
  for (let r = 0; r < out.length; r++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (v[r * k + j] > v[r * k + best]) best = j;
    out[r] = best;
  }
  return out;
}

/** Fraction of rows whose argmax matches the one-hot target's. */
export class CategoricalAccuracy extends MeanMetric {
  constructor(options: { name?: string } = {}) {
    const { name = 'categoricalAccuracy' } = checkOptions('categoricalAccuracy', options ?? undefined, ['name']);
    super(name);
  }
  static fromConfig = (c: JsonObject) => new CategoricalAccuracy(c as { name?: string });
  update(yTrue: Tensor, yPred: Tensor): void {
    const k = yPred.shape[yPred.rank - 1];
    const { t, p } = pair(this.name, yTrue, yPred);
    const a = argmaxRows(t, k);
    const b = argmaxRows(p, k);
    for (let i = 0; i < a.length; i++) this.total += a[i] === b[i] ? 1 : 0;
    this.count += a.length;
  }
}

/** Fraction of rows whose argmax equals the integer label. */
export class SparseCategoricalAccuracy extends MeanMetric {
  constructor(options: { name?: string } = {}) {
    const { name = 'sparseCategoricalAccuracy' } = checkOptions('sparseCategoricalAccuracy', options ?? undefined, ['name']);
    super(name);
  }
  static fromConfig = (c: JsonObject) => new SparseCategoricalAccuracy(c as { name?: string });
  update(yTrue: Tensor, yPred: Tensor): void {
    const k = yPred.shape[yPred.rank - 1];
    const labels = yTrue.dataSync();
    const b = argmaxRows(yPred.dataSync(), k);
    if (labels.length !== b.length) throw new NNError(ErrorCode.ShapeMismatch, `${this.name}: ${labels.length} labels for ${b.length} predictions`);
    for (let i = 0; i < b.length; i++) this.total += labels[i] === b[i] ? 1 : 0;
    this.count += b.length;
  }
}

export class MeanAbsoluteErrorMetric extends MeanMetric {
  constructor(options: { name?: string } = {}) {
    const { name = 'mae' } = checkOptions('mae', options ?? undefined, ['name']);
    super(name);
  }
  static fromConfig = (c: JsonObject) => new MeanAbsoluteErrorMetric(c as { name?: string });
  update(yTrue: Tensor, yPred: Tensor): void {
    const { t, p } = pair(this.name, yTrue, yPred);
    for (let i = 0; i < p.length; i++) this.total += Math.abs(p[i] - t[i]);
    this.count += p.length;
  }
}

export class MeanSquaredErrorMetric extends MeanMetric {
  constructor(options: { name?: string } = {}) {
    const { name = 'mse' } = checkOptions('mse', options ?? undefined, ['name']);
    super(name);
  }
  static fromConfig = (c: JsonObject) => new MeanSquaredErrorMetric(c as { name?: string });
  update(yTrue: Tensor, yPred: Tensor): void {
    const { t, p } = pair(this.name, yTrue, yPred);
    for (let i = 0; i < p.length; i++) this.total += (p[i] - t[i]) ** 2;
    this.count += p.length;
  }
}

/** Confusion counts of binary predictions at a threshold. */
abstract class ConfusionMetric extends Metric {
  readonly threshold: number;
  protected tp = 0;
  protected fp = 0;
  protected fn = 0;
  constructor(name: string, threshold: number) {
    super(name);
    this.threshold = finite(name, 'threshold', threshold);
  }
  reset(): void {
    this.tp = this.fp = this.fn = 0;
  }
  update(yTrue: Tensor, yPred: Tensor): void {
    const { t, p } = pair(this.name, yTrue, yPred);
    for (let i = 0; i < p.length; i++) {
      const pos = p[i] > this.threshold;
      const real = t[i] > 0.5;
      if (pos && real) this.tp++;
      else if (pos) this.fp++;
      else if (real) this.fn++;
    }
  }
  override getConfig() {
    return { name: this.name, threshold: this.threshold };
  }
}

/** tp / (tp + fp) over the epoch. */
export class Precision extends ConfusionMetric {
  constructor(options: { name?: string; threshold?: number } = {}) {
    const { name = 'precision', threshold = 0.5 } = checkOptions('precision', options ?? undefined, ['name', 'threshold']);
    super(name, threshold);
  }
  static fromConfig = (c: JsonObject) => new Precision(c as { name?: string; threshold?: number });
  result(): number {
    return this.tp + this.fp ? this.tp / (this.tp + this.fp) : 0;
  }
}

/** tp / (tp + fn) over the epoch. */
export class Recall extends ConfusionMetric {
  constructor(options: { name?: string; threshold?: number } = {}) {
    const { name = 'recall', threshold = 0.5 } = checkOptions('recall', options ?? undefined, ['name', 'threshold']);
    super(name, threshold);
  }
  static fromConfig = (c: JsonObject) => new Recall(c as { name?: string; threshold?: number });
  result(): number {
    return this.tp + this.fn ? this.tp / (this.tp + this.fn) : 0;
  }
}

/** ROC AUC of probabilities, exact over the epoch (rank statistic with ties counted half). */
export class AUC extends Metric {
  private scores: number[] = [];
  private labels: boolean[] = [];
  constructor(options: { name?: string } = {}) {
    const { name = 'auc' } = checkOptions('auc', options ?? undefined, ['name']);
    super(name);
  }
  static fromConfig = (c: JsonObject) => new AUC(c as { name?: string });
  reset(): void {
    this.scores = [];
    this.labels = [];
  }
  update(yTrue: Tensor, yPred: Tensor): void {
    const { t, p } = pair(this.name, yTrue, yPred);
    for (let i = 0; i < p.length; i++) {
      this.scores.push(p[i]);
      this.labels.push(t[i] > 0.5);
    }
  }
  result(): number {
    const order = this.scores.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0]);
    let rankSumPos = 0;
    let pos = 0;
    for (let i = 0; i < order.length; ) {
      let j = i;
      while (j < order.length && order[j][0] === order[i][0]) j++;
      const rank = (i + j + 1) / 2;
      for (let k = i; k < j; k++) if (this.labels[order[k][1]]) {
        rankSumPos += rank;
        pos++;
      }
      i = j;
    }
    const neg = order.length - pos;
    return pos && neg ? (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg) : 0;
  }
}

const metrics: Record<string, MetricClass> = {
  binaryAccuracy: BinaryAccuracy,
  categoricalAccuracy: CategoricalAccuracy,
  sparseCategoricalAccuracy: SparseCategoricalAccuracy,
  precision: Precision,
  recall: Recall,
  auc: AUC,
  mae: MeanAbsoluteErrorMetric,
  mse: MeanSquaredErrorMetric,
};
for (const [name, cls] of Object.entries(metrics)) registry.register('metric', name, cls);
registry.register('metric', 'meanAbsoluteError', MeanAbsoluteErrorMetric);
registry.register('metric', 'meanSquaredError', MeanSquaredErrorMetric);

/**
 * A metric from a name or instance. `accuracy` (or `acc`) picks its kind from the loss and the output size,
 * as Keras does: binary for one output (threshold 0 when the loss takes logits), sparse for integer labels.
 */
export function getMetric(spec: Metric | string, context: { lossKind?: string; fromLogits?: boolean; outputDim?: number } = {}): Metric {
  if (typeof spec !== 'string') {
    if (spec && typeof (spec as Metric).update === 'function' && typeof (spec as Metric).result === 'function') return spec;
    throw new NNError(ErrorCode.InvalidArgument, `metric: expected a name (${registry.list('metric').join(', ')}, accuracy) or a Metric, got ${typeof spec}`);
  }
  if (spec === 'accuracy' || spec === 'acc') {
    const { lossKind, fromLogits, outputDim } = context;
    if (lossKind === 'sparseCategoricalCrossentropy') return new SparseCategoricalAccuracy({ name: spec });
    if (lossKind === 'categoricalCrossentropy' || (outputDim !== undefined && outputDim > 1)) return new CategoricalAccuracy({ name: spec });
    return new BinaryAccuracy({ name: spec, threshold: fromLogits ? 0 : 0.5 });
  }
  const metric = registry.get('metric', spec).fromConfig({ name: spec });
  return metric;
}
