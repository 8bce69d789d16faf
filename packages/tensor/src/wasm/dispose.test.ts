import { describe, expect, it } from 'vitest';
import * as nn from '../index.js';
import { disposeWasmBackend, initWasmBackend, wasmBackend, wasmBackendInfo } from './index.js';

describe('disposeWasmBackend', () => {
  it('gives a grown memory back once no tensor lives on it; the backend then starts again on a small memory', () => {
    nn.setBackend('wasm');
    try {
      const big = nn.full([24 << 20], 1.5);
      expect(nn.tidy(() => nn.sum(big).item())).toBe(1.5 * (24 << 20));
      const peak = wasmBackendInfo().memoryBytes;
      expect(peak).toBeGreaterThan(96 << 20);
      big.dispose();
      disposeWasmBackend();
      expect(wasmBackend.ready).toBe(false);
      // Used again, it sets itself up on a fresh memory: values and kernels as before.
      expect(nn.tidy(() => {
        const a = nn.tensor([[1, 2], [3, 4]]);
        return Array.from(nn.matmul(a, a).dataSync());
      })).toEqual([7, 10, 15, 22]);
      expect(wasmBackend.ready).toBe(true);
      expect(wasmBackendInfo().memoryBytes).toBeLessThan(peak / 10);
      expect(() => big.dataSync()).toThrow(/disposed/);
    } finally {
      nn.setBackend('cpu');
    }
  });

  it('is refused while a tensor lives on the backend, which then keeps working', () => {
    nn.setBackend('wasm');
    try {
      const kept = nn.tensor([1, 2, 3]);
      expect(() => disposeWasmBackend()).toThrow(/disposeWasmBackend: tensors still hold \d+ bytes of the wasm backend's memory; dispose them/);
      expect(wasmBackend.ready).toBe(true);
      expect(nn.tidy(() => Array.from(nn.add(kept, 1).dataSync()))).toEqual([2, 3, 4]);
      kept.dispose();
      disposeWasmBackend();
      disposeWasmBackend(); // twice is a no-op
      expect(wasmBackend.ready).toBe(false);
    } finally {
      nn.setBackend('cpu');
    }
  });

  it('stops the GEMM threads; initWasmBackend starts them again', async () => {
    const x = nn.rand([128, 96], { generator: new nn.Generator(1) }).dataSync();
    const y = nn.rand([96, 80], { generator: new nn.Generator(2) }).dataSync();
    const product = () => {
      nn.setBackend('wasm');
      try {
        return nn.tidy(() => nn.matmul(nn.tensor(x, [128, 96]), nn.tensor(y, [96, 80])).dataSync());
      } finally {
        nn.setBackend('cpu');
      }
    };
    expect((await initWasmBackend({ threads: 2 })).threads).toBe(2);
    const want = product();
    disposeWasmBackend();
    expect(wasmBackend.threads).toBe(1);
    expect(product()).toEqual(want);
    disposeWasmBackend();
    expect((await initWasmBackend({ threads: 2 })).threads).toBe(2);
    expect(product()).toEqual(want);
    await initWasmBackend({ threads: 1 });
  });
});
