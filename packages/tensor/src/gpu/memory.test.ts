import { describe, expect, it, vi } from 'vitest';
import * as nn from '../index.js';
import { gpuBackend, gpuBackendInfo, GpuJsBackend } from '../gpu.js';
import { resetFallbackWarning } from './device.js';
import { collect } from './gc.js';
import { SGD } from '@nn/optim';
import { makeData, makeMlp, trainMlp } from './mlp.js';

const liveTextures = () => gpuBackend.memory().liveTextures;

function onGpu<T>(fn: () => T): T {
  nn.setBackend('gpujs');
  try {
    return fn();
  } finally {
    nn.setBackend('cpu');
  }
}

describe('gpujs memory', () => {
  it('an MLP training loop keeps the live-texture count flat (unreferenced tensors are released by the GC)', async () => {
    const { x, labels } = makeData(64, 4, 3);
    const counts: number[] = [];
    const mlp = onGpu(() => makeMlp([4, 16, 3]));
    const opt = new SGD(mlp.params, { lr: 0.1, momentum: 0.9 });
    const xt = onGpu(() => nn.tensor(x, [64, 4]));
    const yt = onGpu(() => nn.tensor(labels, [64], 'int32'));
    for (let step = 0; step < 60; step++) {
      onGpu(() => trainMlp(mlp, opt, xt, yt));
      if (step % 10 === 9) {
        await collect(liveTextures);
        counts.push(liveTextures());
      }
    }
    // Parameters (4) + momentum buffers (4) + data (2) + the last loss: the same after every step.
    expect(new Set(counts).size, `live textures after every 10 steps: ${counts.join(', ')}`).toBe(1);
    expect(counts[0]).toBeLessThan(20);
  });

  it('dispose() and tidy() release at once; a fill costs no texture', () => {
    const before = liveTextures();
    const t = onGpu(() => nn.tensor([1, 2, 3]));
    expect(liveTextures()).toBe(before + 1);
    t.dispose();
    expect(liveTextures()).toBe(before);
    const kept = onGpu(() => nn.tidy(() => nn.sum(nn.exp(nn.mul(nn.tensor([1, 2]), 3)))));
    expect(liveTextures()).toBe(before + 1);
    kept.dispose();
    expect(liveTextures()).toBe(before);
    const z = onGpu(() => nn.zeros([1000]));
    expect(liveTextures()).toBe(before);
    expect(z.dataSync()).toEqual(new Float32Array(1000));
  });

  it('mutate and assign replace a parameter in place (a new texture, the old one released)', () => {
    const p = onGpu(() => nn.tensor([1, 2, 3]));
    const before = liveTextures();
    p.mutate((d) => d.forEach((v, i) => (d[i] = v * 10)));
    expect(Array.from(p.dataSync())).toEqual([10, 20, 30]);
    onGpu(() => p.assign(nn.exp(nn.zeros([3]))));
    expect(Array.from(p.dataSync())).toEqual([1, 1, 1]);
    expect(liveTextures()).toBeLessThanOrEqual(before + 1);
    expect(Array.from(onGpu(() => nn.add(p, 1)).dataSync())).toEqual([2, 2, 2]);
  });

  it('reading released storage is an error, release is idempotent', () => {
    const s = gpuBackend.upload(Float32Array.of(1, 2));
    gpuBackend.release(s);
    gpuBackend.release(s);
    expect(() => gpuBackend.read(s, 2)).toThrow(/released/);
  });
});

describe('gpujs mode', () => {
  it('reports its mode, and whether it fell back', () => {
    const info = gpuBackendInfo();
    expect(['headlessgl', 'webgl2', 'webgl', 'webgpu', 'webasm', 'cpu']).toContain(info.mode);
    expect(info.fellBack).toBe(info.mode === 'webasm' || info.mode === 'cpu');
    if (info.fellBack) expect(info.reason).toMatch(/\w/);
  });

  it('warns once when it falls back, not per backend or kernel', () => {
    resetFallbackWarning();
    const warn = vi.fn();
    const a = new GpuJsBackend('test-a', { warn });
    const b = new GpuJsBackend('test-b', { warn });
    const info = a.info();
    b.info();
    a.unary('exp', a.upload(Float32Array.of(0)), 1, 0);
    expect(warn).toHaveBeenCalledTimes(info.fellBack ? 1 : 0);
    a.destroy();
    b.destroy();
  });

  it("runs in gpu.js's cpu mode when asked", () => {
    const cpu = new GpuJsBackend('test-cpu', { mode: 'cpu', warn: () => {} });
    expect(cpu.info().mode).toBe('cpu');
    const out = cpu.matmul(cpu.upload(Float32Array.of(1, 2, 3, 4)), [2, 2], cpu.upload(Float32Array.of(1, 0, 0, 1)), [2, 2], false, true, [2, 2]);
    expect(Array.from(cpu.read(out, 4))).toEqual([1, 2, 3, 4]);
    cpu.destroy();
  });
});

describe('training on gpujs', () => {
  it('an MLP follows the cpu backend’s loss curve for a few epochs', async () => {
    const { x, labels } = makeData(96, 5, 3, 7);
    const curve = async (backend: string) => {
      nn.setBackend(backend);
      try {
        const mlp = makeMlp([5, 12, 3], { seed: 3 });
        const opt = new SGD(mlp.params, { lr: 0.2 });
        const losses: number[] = [];
        for (let epoch = 0; epoch < 5; epoch++) {
          for (let b = 0; b < 96; b += 32) {
            const xb = nn.tensor(x.subarray(b * 5, (b + 32) * 5), [32, 5]);
            const yb = nn.tensor(labels.subarray(b, b + 32), [32], 'int32');
            losses.push((await trainMlp(mlp, opt, xb, yb).data())[0]);
          }
        }
        return losses;
      } finally {
        nn.setBackend('cpu');
      }
    };
    const cpu = await curve('cpu');
    const gpu = await curve('gpujs');
    expect(cpu[cpu.length - 1]).toBeLessThan(cpu[0] * 0.6);
    gpu.forEach((l, i) => expect(Math.abs(l - cpu[i]), `step ${i}: ${l} vs ${cpu[i]}`).toBeLessThan(1e-4 * Math.max(1, cpu[i])));
  });
});
