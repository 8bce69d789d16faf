import { describe, expect, it } from 'vitest';
import * as nn from '../index.js';
import { gpuBackendInfo } from '../gpu.js';
// The course's Keras example (examples/breast-cancer): Dense 64 relu, Dense 64 relu, Dense 1 sigmoid, SGD,
// binary cross-entropy, batch 32, 10 epochs, trained through @nn/layers' Model.fit.
import { courseExample } from '../../../../examples/breast-cancer/src/experiments.js';

describe(`the course's MLP on gpujs (mode: ${gpuBackendInfo().mode})`, () => {
  it('follows the cpu backend’s loss curve epoch by epoch and reaches the same test accuracy', async () => {
    const run = async (backend: string) => {
      nn.setBackend(backend);
      try {
        return await courseExample({ verbose: 0 });
      } finally {
        nn.setBackend('cpu');
      }
    };
    const cpu = await run('cpu');
    const gpu = await run('gpujs');
    const [lc, lg] = [cpu.history.history.loss, gpu.history.history.loss];
    expect(lg).toHaveLength(lc.length);
    // Float32 accumulation differences (~1e-7 per op) stay at ~1e-5 relative over 10 epochs of SGD.
    lg.forEach((l, i) => expect(Math.abs(l - lc[i]), `epoch ${i + 1}: gpujs ${l}, cpu ${lc[i]}`).toBeLessThan(1e-4 * Math.abs(lc[i])));
    expect(gpu.testAccuracy).toBe(cpu.testAccuracy);
  });
});
