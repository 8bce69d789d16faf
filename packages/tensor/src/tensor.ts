import { ErrorCode, NNError } from '@nn/core';
import { backendMismatch, getBackend, type Backend } from './backend.js';
import { argError, fmt, sizeOf } from './shape.js';
import type { MatmulOptions } from './ops/matmul.js';
import type { Axis } from './ops/reduce.js';
import type { TensorLike } from './ops/util.js';

export type DType = 'float32' | 'int32' | 'bool';

/** A backend buffer shared by the tensors that view it (reshape shares; every other op copies). */
class DataRef {
  refs = 0;
  constructor(readonly backend: Backend, public storage: unknown, readonly size: number) {
    live.buffers++;
    live.bytes += size * 4;
  }
}

const live = { tensors: 0, buffers: 0, bytes: 0 };

function decRef(ref: DataRef): void {
  if (--ref.refs === 0) {
    ref.backend.release(ref.storage);
    live.buffers--;
    live.bytes -= ref.size * 4;
  }
}

// Tensors nobody references give their buffer back when collected: users need no tidy/dispose bookkeeping
// (device backends rely on this; on the cpu backend the GC reclaims the arrays anyway). A tensor made inside a
// tidy scope is registered only when it leaves the scope alive (see `track`): the scope holds it until then and
// disposes it otherwise, so the graph's intermediates and gradients of a training step, made and disposed
// by the thousand, never pay for a registration and its removal.
const finalizer = new FinalizationRegistry<DataRef>((ref) => {
  live.tensors--;
  decRef(ref);
});

/** The record autograd keeps of the op that made a tensor. */
export interface GradNode {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  /** Gradients for each input given the output's gradient; null where an input needs none. */
  readonly backward: (grad: Tensor) => readonly (Tensor | null)[];
  /** Set once backward() has consumed this node. */
  readonly freed?: boolean;
  /** Tensors the op made for itself (a number operand as a scalar), released with the node. */
  owned?: Tensor[];
}

/** Options of `backward()`. */
export interface BackwardOptions {
  /**
   * Keep the graph: its intermediate tensors stay alive and a second backward through it works (PyTorch's
   * `retain_graph`). By default backward releases them at once, so loops need no tidy.
   */
  retainGraph?: boolean;
}

// The op methods (`x.matmul(w).relu()`), implemented in methods.ts; declared here so the declaration files
// (bundled into one per entry by the build) keep them.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- implemented by methods.ts
export interface Tensor {
  /**
   * Fills `.grad` of every leaf that requires gradients (this tensor must be a scalar unless `gradient` is
   * given), then releases the graph: the intermediate tensors between the leaves and this one are disposed
   * (this one is kept) unless `retainGraph`.
   */
  backward(gradient?: Tensor, options?: BackwardOptions): void;
  add(b: TensorLike): Tensor;
  sub(b: TensorLike): Tensor;
  mul(b: TensorLike): Tensor;
  div(b: TensorLike): Tensor;
  pow(b: TensorLike): Tensor;
  neg(): Tensor;
  abs(): Tensor;
  exp(): Tensor;
  log(): Tensor;
  sqrt(): Tensor;
  square(): Tensor;
  sum(axis?: Axis, keepDims?: boolean): Tensor;
  mean(axis?: Axis, keepDims?: boolean): Tensor;
  max(axis?: Axis, keepDims?: boolean): Tensor;
  min(axis?: Axis, keepDims?: boolean): Tensor;
  argmax(axis?: number, keepDims?: boolean): Tensor;
  matmul(b: Tensor, options?: MatmulOptions): Tensor;
  transpose(perm?: readonly number[]): Tensor;
  reshape(shape: readonly number[]): Tensor;
  relu(): Tensor;
  sigmoid(): Tensor;
  tanh(): Tensor;
  softmax(axis?: number): Tensor;
  detach(): Tensor;
  clone(): Tensor;
}

