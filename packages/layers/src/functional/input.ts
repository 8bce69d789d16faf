import { ErrorCode, NNError, registry, type JsonObject } from '@nn/core';
import type { Tensor } from '@nn/tensor';
import { baseOptions, checkLayerOptions, Layer, type LayerOptions, type Shape } from '../layer.js';
import { SymbolicTensor, type GraphNode } from './symbolic.js';

/** The source of a functional model's input: holds the sample shape; passes data through. */
export class InputLayer extends Layer {
  readonly shape: number[];
  /** The symbolic tensor this input stands for. */
  readonly output: SymbolicTensor;

  constructor(options: LayerOptions & { shape: number[] }) {
    const { shape: _s, ...rest } = checkLayerOptions('input', options, ['shape']);
    super({ ...rest, inputShape: options.shape }, 'input');
    const { shape } = options;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d > 0)) {
      throw new NNError(ErrorCode.InvalidArgument, `input: shape must be a list of positive integers (one sample, no batch axis), got ${JSON.stringify(shape)}`);
    }
    this.shape = [...shape];
    const outputs: SymbolicTensor[] = [];
    const node: GraphNode = { layer: this, inputs: [], outputs };
    outputs.push(new SymbolicTensor([null, ...shape], node, 0));
    this.output = outputs[0];
    this.built = true;
  }

  static fromConfig(config: JsonObject): InputLayer {
    return new InputLayer({ ...baseOptions(config), shape: config.shape as number[] });
  }

  call(x: Tensor): Tensor {
    return x;
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    const { inputShape: _drop, ...rest } = super.getConfig();
    return { ...rest, shape: this.shape };
  }
}

/** Keras' `Input(shape)`: a symbolic tensor standing for a batch of samples of `shape` (no batch axis). */
export const input = ({ shape, name }: { shape: number[]; name?: string }): SymbolicTensor => new InputLayer({ shape, name }).output;
registry.register('layer', 'inputLayer', InputLayer);
