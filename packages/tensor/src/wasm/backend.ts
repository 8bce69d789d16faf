import { ErrorCode, NNError } from '@nn/core';
import type { Backend, BinaryOp, FusedActivation, FusedUpdateRule, FusedUpdateScalars, PatchGeometry, ReduceOp, UnaryOp } from '../backend.js';
import { forEachGemm } from '../gemm-batches.js';
import { broadcastStrides, sameShape, sizeOf, stridesOf, type Shape } from '../shape.js';
import { ACTIVATION_CODE, BINARY_CODE, REDUCE_CODE, UNARY_CODE } from './codes.js';
import { col2im, im2col } from './conv.js';
import { wasmFusedUpdate } from './fused-update.js';
import { Heap } from './heap.js';
import { compileSync, instantiateSync, newMemory, simdSupported, type Kernels, type WasmMemory, type WasmModule } from './instance.js';
import { GemmPool, threadsAvailable } from './threads.js';

/** Most axes a strided kernel takes after collapsing (the scratch area holds five arrays of this many). */
const MAX_RANK = 64;

/** The address of the `i`-th array of MAX_RANK int32s in the scratch area (shapes and strides for kernels). */
const slot = (scratch: number, i: number): number => scratch + i * MAX_RANK * 4;

/** What the backend runs on: the module and its memory (shared where worker threads could join it). */
export interface WasmSetup {
  module: WasmModule;
  memory: WasmMemory;
  shared: boolean;
}

export interface WasmMemoryInfo {
  /** Bytes in blocks held by live tensors (size classes rounded up). */
  liveBytes: number;
  /** Bytes taken from the linear memory so far, free-listed blocks included. */
  reservedBytes: number;
  /** The linear memory's size. */
  memoryBytes: number;
}

interface State extends WasmSetup {
  k: Kernels;
  heap: Heap;
  scratch: number;
  pack: number;
  /** The backend's own bytes (scratch, packing buffers, the pool's control block): not tensors. */
  own: number;
  pool?: GemmPool;
}

/**
 * The WebAssembly SIMD backend: float32 storage in the module's linear memory (a storage handle is a byte
 * address), kernels from assembly/. Set up on first use (synchronously) or by `initWasmBackend`.
 */
export class WasmBackend implements Backend<number> {
  readonly name = 'wasm';
  readonly readOwned = true;
  private state: State | null = null;

  /** Whether the backend has been set up (its module instantiated). */
  get ready(): boolean {
    return this.state !== null;
  }

  /** Whether its memory is shared, so worker threads can join without setting it up again. */
  get shared(): boolean {
    return this.state?.shared ?? false;
  }

  /** Installs a module and memory; refused once tensors live on the backend (their storage would be lost). */
  setup(setup: WasmSetup): void {
    if (this.state && this.state.heap.liveBytes > this.state.own) {
      throw new NNError(ErrorCode.InvalidArgument, 'wasm: cannot set the backend up again while tensors live on it; call initWasmBackend before making wasm tensors');
    }
    void this.state?.pool?.terminate();
    const k = instantiateSync(setup.module, setup.memory);
    const heap = new Heap(setup.memory, k.heapBase());
    const scratch = heap.alloc(5 * MAX_RANK * 4);
    const pack = heap.alloc(k.packBytes());
    this.state = { ...setup, k, heap, scratch, pack, own: heap.liveBytes };
  }

  /**
   * Drops the module instance and its linear memory so the garbage collector can reclaim them: a WebAssembly
   * memory never shrinks, so this is the one way to give a peak back. Refused while tensors hold storage here
   * (tensors not yet collected count: dispose them). The next use sets the backend up again on a fresh memory.
   */
  dispose(): void {
    const s = this.state;
    if (!s) return;
    const tensors = this.tensorBytes;
    if (tensors > 0) {
      throw new NNError(ErrorCode.InvalidArgument, `disposeWasmBackend: tensors still hold ${tensors} bytes of the wasm backend's memory; dispose them (or make them inside tidy()) first — a tensor not yet garbage collected still counts`);
    }
    this.state = null;
    void s.pool?.terminate();
  }

