import { optionError, registry, type JsonObject } from '@nn/core';
import { pad, type Tensor } from '@nn/tensor';
import { baseOptions, checkLayerOptions, Layer, type LayerOptions, type Shape } from './layer.js';
import { expectSpatial } from './spatial.js';

export interface ZeroPaddingOptions extends LayerOptions {
  /** Rows and columns of zeros (default 1): `p` on every side, `[rows, cols]` symmetric, or `[[top, bottom], [left, right]]`. */
  padding?: number | [number, number] | [[number, number], [number, number]];
}

/** Keras' ZeroPadding2D: zeros around each image `[N, H, W, C]`. */
export class ZeroPadding2D extends Layer {
  readonly padding: [[number, number], [number, number]];

  constructor(options: ZeroPaddingOptions = {}) {
    const checked = checkLayerOptions('zeroPadding2d', options, ['padding']);
    super(checked, 'zeroPadding2d');
    const p = checked.padding ?? 1;
    const sides = typeof p === 'number' ? [[p, p], [p, p]] : Array.isArray(p) && p.length === 2 && p.every((v) => typeof v === 'number') ? [[p[0], p[0]], [p[1], p[1]]] : p;
    const ok = Array.isArray(sides) && sides.length === 2 && sides.every((s) => Array.isArray(s) && s.length === 2 && s.every((v) => Number.isInteger(v) && v >= 0));
    if (!ok) throw optionError('zeroPadding2d', 'padding', 'must be a non-negative integer, [rows, cols] or [[top, bottom], [left, right]]', p);
    const [[t, b], [l, r]] = sides as number[][];
    this.padding = [[t, b], [l, r]];
  }

  static fromConfig(config: JsonObject): ZeroPadding2D {
    return new ZeroPadding2D({ ...(config as ZeroPaddingOptions), ...baseOptions(config) });
  }

  private check(shape: Shape): void {
    expectSpatial(this.name, shape, 2);
  }

  call(x: Tensor): Tensor {
    this.check(x.shape);
    return pad(x, [[0, 0], ...this.padding, [0, 0]]);
  }

  override computeOutputShape(s: Shape): Shape {
    this.check(s);
    const grow = (d: number | null, [a, b]: [number, number]) => (d === null ? null : d + a + b);
    return [s[0], grow(s[1], this.padding[0]), grow(s[2], this.padding[1]), s[3]];
  }

  override getConfig() {
    return { ...super.getConfig(), padding: this.padding };
  }
}

/** Keras' `ZeroPadding2D(padding=(1, 1))`. */
export const zeroPadding2d = (options?: ZeroPaddingOptions) => new ZeroPadding2D(options);
registry.register('layer', 'zeroPadding2d', ZeroPadding2D);
