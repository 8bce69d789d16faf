import { ErrorCode, NNError, registry } from '@nn/core';
import type { Backend, BinaryOp, ReduceOp, UnaryOp } from '../backend.js';
import { sizeOf, stridesOf, type Shape } from '../shape.js';
import {
  HELPERS, IDENTITY_SOURCE, argReduceSource, binarySource, concatSource, gatherSource, matmulSource, oneHotSource,
  padSource, reduceSource, scatterAddSource, stridedCopySource, unarySource, whereSource, type KernelInput,
} from './codegen.js';
import { createGpu, type GpuBackendOptions, type GpuDeviceInfo, type GpuInstance, type GpuKernel } from './device.js';

/** What gpu.js hands back from a pipeline kernel: a texture (GL), a buffer handle (WebGPU) or an array (webasm, cpu). */
interface DeviceTexture {
  toArray(): ArrayLike<number> | Promise<ArrayLike<number>>;
  delete?(): void;
}
type DeviceValue = DeviceTexture | Float32Array;

/**
 * A tensor's storage on this backend. Exactly one of `value` (device memory), `constant` (a fill: no memory,
 * passed to kernels as a uniform) holds the data; `shadow` is the host copy kept for uploaded data, which is
 * immutable, so reading an uploaded tensor (gather's indices, an optimizer reading a parameter) costs no
 * readback.
 */
export interface GpuStorage {
  readonly size: number;
  value: DeviceValue | Promise<DeviceValue> | null;
  readonly constant: number | null;
  readonly shadow: Float32Array | null;
  released: boolean;
  /** WebGPU mode: settles once every kernel reading this storage has been submitted (release waits for it). */
  busy?: Promise<unknown>;
}

export interface GpuMemoryInfo {
  /** Storages holding device memory (textures/buffers) not yet released: what a leak test watches. */
  liveTextures: number;
  /** Their size in bytes (4 per element; GL textures may be padded beyond this). */
  liveBytes: number;
  /** Distinct kernels compiled so far (one per op and shape). */
  kernels: number;
  /** Kernel calls that went through the cpu kernel instead (see `CPU_FALLBACKS`), with the transfer that cost. */
  cpuFallbacks: number;
}

/**
 * Host-device transfers since the backend was made: what a test of "a training step reads back only the
 * loss" counts. Counted alike in every mode (in the host modes, webasm and cpu, they are the copies a GPU
 * mode would make), so the plain-Node run checks the same property as the GL and browser runs.
 */
export interface GpuTransferInfo {
  /** Host arrays sent to the device: `upload` (tensor creation) and cpu-fallback results. */
  uploads: number;
  /** Device values read to the host: `dataSync`/`data` of a computed tensor, cpu-fallback inputs. Reading an uploaded tensor's host copy or a fill is free and not counted. */
  readbacks: number;
}

// The cpu backend through the registry, not by import: the subpath's bundle must not carry (and register) a
// second copy of it.
const cpu = (): Backend<Float32Array> => registry.get('backend', 'cpu') as Backend<Float32Array>;

/** Above this many elements, float32 index arithmetic in a shader is no longer exact. */
const MAX_GPU_ELEMENTS = 2 ** 24;
/** Inputs per concat kernel (GL has at least 8 texture units per shader; WebGPU at least 8 storage buffers, one the output). */
const CONCAT_GROUP = 6;

export class GpuJsBackend implements Backend<GpuStorage> {
  readonly name: string;
  private gpu: GpuInstance | null = null;
  private device: GpuDeviceInfo | null = null;
  private readonly kernels = new Map<string, GpuKernel>();
  private readonly stats = { liveTextures: 0, liveBytes: 0, cpuFallbacks: 0 };
  private readonly moved: GpuTransferInfo = { uploads: 0, readbacks: 0 };
  private asyncMode = false;

  constructor(name = 'gpujs', private options: GpuBackendOptions = {}) {
    this.name = name;
  }