  /** GEMM splits across `threads` threads from now on (workers join the shared memory; 1 stops them). */
  async setThreads(threads: number): Promise<void> {
    const s = this.s;
    const tensors = this.tensorBytes;
    if (s.pool) {
      const old = s.pool;
      s.pool = undefined;
      await old.terminate();
      old.free(s.heap);
    }
    if (threads > 1) {
      const pool = await GemmPool.create(threads, s.module, s.memory);
      await pool.attach(s.k, s.heap);
      s.pool = pool;
    }
    s.own = s.heap.liveBytes - tensors;
  }

  /** Threads GEMM splits over (1 without a pool). */
  get threads(): number {
    return this.state?.pool ? this.state.pool.size + 1 : 1;
  }

  private get tensorBytes(): number {
    return this.state ? this.state.heap.liveBytes - this.state.own : 0;
  }

  memory(): WasmMemoryInfo {
    const s = this.s;
    return { liveBytes: this.tensorBytes, reservedBytes: s.heap.reservedBytes, memoryBytes: s.heap.memory.buffer.byteLength };
  }

  /** Whether WebAssembly SIMD is there and the module is (or can now be) set up synchronously. */
  available(): boolean {
    if (this.state) return true;
    if (!simdSupported()) return false;
    try {
      return this.s !== null;
    } catch {
      return false;
    }
  }

  private get s() {
    if (!this.state) {
      // A shared memory where the platform has one (Node; isolated pages), so threads can join it later.
      const shared = threadsAvailable().ok;
      let module: WasmModule;
      try {
        module = compileSync(shared);
      } catch (e) {
        // Browsers refuse to compile a module this size synchronously on the main thread.
        throw new NNError(ErrorCode.InvalidArgument, `wasm: the module cannot be compiled synchronously here (${(e as Error).message}); call \`await initWasmBackend()\` first`);
      }
      this.setup({ module, memory: newMemory(shared), shared });
    }
    return this.state!;
  }

  // ---- storage -------------------------------------------------------------------------------------------

  private alloc(size: number): number {
    return this.s.heap.alloc(size * 4);
  }

  upload(data: Float32Array): number {
    const p = this.alloc(data.length);
    this.s.heap.f32.set(data, p >>> 2);
    return p;
  }

  fill(size: number, value: number): number {
    const p = this.alloc(size);
    this.s.k.fill(p, size, value);
    return p;
  }

  /**
   * A copy of the values. Not a view of the linear memory: where the memory is not shared (browsers outside
   * crossOriginIsolated pages) a growth detaches its buffer, and a view a caller kept across the next
   * allocation would silently read as empty.
   */
  read(s: number, size: number): Float32Array {
    return this.view(s, size).slice();
  }

  async readAsync(s: number, size: number): Promise<Float32Array> {
    return this.read(s, size);
  }

  /**
   * A view of the linear memory, no copy, for code that writes storage in place from the host (reference
   * kernels in benches and tests). Valid only until the next allocation on this backend: use it and drop it.
   */
  view(s: number, size: number): Float32Array {
    return this.s.heap.f32.subarray(s >>> 2, (s >>> 2) + size);
  }

  release(s: number): void {
    this.s.heap.free(s);
  }

  writeInPlace(s: number, data: Float32Array): boolean {
    this.s.heap.f32.set(data, s >>> 2);
    return true;
  }

  assign(dst: number, src: number, size: number): boolean {
    this.s.heap.f32.copyWithin(dst >>> 2, src >>> 2, (src >>> 2) + size);
    return true;
  }

  /** The binary kernel's multiply writing over `dst` (elementwise, so `dst` may be `src`), the factor broadcast. */
  assignScaled(dst: number, src: number, size: number, factor: number): boolean {
    if (size === 0) return true;
    const { k, scratch, heap } = this.s;
    const base = scratch >>> 2;
    heap.i32[base] = size;
    heap.i32[base + MAX_RANK] = 1;
    heap.i32[base + 2 * MAX_RANK] = 0;
    k.binary(BINARY_CODE.mul, src, factor, dst, 1, slot(scratch, 0), slot(scratch, 1), slot(scratch, 2), slot(scratch, 4));
    return true;
  }

