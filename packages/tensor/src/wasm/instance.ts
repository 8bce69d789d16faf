import { KERNELS, KERNELS_SHARED } from './kernels.generated.js';

// The few WebAssembly JS API types used here, declared locally: the project's lib has none, and a global
// declaration in our .d.ts would clash with a user's DOM lib.
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}
export type WasmModule = object;
interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: object };
  compile(bytes: Uint8Array): Promise<WasmModule>;
  validate(bytes: Uint8Array): boolean;
}
const wasmApi = (): WasmApi | undefined => (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** The exports of the AssemblyScript module (assembly/index.ts); pointers are byte addresses. */
export interface Kernels {
  unary(op: number, x: number, out: number, n: number, param: number): void;
  binary(op: number, a: number, b: number, out: number, rank: number, shape: number, aStrides: number, bStrides: number, counter: number): void;
  where(c: number, a: number, b: number, out: number, rank: number, shape: number, cStrides: number, aStrides: number, bStrides: number, counter: number): void;
  fill(out: number, n: number, value: number): void;
  reduce(op: number, x: number, out: number, outer: number, n: number, inner: number): void;
  argReduce(isMax: number, x: number, out: number, outer: number, n: number, inner: number): void;
  softmaxRows(x: number, out: number, rows: number, n: number, log: number): void;
  copyStrided(x: number, xBase: number, xStrides: number, out: number, outBase: number, outStrides: number, rank: number, shape: number, counter: number): void;
  gather(x: number, indices: number, out: number, outer: number, n: number, inner: number, count: number): void;
  scatterAdd(updates: number, indices: number, out: number, outer: number, n: number, inner: number, count: number): void;
  oneHot(indices: number, out: number, count: number, depth: number, on: number, off: number): void;
  gemm(m: number, n: number, k: number, a: number, aRow: number, aCol: number, b: number, bRow: number, bCol: number, c: number, ldc: number, bias: number, act: number, pack: number): void;
  packBytes(): number;
  /** The GEMM's register tile: rows of A and columns of B per micro-kernel call. */
  MR: { value: number };
  NR: { value: number };
  heapBase(): number;
  sgdUpdate(w: number, g: number, buf: number, n: number, mode: number, lr: number, mu: number, keep: number, wd: number, nesterov: number): void;
  adagradUpdate(w: number, g: number, sum: number, n: number, clr: number, wd: number, e1: number, e2: number): void;
  rmspropUpdate(w: number, g: number, sq: number, ga: number, buf: number, n: number, centered: number, momentum: number, lr: number, alpha: number, keep: number, mu: number, wd: number, e1: number, e2: number): void;
  adadeltaUpdate(w: number, g: number, sq: number, acc: number, n: number, lr: number, rho: number, keep: number, eps: number, wd: number): void;
  adamUpdate(w: number, g: number, m: number, v: number, vmax: number, n: number, amsgrad: number, a: number, b1: number, k1: number, b2: number, k2: number, shrink: number, wd: number, e1: number, e2: number): void;
  nadamUpdate(w: number, g: number, m: number, v: number, n: number, sg: number, sm: number, b1: number, k1: number, b2: number, k2: number, shrink: number, wd: number, e1: number, e2: number): void;
  adamaxUpdate(w: number, g: number, m: number, u: number, n: number, clr: number, b1: number, k1: number, b2: number, eps: number, wd: number): void;
  im2col(x: number, out: number, n: number, h: number, w: number, c: number, kh: number, kw: number, sh: number, sw: number, dh: number, dw: number, top: number, left: number, oh: number, ow: number, padValue: number): void;
  col2im(cols: number, out: number, n: number, h: number, w: number, c: number, kh: number, kw: number, sh: number, sw: number, dh: number, dw: number, top: number, left: number, oh: number, ow: number): void;
}

function decode(base64: string): Uint8Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** The smallest module using a v128 instruction: whether this engine has WebAssembly SIMD. */
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

export function simdSupported(): boolean {
  const api = wasmApi();
  return typeof api?.validate === 'function' && api.validate(SIMD_PROBE);
}

/** The module's bytes: the shared-memory variant backs worker threads. */
export const kernelBytes = (shared: boolean): Uint8Array => decode(shared ? KERNELS_SHARED : KERNELS);

export const newMemory = (shared: boolean): WasmMemory => new (wasmApi()!.Memory)({ initial: 32, maximum: 65536, shared });

export const compileSync = (shared: boolean): WasmModule => new (wasmApi()!.Module)(kernelBytes(shared));

export const compile = (shared: boolean): Promise<WasmModule> => wasmApi()!.compile(kernelBytes(shared));

/**
 * Compiles and instantiates synchronously: fine in Node and in workers; browsers refuse synchronous
 * compilation of a module this size on the main thread (use `await initWasmBackend()` there).
 */
export function instantiateSync(module: WasmModule, memory: WasmMemory): Kernels {
  return new (wasmApi()!.Instance)(module, { env: { memory } }).exports as unknown as Kernels;
}
