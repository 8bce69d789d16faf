import type { Heap } from './heap.js';
import type { Kernels } from './instance.js';

/** Worker threads sharing the backend's memory, each computing a band of GEMM's rows. */
export interface GemmPool {
  /** Workers besides the calling thread. */
  readonly size: number;
  attach(k: Kernels, heap: Heap): void;
  worthSplitting(m: number, n: number, k: number): boolean;
  gemm(m: number, n: number, k: number, a: number, aRow: number, aCol: number, b: number, bRow: number, bCol: number, c: number, bias: number, act: number, pack: number): void;
  terminate(): void;
}
