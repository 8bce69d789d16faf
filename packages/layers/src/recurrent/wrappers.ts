import { deserialize, ErrorCode, NNError, registry, serialize, type JsonObject } from '@nn/core';
import { add, arange, concat, gather, mul, reshape, sub, type Tensor } from '@nn/tensor';
import { baseOptions, checkLayerOptions, fmtShape, Layer, type LayerOptions, type Shape } from '../layer.js';
import { getMask, setMask } from './mask.js';
import { RNN } from './rnn.js';

export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave' | null;

export interface BidirectionalOptions extends LayerOptions {
  /** How the two directions' outputs combine (Keras' default `concat`); `null` outputs both (`applyAll`). */
  mergeMode?: MergeMode;
}

const MERGE_MODES: readonly MergeMode[] = ['concat', 'sum', 'mul', 'ave', null];

/** The sequence in reverse time order (axis 1). */
const reverseTime = (y: Tensor): Tensor => gather(y, sub(y.shape[1] - 1, arange(y.shape[1])), 1);

/**
 * Keras' Bidirectional: runs a recurrent layer forwards and a copy of it (same config, `goBackwards` flipped,
 * its own weights) backwards, and merges the two. The backward sequence is put back in time order before
 * merging. Weights: the forward layer's, then the backward layer's.
 */
export class Bidirectional extends Layer {
  readonly forwardLayer: RNN;
  readonly backwardLayer: RNN;
  readonly mergeMode: MergeMode;

  constructor(layer: RNN, options: BidirectionalOptions = {}) {
    options = checkLayerOptions('bidirectional', options, ['mergeMode']);
    super(options, 'bidirectional');
    if (!(layer instanceof RNN)) throw new NNError(ErrorCode.InvalidArgument, `${this.name}: expects a recurrent layer (lstm, gru, simpleRNN, rnn), got ${(layer as object)?.constructor?.name ?? typeof layer}`);
    const mergeMode = options.mergeMode === undefined ? 'concat' : options.mergeMode;
    if (!MERGE_MODES.includes(mergeMode)) throw new NNError(ErrorCode.InvalidArgument, `${this.name}: mergeMode must be one of concat, sum, mul, ave or null, got ${JSON.stringify(options.mergeMode)}`);
    this.mergeMode = mergeMode;
    this.forwardLayer = layer;
    const json = serialize(layer);
    const config = { ...json.config, name: `backward_${layer.name}`, goBackwards: !layer.goBackwards };
    this.backwardLayer = deserialize<RNN>({ ...json, config } as typeof json);
    if (!this.trainable) this.syncRequiresGrad(true);
  }

  static fromConfig(config: JsonObject): Bidirectional {
    return new Bidirectional(config.layer as unknown as RNN, { ...baseOptions(config), mergeMode: config.mergeMode as MergeMode });
  }

  override children(): Layer[] {
    return [this.forwardLayer, this.backwardLayer];
  }

  override build(inputShape: Shape): void {
    this.forwardLayer.ensureBuilt(inputShape);
    this.backwardLayer.ensureBuilt(inputShape);
  }

  private merge(f: Tensor, b: Tensor): Tensor[] {
    switch (this.mergeMode) {
      case 'concat': return [concat([f, b], -1)];
      case 'sum': return [add(f, b)];
      case 'mul': return [mul(f, b)];
      case 'ave': return [mul(add(f, b), 0.5)];
      default: return [f, b];
    }
  }

