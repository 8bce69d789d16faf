import { ErrorCode, NNError, registry, type JsonObject } from '@nn/core';
import { add, concat, mul, reshape, slice, type Tensor } from '@nn/tensor';
import { Loss } from '../losses.js';
import { Metric } from '../metrics.js';

// Model.fit, evaluate and the training step work on one x tensor and one y tensor. A functional model with
// several inputs or outputs joins its per-sample data side by side — each input (or output, or target)
// flattened to [N, size] and concatenated along axis 1 — so batching, shuffling and validation splits stay
// the base class's, and splits them again inside call() and in the losses and metrics below.

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Tensors `[N, ...shape_k]` side by side as `[N, sum size_k]`. */
export function joinSamples(xs: readonly Tensor[]): Tensor {
  return concat(xs.map((x) => reshape(x, [x.shape[0], sizeOf(x.shape.slice(1))])), 1);
}

/** The inverse of {@link joinSamples}: `[N, sum size_k]` back to `[N, ...shape_k]`. */
export function splitSamples(x: Tensor, shapes: readonly (readonly number[])[]): Tensor[] {
  let at = 0;
  return shapes.map((s) => {
    const size = sizeOf(s);
    const part = reshape(slice(x, [0, at], [x.shape[0], size]), [x.shape[0], ...s]);
    at += size;
    return part;
  });
}

/** How joined outputs and targets split: the sample shape of each output and of each target, shared by the losses and metrics of one model. */
export class OutputLayout {
  /** Target sample shapes as last joined (`fit`/`evaluate` set them: targets may differ from outputs, e.g. sparse labels). */
  targetShapes: number[][] | null = null;
  constructor(readonly names: readonly string[], readonly outputShapes: readonly (readonly number[])[]) {}

  outputs(yPred: Tensor): Tensor[] {
    return splitSamples(yPred, this.outputShapes);
  }

  targets(yTrue: Tensor): Tensor[] {
    if (!this.targetShapes) throw new NNError(ErrorCode.StateMismatch, 'model outputs: targets were not given per output');
    return splitSamples(yTrue, this.targetShapes);
  }
}

/**
 * The loss of a model with several outputs: `sum_k weight_k · loss_k(y_k, output_k)`, as Keras. Built by the
 * functional model's `compile` from one loss, a list, or an object keyed by output name.
 */
export class OutputsLoss extends Loss {
  readonly kind = 'outputs';
  layout?: OutputLayout;
  constructor(readonly losses: readonly Loss[], readonly weights: readonly number[]) {
    super();
    if (!Array.isArray(losses) || losses.length === 0 || !losses.every((l) => l instanceof Loss)) {
      throw new NNError(ErrorCode.InvalidArgument, 'outputs loss: needs a list of losses, one per output (a functional model\'s compile makes it from loss: [...] or { name: loss })');
    }
    if (!Array.isArray(weights) || weights.length !== losses.length || !weights.every((w) => Number.isFinite(w))) {
      throw new NNError(ErrorCode.InvalidArgument, `outputs loss: needs ${losses.length} finite loss weights, got ${JSON.stringify(weights)}`);
    }
  }
  static fromConfig = (c: JsonObject) => new OutputsLoss(c.losses as unknown as Loss[], c.weights as number[]);

  private bound(): OutputLayout {
    if (!this.layout) throw new NNError(ErrorCode.StateMismatch, 'outputs loss: not bound to a model (compile a functional model with it)');
    return this.layout;
  }

  compute(yTrue: Tensor, yPred: Tensor): Tensor {
    const layout = this.bound();
    const ys = layout.targets(yTrue);
    const outs = layout.outputs(yPred);
    return this.losses.map((l, k) => mul(l.compute(ys[k], outs[k]), this.weights[k])).reduce((a, b) => add(a, b));
  }

  override checkTargets(y: Float32Array, yShape: readonly number[], outputShape: readonly (number | null)[]): string | null {
    void outputShape;
    const layout = this.bound();
    const n = yShape[0];
    const width = y.length / Math.max(1, n);
    let at = 0;
    for (let k = 0; k < this.losses.length; k++) {
      const shape = layout.targetShapes![k];
      const size = sizeOf(shape);
      const part = new Float32Array(n * size);
      for (let i = 0; i < n; i++) part.set(y.subarray(i * width + at, i * width + at + size), i * size);
      at += size;
      const problem = this.losses[k].checkTargets(part, [n, ...shape], [null, ...layout.outputShapes[k]]);
      if (problem) return `output "${layout.names[k]}": ${problem}`;
    }
    return null;
  }

  override getConfig(): Record<string, unknown> {
    return { losses: this.losses, weights: this.weights };
  }
}

/** A metric of one output of a several-output model, logged as `<output>_<metric>` (Keras' naming). */
export class OutputMetric extends Metric {
  layout?: OutputLayout;
  constructor(readonly metric: Metric, readonly output: number, readonly outputName: string) {
    if (!(metric instanceof Metric) || !Number.isInteger(output) || output < 0 || typeof outputName !== 'string') {
      throw new NNError(ErrorCode.InvalidArgument, 'outputMetric: needs { metric, output (index), outputName }; a functional model\'s compile makes it from metrics given per output');
    }
    super(`${outputName}_${metric.name}`);
  }
  static fromConfig = (c: JsonObject) => new OutputMetric(c.metric as unknown as Metric, c.output as number, c.outputName as string);
  reset(): void {
    this.metric.reset();
  }
  update(yTrue: Tensor, yPred: Tensor): void {
    if (!this.layout) throw new NNError(ErrorCode.StateMismatch, `${this.name}: not bound to a model`);
    this.metric.update(this.layout.targets(yTrue)[this.output], this.layout.outputs(yPred)[this.output]);
  }
  result(): number {
    return this.metric.result();
  }
  override getConfig(): Record<string, unknown> {
    return { metric: this.metric, output: this.output, outputName: this.outputName };
  }
}

/**
 * One output's loss as a logged metric, `<output>_loss` (Keras logs each output's loss beside the total):
 * the batch-size-weighted mean of that output's (unweighted) loss.
 */
export class OutputLoss extends Metric {
  layout?: OutputLayout;
  private total = 0;
  private count = 0;
  constructor(readonly loss: Loss, readonly output: number, readonly outputName: string) {
    if (!(loss instanceof Loss) || !Number.isInteger(output) || output < 0 || typeof outputName !== 'string') {
      throw new NNError(ErrorCode.InvalidArgument, 'outputLoss: needs { loss, output (index), outputName }; a functional model\'s compile makes it');
    }
    super(`${outputName}_loss`);
  }
  static fromConfig = (c: JsonObject) => new OutputLoss(c.loss as unknown as Loss, c.output as number, c.outputName as string);
  reset(): void {
    this.total = 0;
    this.count = 0;
  }
  update(yTrue: Tensor, yPred: Tensor): void {
    if (!this.layout) throw new NNError(ErrorCode.StateMismatch, `${this.name}: not bound to a model`);
    const n = yPred.shape[0];
    this.total += this.loss.compute(this.layout.targets(yTrue)[this.output], this.layout.outputs(yPred)[this.output]).item() * n;
    this.count += n;
  }
  result(): number {
    return this.count ? this.total / this.count : 0;
  }
  override getConfig(): Record<string, unknown> {
    return { loss: this.loss, output: this.output, outputName: this.outputName };
  }
}

registry.register('loss', 'outputs', OutputsLoss);
registry.register('metric', 'outputLoss', OutputLoss);
registry.register('metric', 'outputMetric', OutputMetric);
