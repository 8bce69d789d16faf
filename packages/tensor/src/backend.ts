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
  /**
   * The values, synchronously. The cpu backend may return its own array: callers must not mutate it. The
   * array must stay valid however the backend's memory changes later (wasm returns a copy, since a view of
   * a linear memory that grows is detached).
   */
  read(s: S, size: number): Float32Array;
  /** Whether `read` and `readAsync` return a fresh array of `size` values the caller owns (callers need no copy of their own). */
  readonly readOwned?: boolean;
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
  /**
   * Σx² over the first `size` values, as one-element storage: the squared 2-norm in one pass, with no
   * squared copy (gradient clipping's norm). Optional; `sum(square(x))` is used where it is missing.
   */
  sumSquares?(x: S, size: number): S;
  /**
   * softmax (`log` false) or logSoftmax (`log` true) of each of `rows` contiguous rows of `n` values (the
   * last axis), shifted by the row's max where it is finite, as ops/activations.ts' composite: within a
   * few float32 ulp of it. Optional; the op layer composes max, sub, exp, sum and log where it is missing.
   */
  softmax?(x: S, rows: number, n: number, log: boolean): S;
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

  // ---- In-place updates (issue 13). Both kernels are optional: the op layer falls back without them. ----

  /**
   * Copies the `size` values of `src` into `dst` in place (the one exception to "kernels never mutate"): what
   * `assign(target, value)` runs. Return false where the storage cannot be written in place (a GL texture);
   * `assign` then gives the target new storage instead: `value`'s own when the caller hands it over, else a
   * copy made with `slice`. Never reads back. A backend that writes in place (here or in `fusedUpdate`) must
   * give every `fill`, `upload` and kernel result storage of its own (no shared or cached constants).
   */
  assign?(dst: S, src: S, size: number): boolean;
  /**
   * Writes `src · factor[0]` (`factor` is one-element storage) into `dst` in place, `dst` may be `src`: the
   * scaling of gradient clipping, one pass and no new storage. Rounds as `binary('mul')`. Optional, under
   * the same rules as `assign`; `assign(target, value, { scale })` runs `mul` then `assign` without it.
   */
  assignScaled?(dst: S, src: S, size: number, factor: S): boolean;
  /**
   * One optimizer update in one pass over the parameter, its gradient and its state: updates `param` and
   * every buffer of `state` in place; `grad` is read only. Return false to decline (an unknown rule); the
   * optimizer then runs its rule as tensor ops and `assign`s the results, so a backend may implement any
   * subset. The formulas per rule, with the scalars the optimizer computes on the host, are
   * {@link FusedUpdateScalars}'; the cpu backend's kernels (src/cpu/optimizers.ts) are the reference.
   */
  fusedUpdate?(rule: FusedUpdateRule, param: S, grad: S, state: Readonly<Record<string, S>>, size: number, scalars: FusedUpdateScalars): boolean;

  // Convolution (optional: ops/conv.ts builds patches from pad + gather where these are missing).
  /**
   * The patches of an NHWC image `[N, H, W, C]` (im2col): `[N, oh, ow, kh·kw·C]`, entries ordered (ky, kx, c)
   * as Keras' kernel `[kh, kw, C, out]`; positions outside the image read `padValue`.
   */
  im2col?(x: S, shape: Shape, geometry: PatchGeometry, padValue: number): S;
  /** The adjoint of im2col (col2im): adds every patch entry back into a zero image of `shape`. Needed with im2col. */
  col2im?(cols: S, shape: Shape, geometry: PatchGeometry): S;

  // ---- Fused dense forward (issue 13, wasm). Optional: ops/fused.ts runs matmul, add and the activation. ----

  /** `activation(matmul + bias)` in one kernel; `bias` (shape `[n]`, the last axis) may be null. */
  fusedMatmul?(a: S, aShape: Shape, b: S, bShape: Shape, transposeA: boolean, transposeB: boolean, outShape: Shape, bias: S | null, activation: FusedActivation): S;
  /** Whether the backend can run here now, without async set-up; the default backend is the first that can. */
  available?(): boolean;
}

/** The activations a fused matmul kernel applies; their derivatives are functions of the output. */
export type FusedActivation = 'linear' | 'relu' | 'sigmoid' | 'tanh';

