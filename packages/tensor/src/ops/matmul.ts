import { record } from '../autograd.js';
import { broadcastShapes, fmt, shapeError } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { sumToShape } from './reduce.js';
import { commonBackend, expectTensor } from './util.js';

export interface MatmulOptions {
  transposeA?: boolean;
  transposeB?: boolean;
}

/**
 * Matrix product of the last two axes, batched over the leading axes with broadcasting (a vector operand
 * is not promoted: use 2-D). Transposed operands are read in place, never copied.
 */
export function matmul(a: Tensor, b: Tensor, { transposeA = false, transposeB = false }: MatmulOptions = {}): Tensor {
  expectTensor('matmul', a, 'a');
  expectTensor('matmul', b, 'b');
  const shape = matmulShape(a, b, { transposeA, transposeB });
  const backend = commonBackend('matmul', a, b);
  const storage = backend.matmul(a.storage, a.shape, b.storage, b.shape, transposeA, transposeB, shape);
  return record('matmul', [a, b], backend, storage, shape, (g) => matmulGrads(a, b, g, { transposeA, transposeB }));
}

/** The gradients of `matmul(a, b, options)` given the output's gradient `g` (null where none is needed). */
export function matmulGrads(a: Tensor, b: Tensor, g: Tensor, { transposeA = false, transposeB = false }: MatmulOptions = {}): [Tensor | null, Tensor | null] {
  // dA = g·Bᵀ (or B·gᵀ when A was transposed), dB = Aᵀ·g (or gᵀ·A); batch broadcasting summed back.
  const ga = a.requiresGrad ? (transposeA ? matmul(b, g, { transposeA: transposeB, transposeB: true }) : matmul(g, b, { transposeB: !transposeB })) : null;
  const gb = b.requiresGrad ? (transposeB ? matmul(g, a, { transposeA: true, transposeB: transposeA }) : matmul(a, g, { transposeA: !transposeA })) : null;
  return [ga && sumToShape(ga, a.shape), gb && sumToShape(gb, b.shape)];
}

/** The shape of `matmul(a, b, options)`, or the error naming both shapes. */
export function matmulShape(a: Tensor, b: Tensor, { transposeA = false, transposeB = false }: MatmulOptions = {}): number[] {
  if (a.rank < 2 || b.rank < 2) throw shapeError('matmul', `needs operands of rank >= 2, got ${fmt(a.shape)} x ${fmt(b.shape)}`);
  const [m, ka] = transposeA ? [a.shape[a.rank - 1], a.shape[a.rank - 2]] : [a.shape[a.rank - 2], a.shape[a.rank - 1]];
  const [kb, n] = transposeB ? [b.shape[b.rank - 1], b.shape[b.rank - 2]] : [b.shape[b.rank - 2], b.shape[b.rank - 1]];
  if (ka !== kb) {
    const t = (s: readonly number[], tr: boolean) => `${fmt(s)}${tr ? 'ᵀ' : ''}`;
    throw shapeError('matmul', `inner dimensions differ: ${t(a.shape, transposeA)} x ${t(b.shape, transposeB)} (${ka} vs ${kb})`, { shapes: [a.shape, b.shape] });
  }
  if (a.rank === 2 && b.rank === 2) return [m, n];
  return [...broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2)), m, n];
}
