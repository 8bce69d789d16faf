import { ErrorCode, NNError, registry, type JsonObject } from '@nn/core';
import type { Tensor } from '@nn/tensor';
import { baseOptions, checkLayerOptions, Layer, type LayerOptions, type Shape } from './layer.js';
import { Model } from './model.js';
import { modelSummary } from './summary.js';

/** Keras' Sequential: layers applied in order. It is a Model (compile/fit/…) and also a layer, so it nests. */
export class Sequential extends Model {
  readonly layers: Layer[];

  constructor(layers: Layer[] = [], options: LayerOptions = {}) {
    super(checkLayerOptions('sequential', options, []), 'sequential');
    if (!Array.isArray(layers)) throw new NNError(ErrorCode.InvalidArgument, `sequential: layers must be an array of layers, got ${layers === null ? 'null' : typeof layers}`);
    this.layers = [];
    for (const l of layers) this.add(l);
    // Built frozen (from a config): freeze what it holds, as the trainable setter does.
    if (!this.trainable) this.syncRequiresGrad(true);
  }

  static fromConfig(config: JsonObject): Sequential {
    checkLayerOptions('sequential', config, ['layers']);
    return new Sequential((config.layers ?? []) as unknown as Layer[], baseOptions(config));
  }

  /** Appends a layer (before the model is built). */
  add(layer: Layer): this {
    if (!(layer instanceof Layer)) throw new NNError(ErrorCode.InvalidArgument, `sequential.add: expected a layer, got ${layer === null ? 'null' : typeof layer}`);
    if (this.built) throw new NNError(ErrorCode.StateMismatch, `${this.name}.add: the model is already built; add layers before training or calling it`);
    this.layers.push(layer);
    return this;
  }

  override children(): Layer[] {
    return this.layers;
  }

  protected override declaredInputShape(): number[] | undefined {
    const first = this.layers[0];
    // A nested sequential (a base model) first declares through its own first layer.
    return this.inputShape ?? first?.inputShape ?? (first instanceof Sequential ? first.declaredInputShape() : undefined);
  }

  override build(inputShape: Shape): void {
    let s = inputShape;
    for (const l of this.layers) {
      l.ensureBuilt(s);
      s = l.computeOutputShape(s);
    }
  }

  call(x: Tensor, training: boolean): Tensor {
    let y = x;
    for (const l of this.layers) y = l.applyTensor(y, training);
    return y;
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return this.layers.reduce((s, l) => l.computeOutputShape(s), inputShape);
  }

  /** Keras' table of layers, output shapes and parameter counts; printed (pass `print: null` to only return it). */
  summary({ print = console.log as ((s: string) => void) | null } = {}): string {
    const input = this.buildInputShape ?? (this.declaredInputShape() ? [null, ...this.declaredInputShape()!] : undefined);
    if (!input) throw new NNError(ErrorCode.StateMismatch, `${this.name}.summary: the model is not built yet; give its first layer an inputShape or call it on data first`);
    this.ensureBuilt(input);
    const rows: { name: string; type: string; shape: Shape; params: number }[] = [];
    let s: Shape = input;
    for (const l of this.layers) {
      s = l.computeOutputShape(s);
      rows.push({ name: l.name, type: l.constructor.name, shape: s, params: l.countParams() });
    }
    return modelSummary(this, rows, print);
  }

  override getConfig() {
    return { ...super.getConfig(), layers: this.layers };
  }
}

/** `sequential([dense(64, { activation: 'relu' }), dense(1, { activation: 'sigmoid' })])`. */
export const sequential = (layers: Layer[] = [], options?: LayerOptions) => new Sequential(layers, options);
registry.register('layer', 'sequential', Sequential);
