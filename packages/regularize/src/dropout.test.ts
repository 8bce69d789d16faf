import { deserialize, registry, serialize } from '@nn/core';
import type { Sequential } from '@nn/layers';
import { dense, getLayerClass, sequential } from '@nn/layers';
import { ones, randn, setSeed, sum, tensor, type Tensor } from '@nn/tensor';
import { describe, expect, it } from 'vitest';
import { Dropout, dropout } from './index.js';

const values = (t: Tensor) => Array.from(t.dataSync());

describe('dropout', () => {
  it('is the identity at inference', () => {
    const x = randn([4, 6]);
    const layer = dropout(0.5);
    expect(layer.apply(x)).toBe(x);
    expect(layer.apply(x, { training: false })).toBe(x);
  });

  it('is deterministic under setSeed, and different seeds give different masks', () => {
    const layer = dropout(0.5);
    const x = ones([8, 16]);
    setSeed(123);
    const a = values(layer.apply(x, { training: true }));
    const a2 = values(layer.apply(x, { training: true }));
    setSeed(123);
    expect(values(layer.apply(x, { training: true }))).toEqual(a);
    expect(values(layer.apply(x, { training: true }))).toEqual(a2);
    expect(a2).not.toEqual(a);
    setSeed(124);
    expect(values(layer.apply(x, { training: true }))).not.toEqual(a);
  });

  it('drops the expected fraction of units (binomial tolerance) and keeps the mean by scaling survivors by 1/(1-rate)', () => {
    setSeed(7);
    const n = 100_000;
    for (const rate of [0.1, 0.3, 0.5, 0.8]) {
      const y = values(dropout(rate).apply(ones([200, n / 200]), { training: true }));
      const dropped = y.filter((v) => v === 0).length / n;
      // 5 standard deviations of a binomial proportion.
      const sd = Math.sqrt((rate * (1 - rate)) / n);
      expect(Math.abs(dropped - rate), `rate ${rate}: dropped ${dropped}`).toBeLessThan(5 * sd);
      // Every survivor is exactly 1/(1-rate) (in float32), so the mean stays 1 in expectation.
      const kept = new Set(y.filter((v) => v !== 0));
      expect([...kept]).toEqual([Math.fround(1 / (1 - rate))]);
      const mean = y.reduce((s, v) => s + v, 0) / n;
      expect(Math.abs(mean - 1)).toBeLessThan((5 * sd) / (1 - rate));
    }
  });

  it('passes gradients through the kept units only, scaled', () => {
    setSeed(3);
    const x = randn([5, 7]);
    x.requiresGrad = true;
    const y = dropout(0.4).apply(x, { training: true });
    // Read before backward, which releases the graph's intermediates (y among them).
    const yv = values(y);
    sum(y).backward();
    const g = values(x.grad!);
    const xv = values(x);
    g.forEach((gi, i) => {
      if (yv[i] === 0) expect(gi).toBe(0);
      else {
        expect(gi).toBeCloseTo(1 / 0.6, 6);
        expect(yv[i]).toBeCloseTo(xv[i] / 0.6, 5);
      }
    });
  });

  it('rate 0 is the identity even while training', () => {
    const x = randn([3, 3]);
    expect(dropout(0).apply(x, { training: true })).toBe(x);
  });

  it('noiseShape broadcasts one mask: [1, null] drops the same features in every row', () => {
    setSeed(11);
    const y = values(dropout(0.5, { noiseShape: [1, null] }).apply(ones([6, 20]), { training: true }));
    const rows = Array.from({ length: 6 }, (_, r) => y.slice(r * 20, (r + 1) * 20));
    for (const row of rows) expect(row).toEqual(rows[0]);
    expect(rows[0].some((v) => v === 0) && rows[0].some((v) => v === 2)).toBe(true);
    const perRow = values(dropout(0.5, { noiseShape: [null, 1] }).apply(ones([40, 5]), { training: true }));
    for (let r = 0; r < 40; r++) expect(new Set(perRow.slice(r * 5, r * 5 + 5)).size).toBe(1);
    expect(() => dropout(0.5, { noiseShape: [2, null] }).apply(ones([6, 20]), { training: true })).toThrow(/does not broadcast to the input shape \[6,20\] \(axis 0\)/);
    expect(() => dropout(0.5, { noiseShape: [null] }).apply(ones([6, 20]), { training: true })).toThrow(/has 1 axes but the input has shape \[6,20\]/);
  });

  it('seed: the layer draws from a stream of its own, unaffected by setSeed', () => {
    const x = ones([10, 10]);
    const a = dropout(0.5, { seed: 42 });
    const b = dropout(0.5, { seed: 42 });
    setSeed(1);
    const ya = values(a.apply(x, { training: true }));
    setSeed(2);
    expect(values(b.apply(x, { training: true }))).toEqual(ya);
    const rebuilt = deserialize<Dropout>(serialize(dropout(0.5, { seed: 42 })));
    expect(values(rebuilt.apply(x, { training: true }))).toEqual(ya);
  });

  it('is registered as the layer "dropout" and round-trips through JSON', () => {
    expect(getLayerClass('dropout')).toBe(Dropout);
    expect(registry.has('layer', 'dropout')).toBe(true);
    const layer = dropout(0.25, { noiseShape: [null, 1], seed: 5, name: 'drop' });
    const json = JSON.parse(JSON.stringify(serialize(layer)));
    expect(json).toEqual({ kind: 'layer', name: 'dropout', config: { name: 'drop', trainable: true, rate: 0.25, noiseShape: [null, 1], seed: 5 }, format: 1 });
    const back = deserialize<Dropout>(json);
    expect(back).toBeInstanceOf(Dropout);
    expect(back.getConfig()).toEqual(layer.getConfig());
  });

  it('sits in a sequential: no weights, saved with the model, identity in predict', () => {
    setSeed(0);
    const model = sequential([dense(4, { inputShape: [3], activation: 'relu' }), dropout(0.5), dense(2)]);
    const plain = sequential([dense(4, { inputShape: [3], activation: 'relu' }), dense(2)]);
    model.ensureBuilt([null, 3]);
    plain.ensureBuilt([null, 3]);
    plain.setWeights(model.getWeights());
    expect(model.countParams()).toBe(plain.countParams());
    const x = randn([5, 3]);
    expect(values(model.predict(x))).toEqual(values(plain.predict(x)));
    const back = deserialize<Sequential>(JSON.parse(JSON.stringify(model.toJSON())));
    expect(back.layers[1]).toBeInstanceOf(Dropout);
    expect((back.layers[1] as Dropout).rate).toBe(0.5);
  });

  it('refuses rates outside [0, 1) and bad options', () => {
    expect(() => dropout(1)).toThrow(/rate must be a number in \[0, 1\) \(the fraction of units dropped\), got 1/);
    expect(() => dropout(-0.1)).toThrow(/rate/);
    expect(() => dropout(Number.NaN)).toThrow(/rate/);
    expect(() => dropout(0.5, { noiseShape: [0, null] })).toThrow(/noiseShape must be an array of positive integers or nulls/);
    expect(() => dropout(0.5, { seed: Infinity })).toThrow(/seed must be a finite number/);
  });

  it('predict on a tensor literal works through the layer stack', () => {
    const m = sequential([dropout(0.9, { inputShape: [2] })]);
    expect(values(m.predict(tensor([[1, 2]])))).toEqual([1, 2]);
  });
});
