import { registry } from '@nn/core';
import type { JsonObject } from '@nn/core';
import { reshape, type Tensor } from '@nn/tensor';
import { baseOptions, checkLayerOptions, Layer, type LayerOptions, type Shape } from './layer.js';

/** Keeps the batch axis and flattens the rest: `[N, a, b] -> [N, a·b]`. */
export class Flatten extends Layer {
  constructor(options: LayerOptions = {}) {
    super(checkLayerOptions('flatten', options, []), 'flatten');
  }
  static fromConfig(config: JsonObject): Flatten {
    return new Flatten(baseOptions(config));
  }
  call(x: Tensor): Tensor {
    return reshape(x, [x.shape[0], -1]);
  }
  override computeOutputShape(s: Shape): Shape {
    const rest = s.slice(1);
    return [s[0], rest.some((d) => d === null) ? null : (rest as number[]).reduce((a, b) => a * b, 1)];
  }
}

export const flatten = (options?: LayerOptions) => new Flatten(options);
registry.register('layer', 'flatten', Flatten);
