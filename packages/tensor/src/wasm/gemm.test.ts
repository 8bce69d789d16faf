import { describe, expect, it } from 'vitest';
import * as nn from '../index.js';
import { initWasmBackend } from './index.js';

// The single-thread GEMM (assembly/gemm.ts) on shapes that cross every blocking edge: rows past several A
// blocks and not a whole number of register tiles, k over two K panels (C accumulates across panels, edge
// tiles included), columns past one B panel and not a whole number of tiles; each transpose read in place,
// with the bias + relu epilogue. Every entry against a float64 reference, within float32 rounding of k terms.
describe('wasm GEMM across its blocking edges', () => {
  const [m, k, n] = [127, 517, 530];
  for (const [transposeA, transposeB] of [[false, false], [true, false], [false, true], [true, true]]) {
    it(`${m}x${k} · ${k}x${n}${transposeA ? ', A transposed' : ''}${transposeB ? ', B transposed' : ''}, + bias, relu`, async () => {
      await initWasmBackend({ threads: 1 });
      const g = new nn.Generator(5);
      const a = nn.randn(transposeA ? [k, m] : [m, k], { generator: g }).dataSync();
      const b = nn.randn(transposeB ? [n, k] : [k, n], { generator: g }).dataSync();
      const bias = nn.randn([n], { generator: g }).dataSync();
      nn.setBackend('wasm');
      let got: Float32Array;
      try {
        const t = (v: Float32Array, shape: number[]) => nn.tensor(v, shape);
        got = nn.fusedMatmul(t(a, transposeA ? [k, m] : [m, k]), t(b, transposeB ? [n, k] : [k, n]), { transposeA, transposeB, bias: nn.tensor(bias), activation: 'relu' }).dataSync();
      } finally {
        nn.setBackend('cpu');
      }
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let sum = bias[j];
          let size = Math.abs(bias[j]);
          for (let p = 0; p < k; p++) {
            const term = a[transposeA ? p * m + i : i * k + p] * b[transposeB ? j * k + p : p * n + j];
            sum += term;
            size += Math.abs(term);
          }
          const want = Math.max(sum, 0);
          if (!(Math.abs(got[i * n + j] - want) <= 4e-5 * size)) expect.fail(`[${i}, ${j}]: ${got[i * n + j]} vs ${want}`);
        }
      }
    });
  }
});
