import { describe, expect, it } from 'vitest';
import * as nn from '../index.js';
import { initWasmBackend, wasmBackendInfo } from './index.js';

// GEMM split across worker threads over shared memory: every band layout gives cpu's products.
describe('wasm backend with 2 threads', () => {
  it('splits matrix products by rows and by columns, with epilogues and transposes, and matches cpu', async () => {
    expect((await initWasmBackend({ threads: 2 })).threads).toBe(2);
    const g = new nn.Generator(11);
    const cases: [number[], number[], nn.FusedMatmulOptions][] = [
      [[130, 70], [70, 90], {}],
      [[33, 64], [64, 260], { activation: 'relu' }],
      [[70, 131], [257, 70], { transposeA: true, transposeB: true, activation: 'sigmoid' }],
      [[3, 40, 50], [50, 60], { activation: 'tanh' }],
    ];
    for (const [as, bs, o] of cases) {
      const a = nn.randn(as, { generator: g }).dataSync();
      const b = nn.randn(bs, { generator: g }).dataSync();
      const n = o.transposeB ? bs[0] : bs[bs.length - 1];
      const bias = nn.randn([n], { generator: g }).dataSync();
      const on = (backend: string) => {
        nn.setBackend(backend);
        try {
          return nn.fusedMatmul(nn.tensor(a, as), nn.tensor(b, bs), { ...o, bias: nn.tensor(bias) }).dataSync();
        } finally {
          nn.setBackend('cpu');
        }
      };
      const want = on('cpu');
      const got = on('wasm');
      for (let i = 0; i < want.length; i++) {
        if (!(Math.abs(got[i] - want[i]) <= 1e-5 * (1 + Math.abs(want[i])))) expect.fail(`${JSON.stringify([as, bs, o])}[${i}]: ${got[i]} vs ${want[i]}`);
      }
    }
    expect(wasmBackendInfo().threads).toBe(2);
  });

  it('changes the thread count with tensors alive (the memory is shared in Node), and back to one', async () => {
    nn.setBackend('wasm');
    try {
      const kept = nn.tensor([1, 2, 3]);
      expect((await initWasmBackend({ threads: 3 })).threads).toBe(3);
      expect(nn.matmul(nn.ones([64, 64]), nn.ones([64, 64])).dataSync()[0]).toBe(64);
      expect((await initWasmBackend({ threads: 1 })).threads).toBe(1);
      expect(Array.from(kept.dataSync())).toEqual([1, 2, 3]);
    } finally {
      nn.setBackend('cpu');
    }
  });

  it('refuses a thread count that is not a positive integer', async () => {
    await expect(initWasmBackend({ threads: 0 })).rejects.toThrow('initWasmBackend: threads must be a positive integer, got 0');
  });
});
