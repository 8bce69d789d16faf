import { describe, expect, it } from 'vitest';
import * as nn from '../index.js';
import { WasmBackend, wasmBackend, wasmBackendInfo } from './index.js';
import { compileSync, newMemory } from './instance.js';

describe('wasm storage', () => {
  it('reuses freed blocks of the same size class and gives every byte back on dispose', () => {
    nn.setBackend('wasm');
    try {
      const before = wasmBackendInfo().liveBytes;
      const a = nn.zeros([1000]);
      const first = a.storage;
      expect(wasmBackendInfo().liveBytes - before).toBeGreaterThanOrEqual(4000);
      a.dispose();
      expect(wasmBackendInfo().liveBytes).toBe(before);
      const b = nn.ones([990]);
      expect(b.storage).toBe(first);
      b.dispose();
      expect(wasmBackendInfo().liveBytes).toBe(before);
    } finally {
      nn.setBackend('cpu');
    }
  });

  it('grows the memory for large tensors, and values survive the growth', () => {
    nn.setBackend('wasm');
    try {
      const small = nn.tensor([1, 2, 3]);
      const grownFrom = wasmBackendInfo().memoryBytes;
      const big = nn.full([16 << 20], 2);
      expect(wasmBackendInfo().memoryBytes).toBeGreaterThan(grownFrom);
      expect(nn.sum(big).item()).toBe(2 * (16 << 20));
      expect(small.dataSync()).toEqual(Float32Array.from([1, 2, 3]));
      big.dispose();
    } finally {
      nn.setBackend('cpu');
    }
  });

  it('reads are copies: dataSync stays valid after the memory grows', () => {
    nn.setBackend('wasm');
    try {
      const values = nn.tensor([5, 6]).dataSync();
      nn.zeros([8 << 20]).dispose();
      expect(Array.from(values)).toEqual([5, 6]);
      // dataSync hands out read's copy as it is (readOwned): writing to it must not reach the tensor.
      const t = nn.tensor([1, 2]);
      t.dataSync()[0] = 9;
      expect(Array.from(t.dataSync())).toEqual([1, 2]);
      t.mutate((v) => (v[1] = 3));
      expect(Array.from(t.dataSync())).toEqual([1, 3]);
      expect(wasmBackend.name).toBe('wasm');
    } finally {
      nn.setBackend('cpu');
    }
  });

  it("a gradient reaching two leaves is copied on the backend: each leaf has its own buffer with the values", () => {
    nn.setBackend('wasm');
    try {
      const a = nn.tensor([1, 2, 3]);
      const b = nn.tensor([4, 5, 6]);
      a.requiresGrad = b.requiresGrad = true;
      nn.sum(nn.mul(nn.add(a, b), nn.tensor([1, -2, 0.5]))).backward();
      expect(a.grad!.storage).not.toBe(b.grad!.storage);
      a.grad!.mutate((d) => d.fill(9));
      expect(Array.from(b.grad!.dataSync())).toEqual([1, -2, 0.5]);
    } finally {
      nn.setBackend('cpu');
    }
  });

  // Node's memory is shared (a growth keeps old buffers valid), so a backend over a non-shared memory stands
  // in for a browser page without crossOriginIsolated, where a growth detaches the old buffer.
  const unshared = (): WasmBackend => {
    const b = new WasmBackend();
    b.setup({ module: compileSync(false), memory: newMemory(false), shared: false });
    return b;
  };

  /** Allocates blocks until one of `bytes` (and its 16-byte header) no longer fits without growing the memory. */
  const fillUp = (b: WasmBackend, bytes: number): void => {
    const left = () => b.memory().memoryBytes - b.memory().reservedBytes;
    // Power-of-two sizes are exact size classes: each block takes its size plus a 16-byte header.
    for (const block of [1 << 16, 1 << 8]) while (left() >= bytes + 16 + block + 16) b.fill(block / 4, 0);
    while (left() >= bytes + 16) b.fill(4, 0);
  };

  it('read returns values that survive a growth of a non-shared memory', () => {
    const b = unshared();
    const p = b.upload(Float32Array.from([1, 2, 3, 4]));
    const values = b.read(p, 4);
    const before = b.memory().memoryBytes;
    b.fill(1 << 20, 7);
    expect(b.memory().memoryBytes).toBeGreaterThan(before);
    expect(Array.from(values)).toEqual([1, 2, 3, 4]);
    expect(b.view(p, 4)).toEqual(Float32Array.from([1, 2, 3, 4]));
  });

  it('uploading what read returned copies the values when that upload grows a non-shared memory', () => {
    // autograd hands a second leaf its own gradient as upload(read(g)): the upload may be what grows.
    const b = unshared();
    const data = Float32Array.from({ length: 4096 }, (_, i) => i + 0.5);
    const p = b.upload(data);
    fillUp(b, 4096 * 4);
    const before = b.memory().memoryBytes;
    const copy = b.upload(b.read(p, data.length));
    expect(b.memory().memoryBytes).toBeGreaterThan(before);
    expect(b.read(copy, data.length)).toEqual(data);
  });
});
