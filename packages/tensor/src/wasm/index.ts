import { registry } from '@nn/core';
import { WasmBackend, type WasmMemoryInfo } from './backend.js';
import { compile, newMemory, simdSupported } from './instance.js';

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
 * thread), then `setBackend('wasm')` selects it. Call it before making tensors on the backend.
 */
export async function initWasmBackend({ threads = 1 }: WasmBackendOptions = {}): Promise<WasmBackendInfo> {
  if (!simdSupported()) throw new Error('wasm: this engine has no WebAssembly SIMD; use the cpu backend');
  const module = await compile(false);
  wasmBackend.setup({ module, memory: newMemory(false) });
  void threads;
  return wasmBackendInfo();
}

export { WasmBackend, simdSupported, type WasmMemoryInfo };
