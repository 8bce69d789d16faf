import { ErrorCode, NNError } from '@nn/core';
import type { Tensor } from '@nn/tensor';

/** Whether `v` looks like a tensor (duck-typed, so two copies of @nn/tensor in a bundle still work). */
export function isTensor(v: unknown): v is Tensor {
  return typeof v === 'object' && v !== null && Array.isArray((v as Tensor).shape) && typeof (v as Tensor).mutate === 'function';
}

/** The parameters of `params` (one tensor or an iterable of them), checked. */
export function tensorList(where: string, params: Tensor | Iterable<Tensor>): Tensor[] {
  const list = isTensor(params) ? [params] : params != null && typeof (params as Iterable<Tensor>)[Symbol.iterator] === 'function' ? [...params] : null;
  if (!list) throw new NNError(ErrorCode.InvalidArgument, `${where}: params must be a tensor or an array of tensors, got ${String(params)}`);
  list.forEach((p, i) => {
    if (!isTensor(p)) throw new NNError(ErrorCode.InvalidArgument, `${where}: params[${i}] is not a tensor (got ${p === null ? 'null' : typeof p})`, { index: i });
  });
  return list;
}

/** The gradient of `p`, checked against its shape (a mismatched gradient would corrupt the update silently). */
export function gradOf(where: string, p: Tensor): Tensor | null {
  const g = p.grad;
  if (!g) return null;
  if (g.isDisposed) {
    throw new NNError(ErrorCode.InvalidArgument, `${where}: the gradient of a parameter of shape [${p.shape.join(',')}] has been disposed; set its grad to null to skip it`, { param: p.shape });
  }
  if (g.size !== p.size) {
    throw new NNError(ErrorCode.ShapeMismatch, `${where}: gradient of shape [${g.shape.join(',')}] for a parameter of shape [${p.shape.join(',')}]`, { param: p.shape, grad: g.shape });
  }
  return g;
}

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);
export { sameShape };
