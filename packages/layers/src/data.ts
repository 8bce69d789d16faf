import { ErrorCode, NNError } from '@nn/core';
import { tensor, Tensor, type NestedArray } from '@nn/tensor';

/** What `fit`, `evaluate` and `predict` accept: a tensor, nested arrays, or a flat typed array (one value per sample). */
export type Data = Tensor | NestedArray | readonly number[] | Float32Array;

export function toTensor(data: Data, what: string): Tensor {
  if (data instanceof Tensor) return data;
  try {
    return tensor(data as NestedArray);
  } catch (e) {
    throw new NNError(ErrorCode.InvalidArgument, `${what}: cannot read it as a tensor: ${(e as Error).message}`);
  }
}

/** The first non-finite value's position, or -1. */
export function firstNonFinite(values: Float32Array): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

/** Refuses NaN/Infinity with the sample and column that hold it. */
export function assertFinite(t: Tensor, what: string): void {
  const values = t.dataSync();
  const i = firstNonFinite(values);
  if (i < 0) return;
  const perRow = t.rank > 0 && t.shape[0] > 0 ? t.size / t.shape[0] : 1;
  throw new NNError(ErrorCode.InvalidArgument, `${what} contains ${values[i]} at sample ${Math.floor(i / perRow)}${perRow > 1 ? `, value ${i % perRow}` : ''}; clean or impute the data first`, { index: i });
}
