import { describe, expect, it } from 'vitest';
import * as nn from '../index.js';
import { wasmBackend, wasmBackendInfo } from './index.js';

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
      expect(wasmBackend.name).toBe('wasm');
    } finally {
      nn.setBackend('cpu');
    }
  });
});
