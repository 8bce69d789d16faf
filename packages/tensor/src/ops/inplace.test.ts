import { describe, expect, it } from 'vitest';
import { registry } from '@nn/core';
import * as nn from '../index.js';
import { assign, cpuBackend, fullLike, fusedUpdate, memory, reshape, tensor, tensorLike, type Backend } from '../index.js';

// The cpu backend without its in-place kernels: what a partial backend (or a GL texture) sees.
const bare: Backend = { ...cpuBackend, name: 'cpu-bare', assign: undefined, assignScaled: undefined, fusedUpdate: undefined, writeInPlace: undefined };
registry.register('backend', 'cpu-bare', bare);
function onBare<T>(fn: () => T): T {
  nn.setBackend('cpu-bare');
  try {
    return fn();
  } finally {
    nn.setBackend('cpu');
  }
}

describe('assign', () => {
  it('copies into the target in place on the cpu (same buffer, views see it)', () => {
    const p = tensor([1, 2, 3, 4]);
    const view = reshape(p, [2, 2]);
    const buffer = p.storage;
    const value = tensor([5, 6, 7, 8]);
    expect(assign(p, value)).toBe(p);
    expect(p.storage).toBe(buffer);
    expect(view.toArray()).toEqual([[5, 6], [7, 8]]);
    expect(value.isDisposed).toBe(false);
    assign(p, 0.5);
    expect(Array.from(p.dataSync())).toEqual([0.5, 0.5, 0.5, 0.5]);
  });

  it('without an assign kernel gives the target new storage: the value’s own when moved, else a copy', () => {
    const p = onBare(() => tensor([1, 2, 3]));
    const view = reshape(p, [3, 1]);
    const value = onBare(() => tensor([4, 5, 6]));
    const valueStorage = value.storage;
    assign(p, value, { move: true });
    expect(p.storage).toBe(valueStorage);
    expect(value.isDisposed).toBe(true);
    expect(view.toArray()).toEqual([[4], [5], [6]]);
    const kept = onBare(() => tensor([7, 8, 9]));
    assign(p, kept);
    expect(p.storage).not.toBe(kept.storage);
    expect(Array.from(p.dataSync())).toEqual([7, 8, 9]);
    expect(Array.from(kept.dataSync())).toEqual([7, 8, 9]);
    // A value that shares its buffer with another tensor is copied even when moved: the view stays intact.
    const base = onBare(() => tensor([1, 1, 1]));
    const shared = reshape(base, [1, 3]);
    assign(p, shared, { move: true });
    expect(Array.from(base.dataSync())).toEqual([1, 1, 1]);
    expect(Array.from(p.dataSync())).toEqual([1, 1, 1]);
  });

  it('leaks nothing: moved values and replaced storage are released', () => {
    const p = onBare(() => tensor([1, 2, 3]));
    const one = onBare(() => tensor(1));
    const start = memory();
    for (let i = 0; i < 20; i++) assign(p, onBare(() => nn.add(p, one)), { move: true });
    expect(memory().tensors).toBe(start.tensors);
    expect(memory().buffers).toBe(start.buffers);
    expect(Array.from(p.dataSync())).toEqual([21, 22, 23]);
  });

  it('refuses other sizes, other backends and non-tensors, naming the op', () => {
    const p = tensor([1, 2, 3]);
    expect(() => assign(p, tensor([1]))).toThrow('assign: shapes [3] and [1] differ');
    expect(() => assign(p, onBare(() => tensor([1, 2, 3])))).toThrow(/assign: tensors live on different backends \(cpu and cpu-bare\)/);
    expect(() => assign(p, 'x' as unknown as number)).toThrow(/assign: expected a Tensor value, got string/);
  });
});

