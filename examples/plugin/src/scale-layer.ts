import type { JsonObject } from '@nn/core';
import { mul, type Tensor } from '@nn/tensor';
import { baseOptions, checkLayerOptions, Layer, type LayerOptions, type LayerShape } from '@nn/layers';

/** A learnable per-feature scale, `y = x · s` (s starts at 1): the smallest layer with a weight. */
export class Scale extends Layer {
  private scale: Tensor | null = null;

  constructor(options: LayerOptions = {}) {
    // Checks the shared options (name, trainable, inputShape) and refuses unknown ones with a near miss.
    super(checkLayerOptions('scale', options, []), 'scale');
  }

  override build(inputShape: LayerShape): void {
    const features = inputShape[inputShape.length - 1];
    this.scale = this.addWeight('scale', [features ?? 1], 'ones');
  }

  call(x: Tensor): Tensor {
    return mul(x, this.scale!);
  }

  static fromConfig(config: JsonObject): Scale {
    return new Scale(baseOptions(config));
  }
}
