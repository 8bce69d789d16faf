import { ErrorCode, NNError } from '@nn/core';
import type { WasmMemory } from './instance.js';

const PAGE = 65536;
/** 4 GiB: the most a 32-bit WebAssembly memory can hold. */
export const MAX_PAGES = 65536;
const HEADER = 16;
const CLASSES = 112;

/**
 * Rounds a request to its size class: multiples of 16 bytes up to 256, then four classes per power of two
 * (at most 25% waste). Returns the class index; `classSize` gives its bytes.
 */
function sizeClass(bytes: number): number {
  if (bytes <= 256) return Math.max(1, Math.ceil(bytes / 16)) - 1;
  const e = 31 - Math.clz32(bytes - 1);
  return 16 + (e - 8) * 4 + (Math.ceil(bytes / 2 ** (e - 2)) - 5);
}

function classSize(cls: number): number {
  if (cls < 16) return (cls + 1) * 16;
  const e = 8 + ((cls - 16) >> 2);
  return (5 + ((cls - 16) & 3)) * 2 ** (e - 2);
}

/**
 * The float32 storage of the wasm backend: blocks in the module's linear memory, handed out by size class
 * from free lists (a block's class sits in a 16-byte header before it; a free block holds the next free
 * block's address), and carved from the top, growing the memory, when its list is empty. Allocation and
 * release touch only typed arrays: no JavaScript object per tensor beyond the handle (a number).
 */
export class Heap {
  f32!: Float32Array;
  i32!: Int32Array;
  private u32!: Uint32Array;
  private readonly heads = new Uint32Array(CLASSES);
  private top: number;
  /** Bytes in blocks handed out and not yet freed. */
  liveBytes = 0;

  constructor(readonly memory: WasmMemory, base: number) {
    this.top = Math.ceil(base / HEADER) * HEADER;
    this.refresh();
  }

  /** A block of at least `bytes` bytes, 16-byte aligned. */
  alloc(bytes: number): number {
    const cls = sizeClass(bytes);
    const size = classSize(cls);
    const head = this.heads[cls];
    if (head !== 0) {
      this.heads[cls] = this.u32[head >>> 2];
      this.liveBytes += size;
      return head;
    }
    const ptr = this.top + HEADER;
    const end = ptr + size;
    if (end > this.memory.buffer.byteLength) this.grow(end);
    this.u32[(ptr - HEADER) >>> 2] = cls;
    this.top = end;
    this.liveBytes += size;
    return ptr;
  }

  free(ptr: number): void {
    const cls = this.u32[(ptr - HEADER) >>> 2];
    this.u32[ptr >>> 2] = this.heads[cls];
    this.heads[cls] = ptr;
    this.liveBytes -= classSize(cls);
  }

  /** Bytes taken from the memory so far (live blocks and free-listed ones). */
  get reservedBytes(): number {
    return this.top;
  }

  private grow(end: number): void {
    const have = this.memory.buffer.byteLength / PAGE;
    // A quarter more than needed, so a growing workload does not grow the memory on every allocation.
    const want = Math.min(MAX_PAGES, Math.ceil((end + end / 4) / PAGE));
    if (end > MAX_PAGES * PAGE) {
      throw new NNError(ErrorCode.InvalidArgument, `wasm: out of memory: ${Math.round(end / 2 ** 20)} MiB requested, the WebAssembly limit is 4096 MiB (live tensors hold ${Math.round(this.liveBytes / 2 ** 20)} MiB); dispose tensors or use tidy()`);
    }
    this.memory.grow(want - have);
    this.refresh();
  }

  /** New views after the memory grew (a grown memory has a new buffer). */
  private refresh(): void {
    this.f32 = new Float32Array(this.memory.buffer);
    this.i32 = new Int32Array(this.memory.buffer);
    this.u32 = new Uint32Array(this.memory.buffer);
  }
}
