import { ErrorCode, NNError, registry } from '@nn/core';
import type { Shape } from './shape.js';

export type UnaryOp =
  | 'neg' | 'abs' | 'exp' | 'log' | 'sqrt' | 'square' | 'sin' | 'cos' | 'tanh' | 'sigmoid' | 'relu' | 'sign'
  | 'step' | 'reciprocal' | 'softplus' | 'erf' | 'floor' | 'round' | 'log1p' | 'expm1' | 'elu' | 'leakyRelu'
  | 'selu' | 'gelu' | 'mish' | 'swish' | 'hardSigmoid' | 'isFinite';

export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum'
  | 'equal' | 'notEqual' | 'less' | 'lessEqual' | 'greater' | 'greaterEqual';

export type ReduceOp = 'sum' | 'max' | 'min';

/**
 * What a backend supplies: storage and kernels. Kernels take and return opaque storage handles (`S`), so
 * data may live off the JS heap (GPU textures); gradients are not a backend's concern — they are defined
 * once per op on top of these kernels. Every kernel returns new storage and never mutates its inputs.
 * A backend may be patched kernel by kernel (e.g. a faster `matmul`) since callers go through this object.
 */
export interface Backend<S = unknown> {
  readonly name: string;
  /** Storage holding a copy of `data`. */
  upload(data: Float32Array): S;
  /**
   * Storage that takes `data` over: the caller made it fresh and will not touch it again, so a host backend
   * can keep the array itself instead of copying. Optional; `upload` is used where it is missing.
   */
  adopt?(data: Float32Array): S;
  /** Storage of `size` elements, all `value`. */
  fill(size: number, value: number): S;
  /** The values, synchronously. The cpu backend may return its own array: callers must not mutate it. */
  read(s: S, size: number): Float32Array;
  /** The values, without blocking (a device backend waits for its queue here). */
  readAsync(s: S, size: number): Promise<Float32Array>;
  /** Frees the storage; called once, when no tensor references it any more. */
  release(s: S): void;
  /** Replaces the contents of `s` in place, where the backend can (cpu); returns false where it cannot. */
  writeInPlace?(s: S, data: Float32Array): boolean;

  unary(op: UnaryOp, x: S, size: number, param: number): S;
  binary(op: BinaryOp, a: S, aShape: Shape, b: S, bShape: Shape, outShape: Shape): S;
  where(cond: S, cShape: Shape, a: S, aShape: Shape, b: S, bShape: Shape, outShape: Shape): S;
  /** Reduces over `axes` (sorted, unique); the result has `shape` without those axes. */
  reduce(op: ReduceOp, x: S, shape: Shape, axes: readonly number[]): S;
  /** Index of the max/min along one axis (first on ties); the result has `shape` without the axis. */
  argReduce(op: 'argmax' | 'argmin', x: S, shape: Shape, axis: number): S;
  /** Batched matmul; batch dims broadcast; `outShape` is computed by the caller. */
  matmul(a: S, aShape: Shape, b: S, bShape: Shape, transposeA: boolean, transposeB: boolean, outShape: Shape): S;
  transpose(x: S, shape: Shape, perm: readonly number[]): S;
  slice(x: S, shape: Shape, begin: readonly number[], size: readonly number[]): S;
  pad(x: S, shape: Shape, paddings: readonly (readonly [number, number])[], value: number): S;
  concat(xs: readonly S[], shapes: readonly Shape[], axis: number, outShape: Shape): S;
  /** Takes `indices` (integer-valued, already validated) along `axis`. */
  gather(x: S, shape: Shape, indices: S, indexCount: number, axis: number): S;
  /** The adjoint of gather: adds each slice of `updates` into the zero tensor of `outShape` at its index. */
  scatterAdd(updates: S, indices: S, indexCount: number, axis: number, outShape: Shape): S;
  oneHot(indices: S, count: number, depth: number, on: number, off: number): S;
}

declare module '@nn/core' {
  interface RegistryKinds {
    backend: Backend;
  }
}

let current: Backend | null = null;

/** Switches the backend used by every op from now on. Tensors made before keep their own backend. */
export function setBackend(name: string): void {
  current = registry.get('backend', name);
}

/** The backend in use (the cpu backend unless `setBackend` chose another). */
export function getBackend(): Backend {
  if (!current) current = registry.get('backend', 'cpu');
  return current;
}

export function backendMismatch(op: string, a: string, b: string): NNError {
  return new NNError(ErrorCode.InvalidArgument, `${op}: tensors live on different backends (${a} and ${b}); move one with toBackend()`, { op });
}
