import { ErrorCode, NNError, registry, type JsonObject } from '@nn/core';
import { Generator, globalGenerator, mul, releaseWithGraph, tensor, type Tensor } from '@nn/tensor';
import { checkLayerOptions, Layer, type LayerOptions } from '@nn/layers';

export interface DropoutOptions extends LayerOptions {
  /**
   * The shape of the mask, broadcast against the input (Keras' `noise_shape`): `[null, 1, null]` drops the
   * same features at every time step. `null` entries take the input's size.
   */
  noiseShape?: (number | null)[];
  /** A stream of this layer's own; without it masks come from the global generator, so `setSeed` reproduces them. */
  seed?: number;
}

/**
 * Inverted dropout (Srivastava et al. 2014 as Keras implements it): while training each unit is zeroed with
 * probability `rate` and the survivors are scaled by `1/(1 - rate)`, so the expected activation is unchanged
 * and inference is the identity: no rescaling at test time.
 */
export class Dropout extends Layer {
  readonly rate: number;
  readonly noiseShape?: (number | null)[];
  readonly seed?: number;
  private readonly generator?: Generator;

  constructor(rate: number, options: DropoutOptions = {}) {
    options = checkLayerOptions('dropout', options, ['noiseShape', 'seed']);
    super(options, 'dropout');
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
      throw new NNError(ErrorCode.InvalidArgument, `dropout: rate must be a number in [0, 1) (the fraction of units dropped), got ${String(rate)}`);
    }
    const { noiseShape, seed } = options;
    if (noiseShape !== undefined && noiseShape !== null && (!Array.isArray(noiseShape) || noiseShape.some((d) => d !== null && !(Number.isInteger(d) && d >= 1)))) {
      throw new NNError(ErrorCode.InvalidArgument, `dropout: noiseShape must be an array of positive integers or nulls, got ${JSON.stringify(noiseShape)}`);
    }
    if (seed !== undefined && seed !== null && !Number.isFinite(seed)) throw new NNError(ErrorCode.InvalidArgument, `dropout: seed must be a finite number, got ${String(seed)}`);
    this.rate = rate;
    if (noiseShape) this.noiseShape = [...noiseShape];
    if (seed !== undefined && seed !== null) {
      this.seed = seed;
      this.generator = new Generator(seed);
    }
  }

  static fromConfig(config: JsonObject): Dropout {
    const { rate, ...rest } = config as unknown as DropoutOptions & { rate: number };
    return new Dropout(rate, rest);
  }

  /** This layer's own random stream (with `seed`), for a checkpoint; undefined when it draws from the global one. */
  override randomState(): number[] | undefined {
    return this.generator?.getState();
  }

  override setRandomState(state: unknown): void {
    if (!this.generator) return;
    if (!Array.isArray(state)) throw new NNError(ErrorCode.StateMismatch, `${this.name}: a random state must be an array of numbers, got ${String(state)}`);
    this.generator.setState(state as number[]);
  }

  call(x: Tensor, training: boolean): Tensor {
    if (!training || this.rate === 0) return x;
    const shape = this.maskShape(x.shape);
    const keep = 1 - this.rate;
    const g = this.generator ?? globalGenerator;
    const size = shape.reduce((a, b) => a * b, 1);
    const mask = new Float32Array(size);
    // One uniform draw per mask entry, in row-major order: the same seed gives the same mask on any backend.
    for (let i = 0; i < size; i++) mask[i] = g.uniform() < keep ? 1 / keep : 0;
    const maskTensor = tensor(mask, shape);
    // The mask goes with the graph (released by backward), not to the collector: loops need no tidy.
    return releaseWithGraph(mul(x, maskTensor), [maskTensor]);
  }

  private maskShape(inputShape: readonly number[]): number[] {
    if (!this.noiseShape) return [...inputShape];
    if (this.noiseShape.length !== inputShape.length) {
      throw new NNError(ErrorCode.ShapeMismatch, `${this.name}: noiseShape [${this.noiseShape.map((d) => d ?? 'null').join(',')}] has ${this.noiseShape.length} axes but the input has shape [${inputShape.join(',')}]`);
    }
    return this.noiseShape.map((d, i) => {
      const size = d ?? inputShape[i];
      if (size !== 1 && size !== inputShape[i]) {
        throw new NNError(ErrorCode.ShapeMismatch, `${this.name}: noiseShape [${this.noiseShape!.map((n) => n ?? 'null').join(',')}] does not broadcast to the input shape [${inputShape.join(',')}] (axis ${i})`);
      }
      return size;
    });
  }

  override getConfig() {
    return {
      ...super.getConfig(),
      rate: this.rate,
      ...(this.noiseShape ? { noiseShape: this.noiseShape } : {}),
      ...(this.seed !== undefined ? { seed: this.seed } : {}),
    };
  }
}

/** `sequential([dense(64, { activation: 'relu' }), dropout(0.5), dense(1)])`. */
export const dropout = (rate: number, options?: DropoutOptions): Dropout => new Dropout(rate, options);

registry.register('layer', 'dropout', Dropout);