/**
 * The tensors made in one tidy (or collectTensors) scope, in order. A tensor is in one scope at a time: its
 * `scope` names it, and is cleared or changed when the tensor is kept or moves out, which is cheaper than
 * deleting it from a set.
 */
type Scope = Tensor[];
const scopes: Scope[] = [];

/**
 * An n-dimensional array of float32 values (int32 and bool tensors hold integer/0-1 values in the same
 * float32 storage) on some backend, row-major. Tensors are immutable; ops return new tensors.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the op methods, declared above
export class Tensor {
  readonly shape: readonly number[];
  readonly size: number;
  readonly dtype: DType;
  private _grad: Tensor | null = null;
  /** Whether `_grad` was made by backward() (and so belongs to this tensor, released when replaced). */
  private gradOwned = false;
  /** How this tensor was made, while a graph is being recorded. */
  node: GradNode | null = null;
  private ref: DataRef | null;
  private _requiresGrad = false;
  /** Why the tensor is gone, when something other than dispose() released it (for the error). */
  private releasedBy?: string;
  /** Whether the finalizer watches this tensor (it does once the tensor is outside every tidy scope). */
  private tracked = false;
  /** @internal The tidy scope holding this tensor; null outside every scope (or once kept). */
  scope: Tensor[] | null = null;

  /** @internal Use the creation functions (`tensor`, `zeros`, …) instead. */
  constructor(backend: Backend, storage: unknown, shape: readonly number[], dtype: DType = 'float32', shareWith?: Tensor) {
    // Another tensor's shape is frozen already and can be shared; anything else is copied, so the caller's
    // array may change without changing the tensor.
    this.shape = Object.isFrozen(shape) ? shape : Object.freeze(shape.slice());
    this.size = sizeOf(shape);
    this.dtype = dtype;
    this.ref = shareWith ? shareWith.liveRef('reshape') : new DataRef(backend, storage, this.size);
    this.ref.refs++;
    live.tensors++;
    const scope = scopes[scopes.length - 1];
    if (scope) {
      scope.push(this);
      this.scope = scope;
    } else {
      this.track();
    }
  }

  /** @internal Hands the tensor to the finalizer: it has left every tidy scope alive. */
  track(): void {
    if (this.tracked || !this.ref) return;
    this.tracked = true;
    finalizer.register(this, this.ref, this);
  }

  /**
   * The gradient accumulated by `backward()`; settable (e.g. `t.grad = null` to clear it). A gradient made by
   * backward belongs to this tensor: replacing it (`zeroGrad()`, `grad = null`, the next accumulation)
   * releases its buffer at once, so a loop without tidy does not pile up gradients. Clone it to keep it.
   */
  get grad(): Tensor | null {
    return this._grad;
  }

  set grad(value: Tensor | null) {
    if (this._grad && this.gradOwned && this._grad !== value) this._grad.dispose();
    this._grad = value;
    this.gradOwned = false;
  }

  /** @internal backward() hands a gradient it made over to this tensor. */
  adoptGrad(value: Tensor): void {
    this.grad = value;
    this.gradOwned = true;
  }

  get rank(): number {
    return this.shape.length;
  }

  get backend(): Backend {
    return this.liveRef('backend').backend;
  }

  /** @internal The backend's storage handle, for kernels. */
  get storage(): unknown {
    return this.liveRef('storage').storage;
  }

  get isDisposed(): boolean {
    return this.ref === null;
  }

  /** Whether gradients flow to this tensor. Only float tensors can require gradients. */
  get requiresGrad(): boolean {
    return this._requiresGrad;
  }

  set requiresGrad(value: boolean) {
    if (value && this.dtype !== 'float32') throw argError('requiresGrad', `only float32 tensors can require gradients (this one is ${this.dtype})`);
    this._requiresGrad = value;
  }

  /** A copy of the values (synchronous; a device backend blocks until they are read back). */
  dataSync(): Float32Array {
    const ref = this.liveRef('dataSync');
    const values = ref.backend.read(ref.storage, this.size);
    return ref.backend.readOwned ? values : values.slice(0, this.size);
  }

  /** A copy of the values, read back without blocking. */
  async data(): Promise<Float32Array> {
    const ref = this.liveRef('data');
    const values = await ref.backend.readAsync(ref.storage, this.size);
    return ref.backend.readOwned ? values : values.slice(0, this.size);
  }

  /** The values as nested arrays (a number for a scalar). */
  toArray(): NestedArray {
    const flat = this.dataSync();
    const build = (axis: number, offset: number): NestedArray => {
      if (axis === this.shape.length) return flat[offset];
      const step = sizeOf(this.shape.slice(axis + 1));
      return Array.from({ length: this.shape[axis] }, (_, i) => build(axis + 1, offset + i * step));
    };
    return build(0, 0);
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw argError('item', `needs a tensor with one element, got shape ${fmt(this.shape)}`);
    return this.dataSync()[0];
  }

  /**
   * Replaces the values in place through a host callback, keeping this tensor's identity. On the cpu backend
   * `fn` receives the tensor's own buffer; other backends read back, apply `fn`, and upload, so this is for
   * tests and one-off edits: training code updates tensors with {@link assign}, which stays on the backend.
   * No gradient is recorded.
   */
  mutate(fn: (data: Float32Array) => void): this {
    const ref = this.liveRef('mutate');
    const values = ref.backend.read(ref.storage, this.size);
    if (ref.backend.writeInPlace && values === ref.storage) {
      fn(values);
      return this;
    }
    const copy = ref.backend.readOwned ? values : values.slice(0, this.size);
    fn(copy);
    if (!ref.backend.writeInPlace?.(ref.storage, copy)) {
      const old = ref.storage;
      ref.storage = ref.backend.upload(copy);
      ref.backend.release(old);
    }
    return this;
  }

  /**
   * Copies `value`'s values into this tensor in place (same size, same backend), keeping its identity and
   * views: the one in-place update of the toolkit (optimizers, batch norm's running statistics, constraints,
   * clipping). It never leaves the backend: an in-place copy where the backend has an `assign` kernel, else
   * new storage for this tensor. With `move`, `value` is handed over and disposed, and a backend without
   * the kernel takes its storage as it is (no copy). No gradient is recorded.
   */
  assign(value: Tensor, move = false): this {
    this.assignable(value);
    const ref = this.ref!;
    const src = value.ref!;
    if (src !== ref && !ref.backend.assign?.(ref.storage, src.storage, this.size)) {
      if (move && src.refs === 1) {
        [ref.storage, src.storage] = [src.storage, ref.storage];
      } else {
        const old = ref.storage;
        ref.storage = ref.backend.slice(src.storage, [this.size], [0], [this.size]);
        ref.backend.release(old);
      }
    }
    if (move && value !== this) value.dispose();
    return this;
  }

  /** @internal What {@link assign} (and `assign`'s scaled form) requires: `value` a live tensor of this size on this backend. */
  assignable(value: Tensor): void {
    const ref = this.liveRef('assign');
    if (!(value instanceof Tensor)) throw argError('assign', `expected a Tensor value, got ${value === null ? 'null' : typeof value}`);
    const src = value.liveRef('assign');
    if (value.size !== this.size) throw argError('assign', `shapes ${fmt(this.shape)} and ${fmt(value.shape)} differ`);
    if (src.backend !== ref.backend) throw backendMismatch('assign', ref.backend.name, src.backend.name);
  }

  /** Frees the buffer now rather than at garbage collection. Using the tensor afterwards throws. */
  dispose(): void {
    if (!this.ref) return;
    if (this.tracked) finalizer.unregister(this);
    live.tensors--;
    decRef(this.ref);
    this.ref = null;
    this.node = null;
    if (this.gradOwned) this.grad = null;
  }

  toString(): string {
    return `Tensor(${fmt(this.shape)}, ${this.dtype}${this.requiresGrad ? ', requiresGrad' : ''})`;
  }

  /** @internal Disposes the tensor, saying why in the error any later use gets. */
  release(reason: string): void {
    if (!this.ref) return;
    this.releasedBy = reason;
    this.dispose();
  }

  private liveRef(op: string): DataRef {
    if (!this.ref) throw new NNError(ErrorCode.InvalidArgument, `${op}: this tensor of shape ${fmt(this.shape)} has been ${this.releasedBy ?? 'disposed'}`, { op });
    return this.ref;
  }
}

