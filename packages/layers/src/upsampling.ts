import { optionError, registry, type JsonObject } from '@nn/core';
import { broadcastTo, reshape, type Tensor } from '@nn/tensor';
import { baseOptions, checkLayerOptions, Layer, type LayerOptions, type Shape } from './layer.js';
import { expectSpatial } from './spatial.js';

export interface UpSamplingOptions extends LayerOptions {
  /** Repeats per row and column (default 2): a number or `[rows, cols]`. */
  size?: number | [number, number];
  /** Only `'nearest'` (Keras' default): each pixel repeated. */
  interpolation?: 'nearest';
}

/** Keras' UpSampling2D with nearest-neighbour interpolation: `[N, H, W, C]` → `[N, H·rows, W·cols, C]`. */
export class UpSampling2D extends Layer {
  readonly size: [number, number];

  constructor(options: UpSamplingOptions = {}) {
    const checked = checkLayerOptions('upSampling2d', options, ['size', 'interpolation']);
    super(checked, 'upSampling2d');
    const size = checked.size ?? 2;
    const pair = typeof size === 'number' ? [size, size] : size;
    if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((d) => Number.isInteger(d) && d > 0)) throw optionError('upSampling2d', 'size', 'must be a positive integer or [rows, cols]', size);
    if (checked.interpolation !== undefined && checked.interpolation !== 'nearest') throw optionError('upSampling2d', 'interpolation', "must be 'nearest' (the only one implemented)", checked.interpolation);
    this.size = [pair[0], pair[1]];
  }

  static fromConfig(config: JsonObject): UpSampling2D {
    return new UpSampling2D({ ...(config as UpSamplingOptions), ...baseOptions(config) });
  }

  private check(shape: Shape): void {
    expectSpatial(this.name, shape, 2);
  }

  call(x: Tensor): Tensor {
    this.check(x.shape);
    const [n, h, w, c] = x.shape;
    const [sh, sw] = this.size;
    // Each pixel broadcast over an sh x sw block: reshape/broadcast only, so gradients sum each block back.
    const blocks = broadcastTo(reshape(x, [n, h, 1, w, 1, c]), [n, h, sh, w, sw, c]);
    return reshape(blocks, [n, h * sh, w * sw, c]);
  }

  override computeOutputShape(s: Shape): Shape {
    this.check(s);
    const scale = (d: number | null, k: number) => (d === null ? null : d * k);
    return [s[0], scale(s[1], this.size[0]), scale(s[2], this.size[1]), s[3]];
  }

  override getConfig() {
    return { ...super.getConfig(), size: this.size, interpolation: 'nearest' };
  }
}

/** Keras' `UpSampling2D(size=(2, 2))`. */
export const upSampling2d = (options?: UpSamplingOptions) => new UpSampling2D(options);
registry.register('layer', 'upSampling2d', UpSampling2D);