  /** Inputs `[x, ...forwardStates, ...backwardStates]`; outputs the merged output(s), then the final states of both directions with `returnState`. */
  callAll(inputs: readonly Tensor[], training: boolean): Tensor[] {
    const [x, ...initial] = inputs;
    const n = this.forwardLayer.cell.stateSize.length;
    if (initial.length !== 0 && initial.length !== 2 * n) throw new NNError(ErrorCode.InvalidArgument, `${this.name}: initial states need ${2 * n} tensors (forward then backward), got ${initial.length}`);
    const fwd = this.forwardLayer.run(x, { training, initialState: initial.length ? initial.slice(0, n) : undefined });
    const bwd = this.backwardLayer.run(x, { training, initialState: initial.length ? initial.slice(n) : undefined });
    const bOut = this.forwardLayer.returnSequences ? reverseTime(bwd[0]) : bwd[0];
    const merged = this.merge(fwd[0], bOut).map((y) => setMask(y, this.forwardLayer.returnSequences ? getMask(x) : undefined));
    return this.forwardLayer.returnState ? [...merged, ...fwd.slice(1), ...bwd.slice(1)] : merged;
  }

  call(x: Tensor, training: boolean): Tensor {
    if (this.mergeMode === null) throw new NNError(ErrorCode.InvalidArgument, `${this.name}: with mergeMode null it has two outputs; use applyAll (or a functional model)`);
    return this.callAll([x], training)[0];
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const out = this.forwardLayer.computeOutputShape(inputShape);
    if (this.mergeMode !== 'concat') return out;
    const last = out[out.length - 1];
    return [...out.slice(0, -1), last === null ? null : 2 * last];
  }

  computeOutputShapes(inputShapes: readonly Shape[]): Shape[] {
    const states = this.forwardLayer.computeOutputShapes(inputShapes).slice(1);
    const outputs = this.mergeMode === null ? [this.forwardLayer.computeOutputShape(inputShapes[0]), this.forwardLayer.computeOutputShape(inputShapes[0])] : [this.computeOutputShape(inputShapes[0])];
    return [...outputs, ...states, ...states];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), layer: this.forwardLayer, mergeMode: this.mergeMode };
  }
}

/**
 * Keras' TimeDistributed: applies one layer (one set of weights) to every time step of `[batch, time, ...]`
 * by folding time into the batch: `[batch·time, ...]` through the layer, then unfolded.
 */
export class TimeDistributed extends Layer {
  readonly layer: Layer;

  constructor(layer: Layer, options: LayerOptions = {}) {
    super(checkLayerOptions('timeDistributed', options, []), 'time_distributed');
    if (!(layer instanceof Layer)) throw new NNError(ErrorCode.InvalidArgument, `${this.name}: expects a layer, got ${typeof layer}`);
    this.layer = layer;
    if (!this.trainable) this.syncRequiresGrad(true);
  }

  static fromConfig(config: JsonObject): TimeDistributed {
    return new TimeDistributed(config.layer as unknown as Layer, baseOptions(config));
  }

  override children(): Layer[] {
    return [this.layer];
  }

  private inner(shape: Shape): Shape {
    if (shape.length < 3) throw new NNError(ErrorCode.ShapeMismatch, `${this.name}: expects inputs [batch, time, ...] of rank >= 3, got ${fmtShape(shape)}`);
    return [shape[0] === null || shape[1] === null ? null : shape[0] * shape[1], ...shape.slice(2)];
  }

  override build(inputShape: Shape): void {
    this.layer.ensureBuilt(this.inner(inputShape));
  }

  call(x: Tensor, training: boolean): Tensor {
    this.inner(x.shape);
    const [batch, time] = x.shape;
    const y = this.layer.applyTensor(reshape(x, [batch * time, ...x.shape.slice(2)]), training);
    return setMask(reshape(y, [batch, time, ...y.shape.slice(1)]), getMask(x));
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const out = this.layer.computeOutputShape(this.inner(inputShape));
    return [inputShape[0], inputShape[1], ...out.slice(1)];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), layer: this.layer };
  }
}

/** Keras' `Bidirectional(layer, { mergeMode })`. */
export const bidirectional = (layer: RNN, options?: BidirectionalOptions) => new Bidirectional(layer, options);
/** Keras' `TimeDistributed(layer)`. */
export const timeDistributed = (layer: Layer, options?: LayerOptions) => new TimeDistributed(layer, options);

registry.register('layer', 'bidirectional', Bidirectional);
registry.register('layer', 'timeDistributed', TimeDistributed);
