import { ErrorCode, NNError, registry, type JsonObject } from '@nn/core';
import { Generator, globalGenerator, randn, tensor, type Tensor } from '@nn/tensor';
import type { Initializer } from '../initializers.js';

/**
 * Keras' Orthogonal: a random orthogonal matrix (QR of a normal matrix, signs fixed by R's diagonal so the
 * draw is uniform over orthogonal matrices), times `gain`. The recurrent kernels' default: repeated
 * multiplication by an orthogonal matrix neither explodes nor vanishes. Shapes of rank > 2 are flattened to
 * `[prod(leading), last]` as Keras does.
 */
export class Orthogonal implements Initializer {
  readonly gain: number;
  readonly seed?: number;
  private gen?: Generator;

  constructor({ gain = 1, seed }: { gain?: number; seed?: number } = {}) {
    if (!Number.isFinite(gain)) throw new NNError(ErrorCode.InvalidArgument, `orthogonal: gain must be a finite number, got ${gain}`);
    this.gain = gain;
    this.seed = seed;
  }

  static fromConfig = (c: JsonObject) => new Orthogonal(c as { gain?: number; seed?: number });

  init(shape: number[]): Tensor {
    if (shape.length < 2) throw new NNError(ErrorCode.InvalidArgument, `orthogonal: needs a shape of rank >= 2, got [${shape.join(',')}]`);
    const cols = shape[shape.length - 1];
    const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    // Orthonormalize the columns of the taller orientation, then transpose back if needed.
    const [m, n] = rows >= cols ? [rows, cols] : [cols, rows];
    const generator = this.seed === undefined ? globalGenerator : (this.gen ??= new Generator(this.seed));
    const a = Float64Array.from(randn([m, n], { generator }).dataSync());
    // Modified Gram-Schmidt on columns: q_j = (a_j - sum_k <a_j,q_k> q_k) / r_jj; sign(r_jj) folded into q_j.
    for (let j = 0; j < n; j++) {
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let i = 0; i < m; i++) dot += a[i * n + j] * a[i * n + k];
        for (let i = 0; i < m; i++) a[i * n + j] -= dot * a[i * n + k];
      }
      let norm = 0;
      for (let i = 0; i < m; i++) norm += a[i * n + j] ** 2;
      norm = Math.sqrt(norm) || 1;
      for (let i = 0; i < m; i++) a[i * n + j] /= norm;
    }
    const out = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = this.gain * (rows >= cols ? a[r * n + c] : a[c * n + r]);
    return tensor(out, shape);
  }

  getConfig(): Record<string, unknown> {
    return { gain: this.gain, ...(this.seed === undefined ? {} : { seed: this.seed }) };
  }
}

registry.register('initializer', 'orthogonal', Orthogonal);
