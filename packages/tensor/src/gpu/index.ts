import { registry } from '@nn/core';
import { GpuJsBackend, type GpuMemoryInfo, type GpuStorage, type GpuTransferInfo } from './backend.js';
import { isWebGPUAvailable, type GpuBackendOptions, type GpuDeviceInfo, type GpuMode } from './device.js';

/** The backend `setBackend('gpujs')` selects; its mode is chosen on first use (or by `initGpuBackend`). */
export const gpuBackend = new GpuJsBackend('gpujs');

registry.register('backend', 'gpujs', gpuBackend);

export interface GpuBackendInfo extends GpuDeviceInfo, GpuMemoryInfo {}

/** The mode the 'gpujs' backend runs in, whether it fell back to a CPU mode and why, and its memory counts. */
export function gpuBackendInfo(): GpuBackendInfo {
  return { ...gpuBackend.info(), ...gpuBackend.memory() };
}

/** Device memory held by live tensors on the 'gpujs' backend (a leak test watches `liveTextures`). */
export function gpuMemory(): GpuMemoryInfo {
  return gpuBackend.memory();
}

/** Host-device transfers of the 'gpujs' backend so far: take the difference around a step to count its transfers. */
export function gpuTransfers(): GpuTransferInfo {
  return gpuBackend.transfers();
}

/**
 * Chooses the 'gpujs' backend's mode before any tensor is made on it. `{ mode: 'webgpu' }` asks for an
 * adapter first and falls back (with one warning) when none answers; in WebGPU mode every readback is
 * asynchronous, so use `await t.data()` rather than `dataSync()`.
 */
export async function initGpuBackend(options: GpuBackendOptions = {}): Promise<GpuBackendInfo> {
  const webgpu = options.mode === 'webgpu' ? await isWebGPUAvailable() : undefined;
  gpuBackend.init(options, webgpu);
  return gpuBackendInfo();
}

export { GpuJsBackend, isWebGPUAvailable };
export type { GpuBackendOptions, GpuDeviceInfo, GpuMemoryInfo, GpuMode, GpuStorage, GpuTransferInfo };
