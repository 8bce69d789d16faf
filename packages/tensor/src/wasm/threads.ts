import type { Heap } from './heap.js';
import type { Kernels, WasmMemory, WasmModule } from './instance.js';
import type * as WorkerThreads from 'node:worker_threads';

// The control block in shared memory: a generation counter the workers wait on, a count of workers done,
// then one slot per thread with its GEMM's arguments.
const GEN = 0;
const DONE = 1;
const SLOTS = 4;
const SLOT = 16;
const MAX_THREADS = 64;
/** Below this many multiply-adds a GEMM stays on one thread (waking workers costs some microseconds). */
const MIN_SPLIT_WORK = 1 << 18;

// Plain JavaScript run in each worker (Node worker_threads or a Web Worker, no bundler involved): it
// instantiates the kernels over the shared memory and runs its band of every GEMM it is woken for.
const WORKER_SOURCE = `
const listen = typeof self === 'object' ? (f) => { self.onmessage = (e) => f(e.data); } : (f) => require('node:worker_threads').parentPort.once('message', f);
const reply = typeof self === 'object' ? (m) => self.postMessage(m) : (m) => require('node:worker_threads').parentPort.postMessage(m);
listen(({ module, memory, control, slot }) => {
  const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const ctl = new Int32Array(memory.buffer, control, ${SLOTS + SLOT * MAX_THREADS});
  let gen = Atomics.load(ctl, ${GEN});
  reply('ready');
  for (;;) {
    Atomics.wait(ctl, ${GEN}, gen);
    gen = Atomics.load(ctl, ${GEN});
    const s = ${SLOTS} + slot * ${SLOT};
    k.gemm(ctl[s], ctl[s + 1], ctl[s + 2], ctl[s + 3], ctl[s + 4], ctl[s + 5], ctl[s + 6], ctl[s + 7], ctl[s + 8], ctl[s + 9], ctl[s + 10], ctl[s + 11], ctl[s + 12], ctl[s + 13]);
    Atomics.add(ctl, ${DONE}, 1);
    Atomics.notify(ctl, ${DONE});
  }
});
`;

interface WorkerHandle {
  postMessage(message: unknown): void;
  terminate(): unknown;
}

/** Whether this thread may block on Atomics.wait (not a browser's main thread) with shared memory available. */
export function threadsAvailable(): { ok: true } | { ok: false; reason: string } {
  const g = globalThis as { SharedArrayBuffer?: unknown; crossOriginIsolated?: boolean; process?: { versions?: { node?: string } }; window?: unknown; Worker?: unknown };
  if (typeof g.SharedArrayBuffer !== 'function') return { ok: false, reason: 'SharedArrayBuffer is unavailable (in browsers the page must be crossOriginIsolated)' };
  if (g.process?.versions?.node) return { ok: true };
  if (g.crossOriginIsolated === false) return { ok: false, reason: 'the page is not crossOriginIsolated' };
  if (typeof g.window === 'object') return { ok: false, reason: "a browser's main thread may not block on Atomics.wait (run the model in a Web Worker)" };
  if (typeof g.Worker !== 'function') return { ok: false, reason: 'this environment has no Worker' };
  return { ok: true };
}

async function spawn(): Promise<{ worker: WorkerHandle; ready: (slot: number, message: object) => Promise<void> }> {
  const g = globalThis as { process?: { versions?: { node?: string } } };
  if (g.process?.versions?.node) {
    // A variable module name: browser bundlers (Vite, esbuild) leave it alone instead of stubbing node:worker_threads.
    const builtin = 'node:worker_threads';
    const { Worker } = (await import(/* @vite-ignore */ builtin)) as typeof WorkerThreads;
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    // An idle pool must not keep the process alive.
    worker.unref();
    return {
      worker,
      ready: (_slot, message) => new Promise((resolve, reject) => {
        worker.once('message', () => resolve());
        worker.once('error', reject);
        worker.postMessage(message);
      }),
    };
  }
  const W = (globalThis as unknown as { Worker: new (url: string) => WorkerHandle & { onmessage: ((e: unknown) => void) | null; onerror: ((e: unknown) => void) | null } }).Worker;
  const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
  const worker = new W(url);
  return {
    worker,
    ready: (_slot, message) => new Promise((resolve, reject) => {
      worker.onmessage = () => resolve();
      worker.onerror = reject;
      worker.postMessage(message);
    }),
  };
}