  /** Chooses the mode now (otherwise on the first kernel). `webgpuAvailable`: the adapter probe's answer. */
  init(options: GpuBackendOptions = this.options, webgpuAvailable?: boolean): GpuDeviceInfo {
    if (this.gpu) {
      if (this.stats.liveTextures > 0) throw new NNError(ErrorCode.InvalidArgument, `gpujs: cannot change mode with ${this.stats.liveTextures} live tensors on the backend; configure it before making tensors`);
      this.destroy();
    }
    this.options = options;
    const { gpu, info } = createGpu(options, webgpuAvailable);
    for (const source of HELPERS) {
      const params = /\(([^)]*)\)/.exec(source)![1].split(',').map((p) => p.trim());
      gpu.addFunction(source, { argumentTypes: Object.fromEntries(params.map((p) => [p, 'Float'])), returnType: 'Float' });
    }
    this.gpu = gpu;
    this.device = info;
    this.asyncMode = info.mode === 'webgpu';
    return info;
  }

  /** The mode in use (choosing it if no kernel ran yet). */
  info(): GpuDeviceInfo {
    if (!this.device) this.init();
    return { ...this.device! };
  }

  memory(): GpuMemoryInfo {
    return { liveTextures: this.stats.liveTextures, liveBytes: this.stats.liveBytes, kernels: this.kernels.size, cpuFallbacks: this.stats.cpuFallbacks };
  }

  /** Uploads and readbacks so far (a test takes the difference around a step). */
  transfers(): GpuTransferInfo {
    return { ...this.moved };
  }

  /** Frees the compiled kernels and the gpu.js instance (tensors on it become unusable). */
  destroy(): void {
    for (const k of this.kernels.values()) k.destroy?.();
    this.kernels.clear();
    this.gpu?.destroy();
    this.gpu = null;
    this.device = null;
  }

  // ---- storage -------------------------------------------------------------------------------------------

  upload(data: Float32Array): GpuStorage {
    const shadow = data.slice();
    if (shadow.length === 0) return this.storage(0, null, null, shadow);
    this.moved.uploads++;
    if (this.tooBig(shadow.length)) return this.storage(shadow.length, shadow, null, shadow);
    if (this.isHostMode()) return this.storage(shadow.length, shadow, null, shadow);
    return this.storage(shadow.length, this.launch(IDENTITY_SOURCE, shadow.length, [shadow]), null, shadow);
  }

  fill(size: number, value: number): GpuStorage {
    return this.storage(size, null, value, null);
  }

  read(s: GpuStorage, size: number): Float32Array {
    this.check(s, 'read');
    if (s.shadow) return s.shadow;
    if (s.constant !== null) return new Float32Array(size).fill(s.constant);
    this.moved.readbacks++;
    const v = s.value;
    if (v instanceof Float32Array) return v;
    if (v instanceof Promise) throw new NNError(ErrorCode.InvalidArgument, 'dataSync: the gpujs backend in webgpu mode reads back asynchronously; use `await tensor.data()`');
    const out = v!.toArray();
    if (out instanceof Promise) throw new NNError(ErrorCode.InvalidArgument, 'dataSync: this gpu.js mode reads back asynchronously; use `await tensor.data()`');
    return out instanceof Float32Array ? out : Float32Array.from(out);
  }

  async readAsync(s: GpuStorage, size: number): Promise<Float32Array> {
    this.check(s, 'readAsync');
    if (s.shadow) return s.shadow;
    if (s.constant !== null) return new Float32Array(size).fill(s.constant);
    this.moved.readbacks++;
    const v = await s.value!;
    if (v instanceof Float32Array) return v;
    const out = await v.toArray();
    return out instanceof Float32Array ? out : Float32Array.from(out);
  }

  release(s: GpuStorage): void {
    if (s.released) return;
    s.released = true;
    const v = s.value;
    s.value = null;
    if (v === null) return;
    this.stats.liveTextures--;
    this.stats.liveBytes -= s.size * 4;
    if (v instanceof Promise || s.busy) Promise.all([v, s.busy]).then(([t]) => deleteValue(t), () => {});
    else deleteValue(v);
  }

  // ---- kernels ---------------------------------------------------------------------------------------------

  unary(op: UnaryOp, x: GpuStorage, size: number, param: number): GpuStorage {
    if (size === 0) return this.empty();
    if (this.tooBig(size)) return this.viaCpu(() => cpu().unary(op, this.host(x, size), size, param));
    return this.run(unarySource(op, input('x', x)), size, [x], [param]);
  }

  binary(op: BinaryOp, a: GpuStorage, aShape: Shape, b: GpuStorage, bShape: Shape, outShape: Shape): GpuStorage {
    const size = sizeOf(outShape);
    if (size === 0) return this.empty();
    if (this.tooBig(size, a.size, b.size)) return this.viaCpu(() => cpu().binary(op, this.host(a), aShape, this.host(b), bShape, outShape));
    return this.run(binarySource(op, input('a', a), aShape, input('b', b), bShape, outShape), size, [a, b]);
  }

  where(c: GpuStorage, cShape: Shape, a: GpuStorage, aShape: Shape, b: GpuStorage, bShape: Shape, outShape: Shape): GpuStorage {
    const size = sizeOf(outShape);
    if (size === 0) return this.empty();
    if (this.tooBig(size, c.size, a.size, b.size)) return this.viaCpu(() => cpu().where(this.host(c), cShape, this.host(a), aShape, this.host(b), bShape, outShape));
    return this.run(whereSource(input('c', c), cShape, input('a', a), aShape, input('b', b), bShape, outShape), size, [c, a, b]);
  }

  reduce(op: ReduceOp, x: GpuStorage, shape: Shape, axes: readonly number[]): GpuStorage {
    const size = sizeOf(shape.filter((_, i) => !axes.includes(i)));
    if (size === 0) return this.empty();
    if (sizeOf(shape) === 0) return this.fill(size, op === 'sum' ? 0 : NaN);
    if (this.tooBig(x.size)) return this.viaCpu(() => cpu().reduce(op, this.host(x), shape, axes));
    return this.run(reduceSource(op, input('x', x), shape, axes), size, [x]);
  }

  argReduce(op: 'argmax' | 'argmin', x: GpuStorage, shape: Shape, axis: number): GpuStorage {
    const size = sizeOf(shape) / shape[axis];
    if (!(size > 0)) return this.empty();
    if (this.tooBig(x.size)) return this.viaCpu(() => cpu().argReduce(op, this.host(x), shape, axis));
    return this.run(argReduceSource(op, input('x', x), shape, axis), size, [x]);
  }

  matmul(a: GpuStorage, aShape: Shape, b: GpuStorage, bShape: Shape, transposeA: boolean, transposeB: boolean, outShape: Shape): GpuStorage {
    const size = sizeOf(outShape);
    if (size === 0) return this.empty();
    const k = transposeA ? aShape[aShape.length - 2] : aShape[aShape.length - 1];
    if (k === 0) return this.fill(size, 0);
    if (this.tooBig(size, a.size, b.size)) return this.viaCpu(() => cpu().matmul(this.host(a), aShape, this.host(b), bShape, transposeA, transposeB, outShape));
    return this.run(matmulSource(input('a', a), aShape, input('b', b), bShape, transposeA, transposeB, outShape), size, [a, b]);
  }

  transpose(x: GpuStorage, shape: Shape, perm: readonly number[]): GpuStorage {
    if (x.size === 0) return this.empty();
    if (this.tooBig(x.size)) return this.viaCpu(() => cpu().transpose(this.host(x), shape, perm));
    const strides = stridesOf(shape);
    return this.run(stridedCopySource(input('x', x), perm.map((p) => shape[p]), perm.map((p) => strides[p]), 0), x.size, [x]);
  }

  slice(x: GpuStorage, shape: Shape, begin: readonly number[], size: readonly number[]): GpuStorage {
    const n = sizeOf(size);
    if (n === 0) return this.empty();
    if (this.tooBig(x.size)) return this.viaCpu(() => cpu().slice(this.host(x), shape, begin, size));
    const strides = stridesOf(shape);
    const base = begin.reduce((acc, b, i) => acc + b * strides[i], 0);
    return this.run(stridedCopySource(input('x', x), size, strides, base), n, [x]);
  }

  pad(x: GpuStorage, shape: Shape, paddings: readonly (readonly [number, number])[], value: number): GpuStorage {
    const outShape = shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
    const size = sizeOf(outShape);
    if (size === 0) return this.empty();
    if (x.size === 0) return this.fill(size, value);
    if (this.tooBig(size)) return this.viaCpu(() => cpu().pad(this.host(x), shape, paddings, value));
    return this.run(padSource(input('x', x), shape, paddings), size, [x], [value]);
  }

  concat(xs: readonly GpuStorage[], shapes: readonly Shape[], axis: number, outShape: Shape): GpuStorage {
    const size = sizeOf(outShape);
    if (size === 0) return this.empty();
    if (this.tooBig(size)) return this.viaCpu(() => cpu().concat(xs.map((x) => this.host(x)), shapes, axis, outShape));
    const keep = xs.map((_, i) => i).filter((i) => shapes[i][axis] > 0);
    if (keep.length > CONCAT_GROUP) {
      // Concat is associative: join groups first, then the groups.
      const parts: GpuStorage[] = [];
      const partShapes: Shape[] = [];
      for (let g = 0; g < keep.length; g += CONCAT_GROUP) {
        const idx = keep.slice(g, g + CONCAT_GROUP);
        const shape = outShape.map((d, i) => (i === axis ? idx.reduce((n, j) => n + shapes[j][axis], 0) : d));
        parts.push(this.concat(idx.map((j) => xs[j]), idx.map((j) => shapes[j]), axis, shape));
        partShapes.push(shape);
      }
      const out = this.concat(parts, partShapes, axis, outShape);
      parts.forEach((p) => this.release(p));
      return out;
    }
    const names = keep.map((i, k) => input(`x${k}`, xs[i]));
    return this.run(concatSource(names, keep.map((i) => shapes[i]), axis, outShape), size, keep.map((i) => xs[i]));
  }

  gather(x: GpuStorage, shape: Shape, indices: GpuStorage, indexCount: number, axis: number): GpuStorage {
    const n = shape[axis];
    const inner = sizeOf(shape.slice(axis + 1));
    const size = sizeOf(shape.slice(0, axis)) * indexCount * inner;
    if (size === 0) return this.empty();
    if (this.tooBig(size, x.size)) return this.viaCpu(() => cpu().gather(this.host(x), shape, this.host(indices), indexCount, axis));
    const out = this.run(gatherSource(input('x', x), input('ind', indices), n, indexCount, inner), size, [x, indices]);
    // A gather of uploaded data (fit's batches of its training set) keeps a host copy too, made from the
    // inputs' copies: checks that read the batch (oneHot's and gather's index checks on sparse labels) then
    // cost no readback.
    return x.shadow && indices.shadow ? { ...out, shadow: cpu().gather(x.shadow, shape, indices.shadow, indexCount, axis) } : out;
  }

  scatterAdd(updates: GpuStorage, indices: GpuStorage, indexCount: number, axis: number, outShape: Shape): GpuStorage {
    const size = sizeOf(outShape);
    if (size === 0) return this.empty();
    if (indexCount === 0 || updates.size === 0) return this.fill(size, 0);
    if (this.tooBig(size, updates.size)) return this.viaCpu(() => cpu().scatterAdd(this.host(updates), this.host(indices), indexCount, axis, outShape));
    const inner = sizeOf(outShape.slice(axis + 1));
    return this.run(scatterAddSource(input('u', updates), input('ind', indices), outShape[axis], indexCount, inner), size, [updates, indices]);
  }

  oneHot(indices: GpuStorage, count: number, depth: number, on: number, off: number): GpuStorage {
    const size = count * depth;
    if (size === 0) return this.empty();
    if (this.tooBig(size)) return this.viaCpu(() => cpu().oneHot(this.host(indices), count, depth, on, off));
    return this.run(oneHotSource(input('ind', indices), depth), size, [indices], [on, off]);
  }

  // ---- machinery -----------------------------------------------------------------------------------------

  private ensure(): GpuInstance {
    if (!this.gpu) this.init();
    return this.gpu!;
  }

  /** webasm and cpu modes keep data in plain arrays: uploading through a kernel would only copy. */
  private isHostMode(): boolean {
    this.ensure();
    return this.device!.mode === 'webasm' || this.device!.mode === 'cpu';
  }

  private storage(size: number, value: GpuStorage['value'], constant: number | null, shadow: Float32Array | null): GpuStorage {
    if (value !== null) {
      this.stats.liveTextures++;
      this.stats.liveBytes += size * 4;
    }
    return { size, value, constant, shadow, released: false };
  }

  private empty(): GpuStorage {
    return this.storage(0, null, null, new Float32Array(0));
  }

  private check(s: GpuStorage, op: string): void {
    if (s.released) throw new NNError(ErrorCode.InvalidArgument, `${op}: gpujs storage was already released`);
  }

  /** GL modes index with float32 arithmetic, exact only below 2^24 elements. */
  private tooBig(...sizes: number[]): boolean {
    return !this.isHostMode() && sizes.some((n) => n > MAX_GPU_ELEMENTS);
  }

  /** The documented fallback: read inputs back, run the cpu kernel, upload the result. */
  private viaCpu(kernel: () => Float32Array): GpuStorage {
    this.stats.cpuFallbacks++;
    const out = kernel();
    this.moved.uploads++;
    return this.storage(out.length, out, null, out);
  }

  /** The storage's values on the host (a readback; only for the cpu fallback). */
  private host(s: GpuStorage, size = s.size): Float32Array {
    return this.read(s, size);
  }

  /** Runs a generated kernel over `inputs` (then the `uniforms`), keeping the result on the device. */
  private run(source: string, outSize: number, inputs: readonly GpuStorage[], uniforms: readonly number[] = []): GpuStorage {
    for (const s of inputs) this.check(s, 'gpujs kernel');
    const args = inputs.filter((s) => s.constant === null).map((s) => this.deviceValue(s));
    const consts = inputs.map((s) => s.constant);
    // Constant inputs are uniforms at their place in the argument list; the source names them so.
    const ordered: unknown[] = [];
    let k = 0;
    for (const c of consts) ordered.push(c === null ? args[k++] : c);
    const key = `${outSize}|${inputs.map((s) => (s.constant === null ? s.size : 'c')).join(',')}|${source}`;
    const value = this.launch(source, outSize, [...ordered, ...uniforms], key);
    if (value instanceof Promise) {
      // A consumer launches only after its inputs resolve: their release must wait for it, or the buffer
      // would be destroyed before the kernel that reads it is encoded.
      for (const s of inputs) if (s.value !== null) s.busy = Promise.all([s.busy, value]).catch(() => {});
    }
    return this.storage(outSize, value, null, null);
  }

  private deviceValue(s: GpuStorage): unknown {
    if (s.value !== null) return s.value;
    if (s.shadow) return s.shadow;
    throw new NNError('INTERNAL', 'gpujs: storage holds no data');
  }

  private launch(source: string, outSize: number, args: readonly unknown[], key = `${outSize}|${source}`): DeviceValue | Promise<DeviceValue> {
    const gpu = this.ensure();
    let kernel = this.kernels.get(key);
    if (!kernel) {
      kernel = gpu.createKernel(source, { output: [outSize], pipeline: true, immutable: true, precision: 'single', tactic: 'precision' });
      this.kernels.set(key, kernel);
    }
    const k = kernel;
    if (!this.asyncMode && !args.some((a) => a instanceof Promise)) return k(...args) as DeviceValue;
    const result = Promise.all(args).then((vals) => k(...vals) as DeviceValue | Promise<DeviceValue>);
    result.catch(() => {}); // surfaced by readAsync; never an unhandled rejection
    return result;
  }
}

function input(name: string, s: GpuStorage): KernelInput {
  return { name, constant: s.constant !== null };
}

function deleteValue(v: DeviceValue): void {
  if (!(v instanceof Float32Array)) v.delete?.();
}
