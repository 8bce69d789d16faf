import { describe, expect, it } from 'vitest';
import { setSeed } from '@nn/tensor';
import { getInitializer, initializers } from './index.js';

const stats = (v: Float32Array) => {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return { mean: m, variance: v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length, maxAbs: Math.max(...Array.from(v, Math.abs)) };
};

describe('initializers', () => {
  const fans = { fanIn: 300, fanOut: 200 };
  const shape = [300, 200];

  it('glorotUniform is uniform on ±sqrt(6/(nIn+nOut)), variance 2/(nIn+nOut)', () => {
    setSeed(0);
    const s = stats(getInitializer('glorotUniform').init(shape, fans).dataSync());
    expect(s.maxAbs).toBeLessThanOrEqual(Math.sqrt(6 / 500));
    expect(s.maxAbs).toBeGreaterThan(0.99 * Math.sqrt(6 / 500));
    expect(s.variance).toBeCloseTo(2 / 500, 4);
  });

  it('glorotNormal is a normal with variance 2/(nIn+nOut), as the course derives it', () => {
    setSeed(0);
    const s = stats(getInitializer('glorotNormal').init(shape, fans).dataSync());
    expect(Math.abs(s.mean)).toBeLessThan(1e-3);
    expect(s.variance / (2 / 500)).toBeGreaterThan(0.97);
    expect(s.variance / (2 / 500)).toBeLessThan(1.03);
    expect(s.maxAbs).toBeGreaterThan(3 * Math.sqrt(2 / 500)); // not truncated
  });

  it('heNormal is Keras\': truncated at 2 std and still of variance 2/nIn', () => {
    setSeed(0);
    const s = stats(getInitializer('heNormal').init(shape, fans).dataSync());
    const std = Math.sqrt(2 / 300) / 0.87962566103423978;
    expect(s.maxAbs).toBeLessThanOrEqual(2 * std + 1e-6);
    expect(s.variance / (2 / 300)).toBeGreaterThan(0.97);
    expect(s.variance / (2 / 300)).toBeLessThan(1.03);
  });

  it('heUniform, lecunNormal, randomNormal, randomUniform, zeros, ones', () => {
    setSeed(0);
    expect(stats(getInitializer('heUniform').init(shape, fans).dataSync()).maxAbs).toBeLessThanOrEqual(Math.sqrt(6 / 300));
    expect(stats(getInitializer('lecunNormal').init(shape, fans).dataSync()).variance / (1 / 300)).toBeCloseTo(1, 1);
    expect(stats(getInitializer('randomNormal').init(shape, fans).dataSync()).variance).toBeCloseTo(0.0025, 4);
    expect(stats(getInitializer('randomUniform').init(shape, fans).dataSync()).maxAbs).toBeLessThanOrEqual(0.05);
    expect(getInitializer('zeros').init([2], fans).toArray()).toEqual([0, 0]);
    expect(getInitializer('ones').init([2], fans).toArray()).toEqual([1, 1]);
    expect(initializers.constant(3).init([1], fans).toArray()).toEqual([3]);
  });

  it('are reproducible under setSeed and with their own seed', () => {
    setSeed(7);
    const a = getInitializer('glorotUniform').init([4, 4], { fanIn: 4, fanOut: 4 }).dataSync();
    setSeed(7);
    const b = getInitializer('glorotUniform').init([4, 4], { fanIn: 4, fanOut: 4 }).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    const c = initializers.heNormal({ seed: 1 }).init([4], { fanIn: 4, fanOut: 4 }).dataSync();
    const d = initializers.heNormal({ seed: 1 }).init([4], { fanIn: 4, fanOut: 4 }).dataSync();
    expect(Array.from(c)).toEqual(Array.from(d));
  });

  it('unknown names list near misses', () => {
    expect(() => getInitializer('glorotUnifrom')).toThrow(/Did you mean "glorotUniform"/);
  });
});
