import { ErrorCode, NNError } from '@nn/core';
import { fmtShape, type Shape } from './layer.js';

/** Checks that `shape` is `[batch, ...rank spatial axes, channels]`, naming the layer (conv, pooling, padding, upsampling). */
export function expectSpatial(layer: string, shape: Shape, rank: number): void {
  if (shape.length !== rank + 2) {
    const layout = rank === 1 ? '[batch, steps, channels]' : '[batch, height, width, channels]';
    throw new NNError(ErrorCode.ShapeMismatch, `${layer}: expected inputs of rank ${rank + 2} ${layout}, got shape ${fmtShape(shape)}`);
  }
}