describe('assign with scale (value · scale, in place)', () => {
  const g = () => Float32Array.from({ length: 37 }, (_, i) => Math.sin(i * 1.7) * 3);
  const want = (values: Float32Array, s: number) => nn.mul(tensor(values), tensor(s)).dataSync();

  for (const backend of ['cpu', 'wasm', 'cpu-bare']) {
    it(`equals mul bit for bit on ${backend} (kernel or mul + assign), in place over itself, a scalar tensor or a number`, () => {
      const s = Math.fround(0.3711);
      const expected = want(g(), s);
      nn.setBackend(backend);
      try {
        const t = tensor(g());
        const buffer = t.storage;
        expect(assign(t, t, { scale: tensor(s) })).toBe(t);
        expect(t.dataSync()).toEqual(expected);
        // The kernels write the target's own storage; the fallback gives it new storage.
        if (backend !== 'cpu-bare') expect(t.storage).toBe(buffer);
        const u = nn.zeros([37]);
        const value = tensor(g());
        assign(u, value, { scale: s, move: true });
        expect(u.dataSync()).toEqual(expected);
        expect(value.isDisposed).toBe(true);
        const v = nn.zeros([37]);
        const kept = tensor(g());
        assign(v, kept, { scale: s });
        expect(v.dataSync()).toEqual(expected);
        expect(kept.dataSync()).toEqual(Float32Array.from(g()));
        expect(assign(nn.zeros([2]), 3, { scale: 2 }).dataSync()).toEqual(Float32Array.from([6, 6]));
      } finally {
        nn.setBackend('cpu');
      }
    });
  }

  it('keeps NaN and Infinity as mul does, and leaks no buffers', () => {
    const start = memory();
    const t = tensor([1, NaN, Infinity, -2]);
    const nan = tensor(NaN);
    assign(t, t, { scale: nan });
    nan.dispose();
    expect(Array.from(t.dataSync()).every(Number.isNaN)).toBe(true);
    assign(t, tensor([1, -0, Infinity, 4]), { scale: 0.5, move: true });
    expect(Array.from(t.dataSync())).toEqual([0.5, -0, Infinity, 2]);
    t.dispose();
    expect(memory().buffers).toBe(start.buffers);
  });

  it('refuses a scale that is not one element or lives elsewhere', () => {
    const p = tensor([1, 2, 3]);
    expect(() => assign(p, p, { scale: tensor([1, 2]) })).toThrow('assign: scale must be a number or a one-element tensor, got shape [2]');
    expect(() => assign(p, p, { scale: onBare(() => tensor(2)) })).toThrow(/assign \(scale\): tensors live on different backends \(cpu and cpu-bare\)/);
    expect(() => assign(p, tensor([1]), { scale: 2 })).toThrow('assign: shapes [3] and [1] differ');
  });
});

describe('fusedUpdate', () => {
  it('runs the backend kernel in place (cpu sgd with momentum: b = g at the first step)', () => {
    const w = tensor([1, 2]);
    const buf = fullLike(w, 0);
    const g = tensor([0.5, -1]);
    const k = { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: 0, first: 1 };
    expect(fusedUpdate('sgd', w, g, { momentumBuffer: buf }, k)).toBe(true);
    expect(Array.from(buf.dataSync())).toEqual([0.5, -1]);
    expect(Array.from(w.dataSync())).toEqual([Math.fround(1 - 0.05), Math.fround(2 + 0.1)]);
    fusedUpdate('sgd', w, g, { momentumBuffer: buf }, { ...k, first: 0 });
    expect(Array.from(buf.dataSync())).toEqual([Math.fround(0.95), Math.fround(-1.9)]);
  });

  it('declines (changing nothing) where the backend has no kernel, and checks its operands', () => {
    const w = onBare(() => tensor([1, 2]));
    expect(fusedUpdate('sgd', w, onBare(() => tensor([1, 1])), {}, { lr: 1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: 0, first: 0 })).toBe(false);
    expect(Array.from(w.dataSync())).toEqual([1, 2]);
    const p = tensor([1, 2]);
    expect(() => fusedUpdate('adam', p, tensor([1, 2]), { expAvg: tensor([1]) }, {})).toThrow('fusedUpdate (adam): expAvg has shape [1]; the parameter has [2]');
    expect(() => fusedUpdate('sgd', p, onBare(() => tensor([1, 2])), {}, {})).toThrow(/fusedUpdate \(sgd\): grad: tensors live on different backends/);
    expect(fusedUpdate('nope' as 'sgd', p, tensor([1, 2]), {}, {})).toBe(false);
  });

  it('tensorLike, fullLike, zerosLike and onesLike make tensors on the given tensor’s backend', () => {
    const p = onBare(() => tensor([1, 2]));
    expect(fullLike(p, 3).backend).toBe(bare);
    expect(nn.zerosLike(p).backend).toBe(bare);
    expect(Array.from(nn.onesLike(p).dataSync())).toEqual([1, 1]);
    const t = tensorLike(p, Float32Array.of(4, 5));
    expect(t.backend).toBe(bare);
    expect(Array.from(t.dataSync())).toEqual([4, 5]);
    expect(() => tensorLike(p, Float32Array.of(1))).toThrow('tensorLike: 1 values for shape [2]');
  });
});