/** Where the patches of a convolution or pooling window lie in a `[N, H, W, C]` image. */
export interface PatchGeometry {
  /** Window size [kh, kw]. */
  readonly kernel: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly dilation: readonly [number, number];
  /** Padding [top, left] before the image (the padding after only shortens the output). */
  readonly padBefore: readonly [number, number];
  /** Output size [oh, ow]. */
  readonly out: readonly [number, number];
}

/** The update rules a backend may fuse; `adam` covers AdamW too (decoupled decay is its `shrink`). */
export type FusedUpdateRule = 'sgd' | 'adagrad' | 'rmsprop' | 'adadelta' | 'adam' | 'nadam' | 'adamax';

/**
 * The per-step scalars of a fused update, computed on the host by @nn/optim (flags are 0 or 1). Per element,
 * with `w` the parameter, `g` the gradient and `d = g + weightDecay·w` (`w` after `shrink` where a rule has it):
 * - `sgd` — state `momentumBuffer` only when `momentum > 0`. `first`: the buffer is fresh, so `b = d`;
 *   else `b = momentum·b + (1 − dampening)·d`. Then `w −= lr·(nesterov ? d + momentum·b : b)`; with
 *   momentum 0, `w −= lr·d`.
 * - `adagrad` — state `sum`: `sum += d²`; `w −= clr·d / (epsInsideSqrt ? √(sum + eps) : √sum + eps)`.
 * - `rmsprop` — state `squareAvg`, `gradAvg` (when `centered`), `momentumBuffer` (when `momentum > 0`):
 *   `v = alpha·v + (1 − alpha)·d²`; `c = centered ? v − a²` with `a = alpha·a + (1 − alpha)·d`, else v;
 *   `avg = epsInsideSqrt ? √(c + eps) : √c + eps`; with momentum `b = momentum·b + d/avg; w −= lr·b`,
 *   else `w −= lr·d/avg`.
 * - `adadelta` — state `squareAvg`, `accDelta`: `v = rho·v + (1 − rho)·d²`;
 *   `δ = √((u + eps)/(v + eps))·d` (rounded to float32); `u = rho·u + (1 − rho)·δ²`; `w −= lr·δ`.
 * - `adam` — state `expAvg`, `expAvgSq`, `maxExpAvgSq` (when `amsgrad`): `w ·= shrink` first;
 *   `m = beta1·m + (1 − beta1)·d`; `v = beta2·v + (1 − beta2)·d²`; `v̂ = amsgrad ? (vmax = max(vmax, v)) : v`;
 *   `w −= a·m / (epsInsideSqrt ? √(v̂ + e) : √v̂ + e)`.
 * - `nadam` — state `expAvg`, `expAvgSq`: `w ·= shrink`; m and v as Adam;
 *   `w += (sg·d + sm·m) / (epsInsideSqrt ? √(v + e) : √v + e)`.
 * - `adamax` — state `expAvg`, `expInf`: `m = beta1·m + (1 − beta1)·d`;
 *   `u = max(float32(beta2·u), float32(|d| + eps))`; `w −= clr·m/u`.
 */
export type FusedUpdateScalars = Readonly<Record<string, number>>;

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

/** Default candidates, best first: the first registered one that can run here without async set-up wins. */
const DEFAULT_ORDER = ['wasm', 'cpu'];

/**
 * The backend in use: the one `setBackend` chose, else the default — the backend named by the environment
 * variable `NN_BACKEND` where one is set (Node), else `wasm` where WebAssembly SIMD is available and the
 * module can be compiled synchronously (Node, workers), else `cpu`.
 */
export function getBackend(): Backend {
  if (!current) current = defaultBackend();
  return current;
}

function defaultBackend(): Backend {
  const pinned = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.NN_BACKEND;
  if (pinned) return registry.get('backend', pinned);
  for (const name of DEFAULT_ORDER) {
    if (!registry.has('backend', name)) continue;
    const backend = registry.get('backend', name);
    if (backend.available?.() ?? true) return backend;
  }
  return registry.get('backend', 'cpu');
}

export function backendMismatch(op: string, a: string, b: string): NNError {
  return new NNError(ErrorCode.InvalidArgument, `${op}: tensors live on different backends (${a} and ${b}); move one with toBackend()`, { op });
}
