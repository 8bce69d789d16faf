import { optionError, registry, type JsonObject } from '@nn/core';
import { expandDims, max, notEqual, where, type Tensor } from '@nn/tensor';
import { baseOptions, checkLayerOptions, Layer, type LayerOptions } from '../layer.js';
import { setMask } from './mask.js';

/**
 * Keras' Masking: a time step whose features all equal `maskValue` is padding. The output (the input with
 * those steps zeroed, as Keras) carries the mask, so the recurrent layers after it skip them — the float
 * counterpart of an embedding's `maskZero`.
 */
export class Masking extends Layer {
  readonly maskValue: number;

  constructor(options: LayerOptions & { maskValue?: number } = {}) {
    options = checkLayerOptions('masking', options, ['maskValue']);
    super(options, 'masking');
    const v = options.maskValue ?? 0;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw optionError('masking', 'maskValue', 'must be a finite number', v);
    this.maskValue = v;
  }

  static fromConfig(config: JsonObject): Masking {
    return new Masking({ ...baseOptions(config), maskValue: config.maskValue as number });
  }

  call(x: Tensor): Tensor {
    if (x.rank < 3) return x;
    const keep = max(notEqual(x, this.maskValue), -1);
    return setMask(where(expandDims(keep, -1), x, 0), x.rank === 3 ? keep : undefined);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), maskValue: this.maskValue };
  }
}

/** Keras' `Masking(mask_value)`: `masking({ maskValue: 0 })` before a recurrent layer. */
export const masking = (options?: LayerOptions & { maskValue?: number }) => new Masking(options);
registry.register('layer', 'masking', Masking);
