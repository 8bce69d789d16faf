// Mode selection: which gpu.js backend runs the kernels, and whether that is a fallback.
import { GPU } from 'gpu.js';
import { glProblem, nodeGlProbe } from './gl-problem.js';

/** The gpu.js modes this backend can run in. */
export type GpuMode = 'webgl2' | 'webgl' | 'headlessgl' | 'webgpu' | 'webasm' | 'cpu';

export interface GpuBackendOptions {
  /**
   * 'auto' (default): WebGL2 in a browser, headless-gl in Node when the `gl` package loads and makes a
   * context, otherwise gpu.js's own fallback. 'webgpu' must be asked for (and set up with
   * `await initGpuBackend({ mode: 'webgpu' })`, which checks for an adapter). Any other mode is used as asked,
   * and is an error where gpu.js does not support it.
   */
  mode?: 'auto' | GpuMode;
  /** Where the one fallback warning goes (console.warn by default). */
  warn?: (message: string) => void;
}

export interface GpuDeviceInfo {
  /** The gpu.js mode kernels run in. */
  mode: GpuMode;
  /** What was asked for. */
  requested: 'auto' | GpuMode;
  /** True when no GPU mode could be had: kernels run in gpu.js's CPU-side fallback (webasm or cpu). */
  fellBack: boolean;
  /** Why it fell back (or null). */
  reason: string | null;
}

/** The slice of gpu.js's API this backend uses. */
export interface GpuKernel {
  (...args: unknown[]): unknown;
  destroy?(removeCanvasReference?: boolean): void;
}
export interface GpuInstance {
  mode: string;
  createKernel(source: string, settings: Record<string, unknown>): GpuKernel;
  addFunction(source: string, settings?: Record<string, unknown>): unknown;
  destroy(): unknown;
}
interface GpuStatic {
  new (settings?: Record<string, unknown>): GpuInstance;
  readonly isHeadlessGLSupported: boolean;
  readonly isWebGL2Supported: boolean;
  readonly isWebGPUSupported: boolean;
  isWebGPUAvailable(): Promise<boolean>;
}
const GPUClass = GPU as unknown as GpuStatic;

const inBrowser = (): boolean => {
  const g = globalThis as { window?: unknown; document?: unknown };
  return g.window !== undefined && g.document !== undefined;
};

/** Why headless-gl cannot serve in this Node process, or null when it can (gpu.js loads `gl` and tries a context). */
function headlessGlProblem(): string | null {
  if (GPUClass.isHeadlessGLSupported) return null;
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => { isMainThread?: boolean } | undefined } }).process;
  if (proc?.getBuiltinModule?.('node:worker_threads')?.isMainThread === false) {
    return "headless-gl is not usable in a worker thread (the native 'gl' module loads only in a process's main thread; vitest: --pool=forks)";
  }
  return glProblem(nodeGlProbe());
}

let warned = false;

/** Creates the gpu.js instance for `options`; `webgpuAvailable` is the answer of the async adapter probe. */
export function createGpu(options: GpuBackendOptions, webgpuAvailable?: boolean): { gpu: GpuInstance; info: GpuDeviceInfo } {
  const requested = options.mode ?? 'auto';
  let reason: string | null = null;
  let mode: GpuMode | null = null;
  if (requested === 'webgpu') {
    if (webgpuAvailable ?? GPUClass.isWebGPUSupported) mode = 'webgpu';
    else reason = webgpuAvailable === false ? 'WebGPU was asked for but no adapter answered' : 'WebGPU was asked for but navigator.gpu is missing';
  } else if (requested !== 'auto') {
    mode = requested;
  } else if (inBrowser()) {
    if (GPUClass.isWebGL2Supported) mode = 'webgl2';
    else reason = 'WebGL2 is not available in this browser';
  } else {
    reason = headlessGlProblem();
    if (!reason) mode = 'headlessgl';
  }
  // No GPU mode: gpu.js's own choice (in Node without GL that is webasm, else its cpu kernels).
  const gpu = new GPUClass(mode ? { mode } : {});
  const actual = gpu.mode as GpuMode;
  const fellBack = actual === 'webasm' || actual === 'cpu';
  if (fellBack && !reason && requested !== actual) reason = `gpu.js chose its ${actual} mode`;
  const info: GpuDeviceInfo = { mode: actual, requested, fellBack: fellBack && requested !== actual, reason: fellBack && requested !== actual ? reason : null };
  if (info.fellBack && !warned) {
    warned = true;
    (options.warn ?? console.warn)(
      `@nn/tensor/gpu: no GPU context, so the 'gpujs' backend runs on gpu.js's ${actual} fallback, which computes on the CPU (${reason}).`,
    );
  }
  return { gpu, info };
}

/** Whether WebGPU can run here: asks for an adapter. */
export const isWebGPUAvailable = (): Promise<boolean> => (GPUClass.isWebGPUSupported ? GPUClass.isWebGPUAvailable() : Promise.resolve(false));

/** @internal For tests: the next fallback warns again. */
export function resetFallbackWarning(): void {
  warned = false;
}
