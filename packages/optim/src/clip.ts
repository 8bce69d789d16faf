import { ErrorCode, NNError } from '@nn/core';
import { abs, add, assign, clip, div, max, minimum, noGrad, pow, sqrt, stack, sum, sumSquares, tidy, type Tensor } from '@nn/tensor';
import { gradOf, tensorList } from './values.js';

export interface ClipGradNormOptions {
  /** Throw when the total norm is NaN or infinite instead of scaling every gradient by it (default false). */
  errorIfNonfinite?: boolean;
}

/** A norm order: a positive number, `Infinity` or `'inf'` (JSON has no Infinity). */
export type NormType = number | 'inf';

function normOrder(where: string, normType: NormType): number {
  const p = normType === 'inf' ? Infinity : normType;
  if (typeof p !== 'number' || Number.isNaN(p) || p <= 0) {
    throw new NNError(ErrorCode.InvalidArgument, `${where}: normType must be a positive number or Infinity ('inf'), got ${String(normType)}`, { normType });
  }
  return p;
}

/** The p-norm of one tensor (all its values as one vector), a scalar on its backend. */
function vectorNorm(g: Tensor, p: number): Tensor {
  if (p === 1 || g.size === 0) return sum(abs(g));
  // One pass, no squared copy of the gradient, where the backend has the kernel.
  if (p === 2) return sqrt(sumSquares(g));
  if (p === Infinity) return max(abs(g));
  return pow(sum(pow(abs(g), p)), 1 / p);
}

/**
 * The norm of the per-tensor norms: PyTorch's total norm over all gradients, as if concatenated. A scalar
 * tensor on the gradients' backend: computing it reads nothing back.
 */
export function totalNorm(grads: readonly Tensor[], p: number): Tensor {
  return tidy(() => vectorNorm(stack(grads.map((g) => vectorNorm(g, p))), p));
}

/** PyTorch's scale factor: min(1, maxNorm / (norm + 1e-6)), as a tensor op (NaN stays NaN, as in PyTorch). */
export function clipCoefficient(norm: Tensor, maxNorm: number): Tensor {
  return tidy(() => minimum(div(maxNorm, add(norm, 1e-6)), 1));
}

function nonFinite(where: string, p: number): NNError {
  return new NNError(
    'NON_FINITE',
    `${where}: the total norm of order ${p} of the gradients is non-finite, so it cannot be clipped; set errorIfNonfinite: false to scale the gradients by it anyway`,
    { normType: p },
  );
}

/**
 * Rescales the gradients of `params` in place so that their global norm (all gradients as one vector)
 * is at most `maxNorm`, as PyTorch's `clip_grad_norm_`; returns the total norm before clipping, which is
 * worth logging: a norm that keeps hitting the cap says the lr is too high. Parameters without a
 * gradient are skipped.
 */
export function clipGradNorm(params: Tensor | Iterable<Tensor>, maxNorm: number, normType: NormType = 2, options: ClipGradNormOptions = {}): number {
  const where = 'clipGradNorm';
  if (typeof maxNorm !== 'number' || !(maxNorm >= 0)) throw new NNError(ErrorCode.InvalidArgument, `${where}: maxNorm must be a non-negative number, got ${String(maxNorm)}`, { maxNorm });
  const p = normOrder(where, normType);
  const grads = distinctGrads(where, tensorList(where, params));
  if (grads.all.length === 0) return 0;
  // The caller asked for the norm: this is the one readback. The scaling itself stays on the backend.
  const normTensor = noGrad(() => totalNorm(grads.all, p));
  const norm = normTensor.item();
  normTensor.dispose();
  if (options.errorIfNonfinite && !Number.isFinite(norm)) throw nonFinite(where, p);
  const coef = Math.fround(Math.fround(maxNorm) / Math.fround(norm + 1e-6));
  if (!(coef >= 1)) noGrad(() => grads.distinct.forEach((g) => assign(g, g, { scale: coef })));
  return norm;
}

/**
 * Clamps every gradient of `params` in place: to [-clipValue, clipValue] given a number, as PyTorch's
 * `clip_grad_value_`, or to [a, b] given a pair, the course's max(min(g, b), a). Cruder than clipping by
 * norm (it changes the gradient's direction) but bounds each coordinate.
 */
export function clipGradValue(params: Tensor | Iterable<Tensor>, clipValue: number | readonly [number, number]): void {
  const where = 'clipGradValue';
  const [lo, hi] = clipBounds(where, 'clipValue', clipValue);
  noGrad(() => {
    for (const g of distinctGrads(where, tensorList(where, params)).distinct) assign(g, clip(g, lo, hi), { move: true });
  });
}

/**
 * The interval a `clipValue` option stands for: c ≥ 0 is [-c, c]; a pair [a, b] of finite numbers with
 * a ≤ b is itself (asymmetric bounds, as the course writes clipping).
 */
export function clipBounds(where: string, name: string, value: unknown): [number, number] {
  if (typeof value === 'number') {
    if (!(value >= 0)) throw new NNError(ErrorCode.InvalidArgument, `${where}: ${name} must be a non-negative number or a pair [min, max], got ${String(value)}`, { [name]: value });
    return [-value, value];
  }
  const pair = Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number' && Number.isFinite(v));
  if (!pair || !(value[0] <= value[1])) {
    throw new NNError(ErrorCode.InvalidArgument, `${where}: ${name} must be a non-negative number or a pair [min, max] of finite numbers with min <= max, got ${JSON.stringify(value) ?? String(value)}`, { [name]: value });
  }
  return [value[0], value[1]];
}

/**
 * The gradients to norm (one per parameter, as PyTorch counts them) and those to scale: autograd may hand
 * one gradient tensor, or views of one buffer, to several parameters, and scaling a buffer twice would
 * square the factor.
 */
export function distinctGrads(where: string, params: Tensor[]): { all: Tensor[]; distinct: Tensor[] } {
  const all: Tensor[] = [];
  const distinct: Tensor[] = [];
  const seen = new Set<unknown>();
  for (const p of params) {
    const g = gradOf(where, p);
    if (!g) continue;
    all.push(g);
    if (seen.has(g.storage)) continue;
    seen.add(g.storage);
    distinct.push(g);
  }
  return { all, distinct };
}