export type NestedArray = number | NestedArray[];

/** Live tensors, buffers and bytes: what a leak test watches. Collected tensors leave these counts. */
export function memory(): { tensors: number; buffers: number; bytes: number } {
  return { ...live };
}

/**
 * Runs `fn` and disposes every tensor made inside it except those it returns (in an array or object too).
 * For users who want deterministic release (device memory) without waiting for the GC. `fn` must be sync.
 */
export function tidy<T>(fn: () => T): T {
  return runTidy('tidy', fn, false);
}

/**
 * @internal {@link tidy} for tensors whose caller disposes them itself, always (in a `finally`): what `fn`
 * returns is not handed to the finalizer when it leaves the outermost scope. A training step's gradients
 * and fit's batches, made and disposed every step, so skip a registration and its removal each.
 */
export function tidyOwned<T>(fn: () => T): T {
  return runTidy('tidyOwned', fn, true);
}

function runTidy<T>(op: string, fn: () => T, owned: boolean): T {
  const scope: Scope = [];
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    // Nothing is returned: everything made inside goes, as when fn returns (and as in tfjs).
    scopes.pop();
    for (const t of scope) if (t.scope === scope) t.dispose();
    throw e;
  }
  scopes.pop();
  if (result instanceof Promise) {
    // fn may still use what it made before its first await: leave those tensors to the collector.
    for (const t of scope) if (t.scope === scope) keep(t);
    throw argError(op, 'fn must be synchronous (it returned a Promise)');
  }
  const kept = new Set<Tensor>();
  const visit = (v: unknown): void => {
    if (v instanceof Tensor) kept.add(v);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(result);
  for (const t of scope) {
    if (t.scope !== scope) continue;
    if (kept.has(t)) leaveScope(t, owned);
    else t.dispose();
  }
  return result;
}

