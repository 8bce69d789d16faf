import { ErrorCode, NNError, registry, type JsonObject } from '@nn/core';
import { add as addTensors, concat, type Tensor } from '@nn/tensor';
import { baseOptions, checkLayerOptions, fmtShape, Layer, type LayerOptions, type Shape } from '../layer.js';

/** Merge layers: several inputs, one output; used through `apply([a, b, ...])`. */
abstract class Merge extends Layer {
  /** The output shape for these input shapes; throws naming the layer and the shapes when they do not fit. */
  protected abstract mergedShape(shapes: readonly Shape[]): Shape;
  protected abstract merge(xs: readonly Tensor[]): Tensor;

  protected checkCount(n: number): void {
    if (n < 2) throw new NNError(ErrorCode.InvalidArgument, `${this.name}: merges a list of at least 2 inputs, got ${n}`);
  }

  call(): Tensor {
    throw new NNError(ErrorCode.InvalidArgument, `${this.name}: merges a list of inputs: apply([a, b])`);
  }

  callAll(inputs: readonly Tensor[]): Tensor[] {
    this.mergedShape(inputs.map((t) => t.shape));
    return [this.merge(inputs)];
  }

  computeOutputShapes(shapes: readonly Shape[]): Shape[] {
    return [this.mergedShape(shapes)];
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return inputShape;
  }
}

/** Keras' Add: the elementwise sum of inputs of one shape (a skip connection: `add().apply([x, f(x)])`). */
export class Add extends Merge {
  constructor(options: LayerOptions = {}) {
    super(checkLayerOptions('add', options, []), 'add');
  }
  static fromConfig(config: JsonObject): Add {
    return new Add(baseOptions(config));
  }
  protected mergedShape(shapes: readonly Shape[]): Shape {
    this.checkCount(shapes.length);
    const first = shapes[0];
    for (const s of shapes) {
      if (s.length !== first.length || s.some((d, i) => d !== null && first[i] !== null && d !== first[i])) {
        throw new NNError(ErrorCode.ShapeMismatch, `${this.name}: inputs must have one shape, got ${shapes.map(fmtShape).join(', ')}`);
      }
    }
    return first;
  }
  protected merge(xs: readonly Tensor[]): Tensor {
    return xs.slice(1).reduce((a, b) => addTensors(a, b), xs[0]);
  }
}

/** Keras' Concatenate: joins inputs along `axis` (default -1, the features); other axes must agree. */
export class Concatenate extends Merge {
  readonly axis: number;
  constructor(options: LayerOptions & { axis?: number } = {}) {
    super(checkLayerOptions('concatenate', options, ['axis']), 'concatenate');
    this.axis = options.axis ?? -1;
    if (!Number.isInteger(this.axis) || this.axis === 0) throw new NNError(ErrorCode.InvalidArgument, `${this.name}: axis must be a nonzero integer (axis 0 is the batch), got ${options.axis}`);
  }
  static fromConfig(config: JsonObject): Concatenate {
    return new Concatenate({ ...baseOptions(config), axis: config.axis as number });
  }
  protected mergedShape(shapes: readonly Shape[]): Shape {
    this.checkCount(shapes.length);
    const rank = shapes[0].length;
    const ax = this.axis < 0 ? this.axis + rank : this.axis;
    const bad = () => new NNError(ErrorCode.ShapeMismatch, `${this.name}: inputs must agree on every axis but ${this.axis}, got ${shapes.map(fmtShape).join(', ')}`);
    if (ax <= 0 || ax >= rank) throw bad();
    for (const s of shapes) if (s.length !== rank || s.some((d, i) => i !== ax && d !== null && shapes[0][i] !== null && d !== shapes[0][i])) throw bad();
    const total = shapes.some((s) => s[ax] === null) ? null : shapes.reduce((n, s) => n + (s[ax] as number), 0);
    return shapes[0].map((d, i) => (i === ax ? total : d));
  }
  protected merge(xs: readonly Tensor[]): Tensor {
    return concat(xs, this.axis);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}

/** Keras' `Add()`: `add().apply([a, b])` is a + b (the tensor op of the same name is `@nn/tensor`'s `add(a, b)`). */
export const add = (options?: LayerOptions) => new Add(options);
/** `concatenate().apply([a, b])`, along the last axis by default. */
export const concatenate = (options?: LayerOptions & { axis?: number }) => new Concatenate(options);

registry.register('layer', 'add', Add);
registry.register('layer', 'concatenate', Concatenate);