/**
 * Worker threads over the backend's shared memory. A GEMM is cut into bands (of rows, or of columns when
 * the product is wide and short), one per thread; the calling thread runs the first band and blocks on
 * Atomics.wait until the workers have done theirs.
 */
export class GemmPool {
  private ctl!: Int32Array;
  private control = 0;
  private packs: number[] = [];
  private k!: Kernels;

  private constructor(private readonly workers: WorkerHandle[], private readonly memory: WasmMemory, private readonly module: WasmModule) {}

  /** Workers besides the calling thread. */
  get size(): number {
    return this.workers.length;
  }

  /** Starts `threads - 1` workers; they instantiate the module once the pool is attached to a heap. */
  static async create(threads: number, module: WasmModule, memory: WasmMemory): Promise<GemmPool> {
    const spawned = await Promise.all(Array.from({ length: Math.min(threads, MAX_THREADS) - 1 }, () => spawn()));
    const pool = new GemmPool(spawned.map((s) => s.worker), memory, module);
    pool.pending = spawned.map((s) => s.ready);
    return pool;
  }

  private pending: ((slot: number, message: object) => Promise<void>)[] = [];

  /** Allocates the control block and per-thread packing buffers, then hands the workers the module. */
  async attach(k: Kernels, heap: Heap): Promise<void> {
    this.k = k;
    this.control = heap.alloc((SLOTS + SLOT * MAX_THREADS) * 4);
    heap.i32.fill(0, this.control >>> 2, (this.control >>> 2) + SLOTS + SLOT * MAX_THREADS);
    this.packs = Array.from({ length: this.workers.length + 1 }, () => heap.alloc(k.packBytes()));
    this.ctl = new Int32Array(this.memory.buffer, this.control, SLOTS + SLOT * MAX_THREADS);
    await Promise.all(this.pending.map((ready, i) => ready(i + 1, { module: this.module, memory: this.memory, control: this.control, slot: i + 1 })));
    this.pending = [];
  }

  worthSplitting(m: number, n: number, k: number): boolean {
    return m * n * k >= MIN_SPLIT_WORK && Math.max(m, n) >= 8 * (this.workers.length + 1);
  }

  gemm(m: number, n: number, k: number, a: number, aRow: number, aCol: number, b: number, bRow: number, bCol: number, c: number, bias: number, act: number): void {
    const threads = this.workers.length + 1;
    const byRows = m >= n;
    const total = byRows ? m : n;
    // Bands in whole register tiles (MR rows or NR columns), so only the last one has a ragged edge.
    const unit = byRows ? this.k.MR.value : this.k.NR.value;
    const per = Math.ceil(total / unit / threads) * unit;
    for (let t = 0; t < threads; t++) {
      const start = Math.min(total, t * per);
      const len = Math.min(total, start + per) - start;
      const s = SLOTS + t * SLOT;
      const slot = byRows
        ? [len, n, k, a + start * aRow * 4, aRow, aCol, b, bRow, bCol, c + start * n * 4, n, bias, act, this.packs[t]]
        : [m, len, k, a, aRow, aCol, b + start * bCol * 4, bRow, bCol, c + start * 4, n, bias ? bias + start * 4 : 0, act, this.packs[t]];
      for (let i = 0; i < slot.length; i++) this.ctl[s + i] = slot[i];
    }
    Atomics.store(this.ctl, DONE, 0);
    Atomics.add(this.ctl, GEN, 1);
    Atomics.notify(this.ctl, GEN);
    const s = SLOTS;
    const ctl = this.ctl;
    this.k.gemm(ctl[s], ctl[s + 1], ctl[s + 2], ctl[s + 3], ctl[s + 4], ctl[s + 5], ctl[s + 6], ctl[s + 7], ctl[s + 8], ctl[s + 9], ctl[s + 10], ctl[s + 11], ctl[s + 12], ctl[s + 13]);
    for (let done = Atomics.load(ctl, DONE); done < this.workers.length; done = Atomics.load(ctl, DONE)) Atomics.wait(ctl, DONE, done);
  }

  async terminate(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  /** Gives the control block and packing buffers back (after terminate). */
  free(heap: Heap): void {
    heap.free(this.control);
    for (const p of this.packs) heap.free(p);
  }
}