/** @internal Runs `fn` and lists the tensors made inside (they stay in the enclosing tidy scope too). */
export function collectTensors<T>(fn: () => T): { result: T; tensors: Tensor[] } {
  const scope: Scope = [];
  scopes.push(scope);
  let result: T;
  let made: Tensor[] = [];
  try {
    result = fn();
  } finally {
    scopes.pop();
    made = scope.filter((t) => t.scope === scope);
    for (const t of made) leaveScope(t, false);
  }
  return { result, tensors: made };
}

/**
 * A tensor leaving the scope that made it, alive: into the enclosing scope, or at the top out of every scope,
 * to the finalizer unless its caller `owned` it (and disposes it).
 */
function leaveScope(t: Tensor, owned: boolean): void {
  const outer = scopes[scopes.length - 1];
  if (outer) {
    outer.push(t);
    t.scope = outer;
    return;
  }
  t.scope = null;
  if (!owned) t.track();
}

/** Keeps a tensor made inside `tidy` alive past it. */
export function keep<T extends Tensor>(t: T): T {
  t.scope = null;
  t.track();
  return t;
}

/**
 * @internal {@link keep} for a tensor whose caller disposes it itself, always (in a `finally`), so it is not
 * handed to the finalizer: a training step's gradients, kept past the step's tidy for the update.
 */
export function keepOwned<T extends Tensor>(t: T): T {
  t.scope = null;
  return t;
}

/** @internal A tensor on the current backend holding `values`, a fresh array the caller hands over. */
export function fromValues(values: Float32Array, shape: readonly number[], dtype: DType = 'float32'): Tensor {
  const backend = getBackend();
  return new Tensor(backend, backend.adopt ? backend.adopt(values) : backend.upload(values), shape, dtype);
}
