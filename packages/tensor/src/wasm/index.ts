import { ErrorCode, NNError, registry } from '@nn/core';
import { WasmBackend, type WasmMemoryInfo } from './backend.js';
import { compile, newMemory, simdSupported } from './instance.js';
import { threadsAvailable } from './threads.js';

// One instance per process, found through the registry: a second copy of this module (two bundles of
// @nn/tensor) must not set up a second memory.
export const wasmBackend: WasmBackend = registry.has('backend', 'wasm') ? (registry.get('backend', 'wasm') as WasmBackend) : new WasmBackend();
if (!registry.has('backend', 'wasm')) registry.register('backend', 'wasm', wasmBackend);

export interface WasmBackendOptions {
  /**
   * Threads for GEMM (default 1). Above 1, matrix products split across Node worker threads or Web Workers
   * over a shared memory where the platform allows it (Node; crossOriginIsolated pages); elsewhere the
   * backend runs single-threaded and says so once.
   */
  threads?: number;
}

export interface WasmBackendInfo extends WasmMemoryInfo {
  /** Threads GEMM uses. */
  threads: number;
}

/** The 'wasm' backend's thread count and memory use. */
export function wasmBackendInfo(): WasmBackendInfo {
  return { threads: wasmBackend.threads, ...wasmBackend.memory() };
}

/**
 * Sets the 'wasm' backend up (compiling its module without blocking, as browsers require on the main
 * thread), then `setBackend('wasm')` selects it. Where memory can be shared (Node, crossOriginIsolated
 * pages) it may be called again to change the thread count, tensors and all; elsewhere call it before
 * making tensors on the backend.
 */
let warned = false;

export async function initWasmBackend({ threads = 1 }: WasmBackendOptions = {}): Promise<WasmBackendInfo> {
  if (!simdSupported()) throw new NNError(ErrorCode.InvalidArgument, 'initWasmBackend: this engine has no WebAssembly SIMD; use the cpu backend');
  if (!Number.isInteger(threads) || threads < 1) throw new NNError(ErrorCode.InvalidArgument, `initWasmBackend: threads must be a positive integer, got ${threads}`);
  const where = threadsAvailable();
  if (threads > 1 && !where.ok && !warned) {
    warned = true;
    console.warn(`@nn/tensor/wasm: running single-threaded (${threads} threads asked): ${where.reason}`);
  }
  // Set up (compiling without blocking) unless it already runs on a memory threads can share.
  if (!wasmBackend.ready || (where.ok && !wasmBackend.shared)) {
    wasmBackend.setup({ module: await compile(where.ok), memory: newMemory(where.ok), shared: where.ok });
  }
  await wasmBackend.setThreads(where.ok ? threads : 1);
  return wasmBackendInfo();
}

/**
 * Gives the 'wasm' backend's memory back (a WebAssembly memory only grows: after a peak it stays at the peak
 * size). Refused while tensors live on the backend. Afterwards the backend sets itself up again on first use
 * (with a fresh, small memory), or call `initWasmBackend` again: needed on a browser's main thread, and to
 * get threads back.
 */
export function disposeWasmBackend(): void {
  wasmBackend.dispose();
}

export { WasmBackend, simdSupported, type WasmMemoryInfo };