  /**
   * The optimizer updates: f32x4 kernels (assembly/optim.ts) in place in the linear memory. They compute in
   * float32 where the cpu reference loops compute in float64, so results agree to a few ulp, not bit for bit.
   */
  fusedUpdate(rule: FusedUpdateRule, param: number, grad: number, state: Readonly<Record<string, number>>, size: number, scalars: FusedUpdateScalars): boolean {
    return wasmFusedUpdate(this.s.k, rule, param, grad, state, size, scalars);
  }

  // ---- elementwise -----------------------------------------------------------------------------------------

  unary(op: UnaryOp, x: number, size: number, param: number): number {
    const out = this.alloc(size);
    this.s.k.unary(UNARY_CODE[op], x, out, size, param);
    return out;
  }

  binary(op: BinaryOp, a: number, aShape: Shape, b: number, bShape: Shape, outShape: Shape): number {
    const size = sizeOf(outShape);
    const out = this.alloc(size);
    if (size === 0) return out;
    const { k, scratch } = this.s;
    // Same-shape operands (most of a training step's) are one contiguous run: nothing to collapse.
    const rank = sameShape(aShape, outShape) && sameShape(bShape, outShape) ? this.run(size, 2) : this.collapse(outShape, [broadcastStrides(aShape, outShape), broadcastStrides(bShape, outShape)]);
    k.binary(BINARY_CODE[op], a, b, out, rank, slot(scratch, 0), slot(scratch, 1), slot(scratch, 2), slot(scratch, 4));
    return out;
  }

  where(cond: number, cShape: Shape, a: number, aShape: Shape, b: number, bShape: Shape, outShape: Shape): number {
    const size = sizeOf(outShape);
    const out = this.alloc(size);
    if (size === 0) return out;
    const { k, scratch } = this.s;
    const rank = this.collapse(outShape, [broadcastStrides(cShape, outShape), broadcastStrides(aShape, outShape), broadcastStrides(bShape, outShape)]);
    k.where(cond, a, b, out, rank, slot(scratch, 0), slot(scratch, 1), slot(scratch, 2), slot(scratch, 3), slot(scratch, 4));
    return out;
  }

