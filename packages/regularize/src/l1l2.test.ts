import { deserialize, registry, serialize } from '@nn/core';
import { checkGradients, grad, tensor } from '@nn/tensor';
import { describe, expect, it } from 'vitest';
import type { L1, L2 } from './index.js';
import { L1L2, l1, l1l2, l2 } from './index.js';

const W = [
  [1, -2, 0.5],
  [-0.25, 3, 0],
];
const flat = W.flat();
const sumAbs = flat.reduce((s, v) => s + Math.abs(v), 0); // 6.75
const sumSq = flat.reduce((s, v) => s + v * v, 0); // 14.3125

describe('l1 / l2 / l1l2 penalties', () => {
  it('l2(lambda) is lambda * sum(W^2) (Keras: no 1/2)', () => {
    expect(sumSq).toBe(14.3125);
    expect(l2(0.1).penalty(tensor(W)).item()).toBeCloseTo(1.43125, 6);
  });

  it('l1(lambda) is lambda * sum(|W|)', () => {
    expect(sumAbs).toBe(6.75);
    expect(l1(0.2).penalty(tensor(W)).item()).toBeCloseTo(1.35, 6);
  });

  it('l1l2 adds both terms', () => {
    expect(l1l2({ l1: 0.2, l2: 0.1 }).penalty(tensor(W)).item()).toBeCloseTo(1.35 + 1.43125, 6);
    expect(l1l2({ l1: 0, l2: 0 }).penalty(tensor(W)).item()).toBe(0);
  });

  it('penalties are scalars', () => {
    for (const r of [l1(), l2(), l1l2()]) expect(r.penalty(tensor(W)).shape).toEqual([]);
  });

  it('the gradient of l2(lambda) is 2*lambda*W; l2(lambda/2) gives lambda*W (SGD weight decay lambda)', () => {
    const lambda = 0.3;
    const g = grad((w) => l2(lambda).penalty(w))(tensor(W)).dataSync();
    flat.forEach((v, i) => expect(g[i]).toBeCloseTo(2 * lambda * v, 6));
    const half = grad((w) => l2(lambda / 2).penalty(w))(tensor(W)).dataSync();
    flat.forEach((v, i) => expect(half[i]).toBeCloseTo(lambda * v, 6));
  });

  it('the gradient of l1(lambda) is lambda*sign(W), 0 at 0', () => {
    const g = grad((w) => l1(0.5).penalty(w))(tensor(W)).dataSync();
    expect(Array.from(g)).toEqual(flat.map((v) => 0.5 * Math.sign(v)));
  });

  it('passes a numerical gradient check (away from |W| = 0)', () => {
    const w = tensor([
      [0.7, -1.3],
      [2.1, -0.4],
    ]);
    for (const r of [l1(0.05), l2(0.2), l1l2({ l1: 0.05, l2: 0.2 })]) {
      const res = checkGradients((x) => r.penalty(x), [w]);
      expect(res.ok, JSON.stringify(res.worst)).toBe(true);
    }
  });

  it("given by name they take Keras' default 0.01", () => {
    const byName = (name: string) => registry.get('regularizer', name).fromConfig({});
    expect((byName('l1') as L1).l1).toBe(0.01);
    expect((byName('l2') as L2).l2).toBe(0.01);
    expect((byName('l1l2') as L1L2).getConfig()).toEqual({ l1: 0.01, l2: 0.01 });
    expect(byName('l1_l2')).toBeInstanceOf(L1L2);
    expect(l2().l2).toBe(0.01);
    expect(l1l2({ l1: 0.001 }).getConfig()).toEqual({ l1: 0.001, l2: 0.01 });
  });

  it('round-trips through JSON', () => {
    for (const r of [l1(0.003), l2(0.5), l1l2({ l1: 0.1, l2: 0.2 })]) {
      const json = JSON.parse(JSON.stringify(serialize(r)));
      const back = deserialize<L1 | L2 | L1L2>(json);
      expect(back).toBeInstanceOf(r.constructor);
      expect(back.getConfig()).toEqual(r.getConfig());
      expect(back.penalty(tensor(W)).item()).toBeCloseTo(r.penalty(tensor(W)).item(), 7);
    }
    expect(serialize(l1l2({ l1: 0.1, l2: 0.2 }))).toEqual({ kind: 'regularizer', name: 'l1l2', config: { l1: 0.1, l2: 0.2 }, format: 1 });
    expect(serialize(l2(0.5))).toEqual({ kind: 'regularizer', name: 'l2', config: { l2: 0.5 }, format: 1 });
  });

  it('refuses negative, non-finite or misplaced coefficients', () => {
    expect(() => l2(-1)).toThrow(/l2: lambda must be a non-negative number, got -1/);
    expect(() => l1(NaN)).toThrow(/l1: lambda/);
    expect(() => l1l2({ l1: Infinity })).toThrow(/l1l2: l1/);
    expect(() => l2({ l2: 0.1 } as unknown as number)).toThrow(/takes a number .* l1l2\(\{ l1, l2 \}\)/);
    expect(() => l1l2([] as unknown as { l1: number })).toThrow(/l1l2: expected an object of options \{ l1, l2 \}, got \[\]/);
    expect(() => l1l2({ L2: 0.1 } as never)).toThrow(/l1l2: unknown option "L2"; did you mean "l2"/);
  });
});