  /**
   * Writes `shape` and each input's strides into the scratch area with size-1 axes dropped and axes merged
   * where every input steps through them contiguously (same-shape operands become one run); returns the rank.
   */
  private collapse(shape: Shape, strides: number[][]): number {
    const { i32 } = this.s.heap;
    const base = this.s.scratch >>> 2;
    const inputs = strides.length;
    const groups: number[] = [];
    const groupStrides: number[][] = [];
    for (let j = 0; j < inputs; j++) groupStrides.push([]);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (shape[d] === 1) continue;
      const g = groups.length - 1;
      let merge = g >= 0;
      for (let j = 0; merge && j < inputs; j++) merge = strides[j][d] === groupStrides[j][g] * groups[g];
      if (merge) {
        groups[g] *= shape[d];
        continue;
      }
      groups.push(shape[d]);
      for (let j = 0; j < inputs; j++) groupStrides[j].push(strides[j][d]);
    }
    if (groups.length === 0) return this.run(1, inputs, 0);
    const rank = groups.length;
    if (rank > MAX_RANK) throw new NNError(ErrorCode.InvalidArgument, `wasm: more than ${MAX_RANK} axes after collapsing`);
    for (let i = 0; i < rank; i++) {
      i32[base + i] = groups[rank - 1 - i];
      for (let j = 0; j < inputs; j++) i32[base + (j + 1) * MAX_RANK + i] = groupStrides[j][rank - 1 - i];
    }
    return rank;
  }

  /** Writes a rank-1 index space of `size` elements, each of `inputs` inputs stepping by `stride`, as collapse does; returns 1. */
  private run(size: number, inputs: number, stride = 1): number {
    const { i32 } = this.s.heap;
    const base = this.s.scratch >>> 2;
    i32[base] = size;
    for (let j = 0; j < inputs; j++) i32[base + (j + 1) * MAX_RANK] = stride;
    return 1;
  }

  // ---- reductions ----------------------------------------------------------------------------------------

  reduce(op: ReduceOp, x: number, shape: Shape, axes: readonly number[]): number {
    let outSize = 1;
    for (let i = 0; i < shape.length; i++) if (!axes.includes(i)) outSize *= shape[i];
    const out = this.alloc(outSize);
    if (outSize === 0) return out;
    const first = axes.length ? axes[0] : shape.length;
    const last = axes.length ? axes[axes.length - 1] : shape.length - 1;
    if (last - first === axes.length - 1) {
      // Contiguous axes (sorted and unique, so the span tells): outer × n × inner, reducing n.
      let outer = 1;
      let n = 1;
      let inner = 1;
      for (let i = 0; i < shape.length; i++) {
        if (i < first) outer *= shape[i];
        else if (i <= last) n *= shape[i];
        else inner *= shape[i];
      }
      this.s.k.reduce(REDUCE_CODE[op], x, out, outer, n, inner);
      return out;
    }
    // Scattered axes: move them to the end, then reduce the trailing block.
    const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
    const perm = [...kept, ...axes];
    const moved = this.transpose(x, shape, perm);
    this.s.k.reduce(REDUCE_CODE[op], moved, out, outSize, sizeOf(axes.map((a) => shape[a])), 1);
    this.release(moved);
    return out;
  }

  /** Row-wise softmax/logSoftmax in one kernel (assembly/softmax.ts): three passes per row while it is in cache. */
  softmax(x: number, rows: number, n: number, log: boolean): number {
    const out = this.alloc(rows * n);
    this.s.k.softmaxRows(x, out, rows, n, log ? 1 : 0);
    return out;
  }

  argReduce(op: 'argmax' | 'argmin', x: number, shape: Shape, axis: number): number {
    const outer = sizeOf(shape.slice(0, axis));
    const inner = sizeOf(shape.slice(axis + 1));
    const out = this.alloc(outer * inner);
    this.s.k.argReduce(op === 'argmax' ? 1 : 0, x, out, outer, shape[axis], inner);
    return out;
  }

  // ---- matmul ----------------------------------------------------------------------------------------------

  matmul(a: number, aShape: Shape, b: number, bShape: Shape, transposeA: boolean, transposeB: boolean, outShape: Shape): number {
    return this.fusedMatmul(a, aShape, b, bShape, transposeA, transposeB, outShape, null, 'linear');
  }

  /** act(A·B + bias) in one pass: the bias (over the last axis) and activation run in the GEMM epilogue. */
  fusedMatmul(
    a: number, aShape: Shape, b: number, bShape: Shape, transposeA: boolean, transposeB: boolean, outShape: Shape,
    bias: number | null, activation: FusedActivation,
  ): number {
    const out = this.alloc(sizeOf(outShape));
    const act = ACTIVATION_CODE[activation];
    // Offsets are in elements; the module addresses bytes.
    forEachGemm(aShape, bShape, outShape, transposeA, transposeB, (g, aStart, bStart, outStart) =>
      this.gemm(g.m, g.n, g.k, a + aStart * 4, g.aRow, g.aCol, b + bStart * 4, g.bRow, g.bCol, out + outStart * 4, bias ?? 0, act));
    return out;
  }

  private gemm(m: number, n: number, k: number, a: number, aRow: number, aCol: number, b: number, bRow: number, bCol: number, c: number, bias: number, act: number): void {
    const s = this.s;
    if (s.pool && s.pool.worthSplitting(m, n, k)) s.pool.gemm(m, n, k, a, aRow, aCol, b, bRow, bCol, c, bias, act);
    else s.k.gemm(m, n, k, a, aRow, aCol, b, bRow, bCol, c, n, bias, act, s.pack);
  }

  // ---- layout ----------------------------------------------------------------------------------------------

  /** Copies an index space of `shape` from x (strides, base) to out (strides, base) through the scratch area. */
  private copy(x: number, xBase: number, xStrides: readonly number[], out: number, outBase: number, outStrides: readonly number[], shape: Shape): void {
    if (sizeOf(shape) === 0) return;
    const { k, scratch, heap } = this.s;
    const rank = shape.length;
    if (rank === 0) {
      heap.f32[(out >>> 2) + outBase] = heap.f32[(x >>> 2) + xBase];
      return;
    }
    if (rank > MAX_RANK) throw new NNError(ErrorCode.InvalidArgument, `wasm: more than ${MAX_RANK} axes`);
    const base = scratch >>> 2;
    for (let i = 0; i < rank; i++) {
      heap.i32[base + i] = shape[i];
      heap.i32[base + MAX_RANK + i] = xStrides[i];
      heap.i32[base + 2 * MAX_RANK + i] = outStrides[i];
    }
    k.copyStrided(x, xBase, slot(scratch, 1), out, outBase, slot(scratch, 2), rank, slot(scratch, 0), slot(scratch, 4));
  }

  transpose(x: number, shape: Shape, perm: readonly number[]): number {
    const inStrides = stridesOf(shape);
    const outShape = perm.map((p) => shape[p]);
    const out = this.alloc(sizeOf(shape));
    this.copy(x, 0, perm.map((p) => inStrides[p]), out, 0, stridesOf(outShape), outShape);
    return out;
  }

  slice(x: number, shape: Shape, begin: readonly number[], size: readonly number[]): number {
    const inStrides = stridesOf(shape);
    const out = this.alloc(sizeOf(size));
    this.copy(x, begin.reduce((acc, b, i) => acc + b * inStrides[i], 0), inStrides, out, 0, stridesOf(size), size);
    return out;
  }

  pad(x: number, shape: Shape, paddings: readonly (readonly [number, number])[], value: number): number {
    const outShape = shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
    const out = this.fill(sizeOf(outShape), value);
    const outStrides = stridesOf(outShape);
    this.copy(x, 0, stridesOf(shape), out, paddings.reduce((acc, p, i) => acc + p[0] * outStrides[i], 0), outStrides, shape);
    return out;
  }

  concat(xs: readonly number[], shapes: readonly Shape[], axis: number, outShape: Shape): number {
    const out = this.alloc(sizeOf(outShape));
    const outStrides = stridesOf(outShape);
    let at = 0;
    xs.forEach((x, i) => {
      this.copy(x, 0, stridesOf(shapes[i]), out, at * outStrides[axis], outStrides, shapes[i]);
      at += shapes[i][axis];
    });
    return out;
  }

  gather(x: number, shape: Shape, indices: number, indexCount: number, axis: number): number {
    const inner = sizeOf(shape.slice(axis + 1));
    const outer = sizeOf(shape.slice(0, axis));
    const out = this.alloc(outer * indexCount * inner);
    this.s.k.gather(x, indices, out, outer, shape[axis], inner, indexCount);
    return out;
  }

  scatterAdd(updates: number, indices: number, indexCount: number, axis: number, outShape: Shape): number {
    const out = this.alloc(sizeOf(outShape));
    this.s.k.scatterAdd(updates, indices, out, sizeOf(outShape.slice(0, axis)), outShape[axis], sizeOf(outShape.slice(axis + 1)), indexCount);
    return out;
  }

  oneHot(indices: number, count: number, depth: number, on: number, off: number): number {
    const out = this.alloc(count * depth);
    this.s.k.oneHot(indices, out, count, depth, on, off);
    return out;
  }

  // ---- convolution (src/wasm/conv.ts) --------------------------------------------------------------------

  im2col(x: number, shape: Shape, g: PatchGeometry, padValue: number): number {
    return im2col(this.s.k, (size) => this.alloc(size), x, shape, g, padValue);
  }

  col2im(cols: number, shape: Shape, g: PatchGeometry): number {
    return col2im(this.s.k, (size) => this.alloc(size), cols, shape, g);
  }
}
