import { describe, expect, it } from 'vitest';
import { RNG } from './rng.js';

describe('RNG', () => {
  it('is reproducible from a seed and differs between seeds', () => {
    const a = new RNG(42);
    const b = new RNG(42);
    const c = new RNG(43);
    const xs = Array.from({ length: 5 }, () => a.random());
    expect(Array.from({ length: 5 }, () => b.random())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.random())).not.toEqual(xs);
  });

  it('draws uniform floats in [0,1) with the right mean, and integers over the whole inclusive range', () => {
    const r = new RNG(1);
    let sum = 0;
    const seen = new Set<number>();
    for (let i = 0; i < 20000; i++) {
      const u = r.random();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      sum += u;
      seen.add(r.integer(-2, 2));
    }
    expect(sum / 20000).toBeCloseTo(0.5, 1);
    expect([...seen].sort()).toEqual([-1, -2, 0, 1, 2]);
  });

  it('normal draws have mean 0 and variance 1', () => {
    const r = new RNG(7);
    const xs = Array.from({ length: 20000 }, () => r.normal());
    const m = xs.reduce((a, b) => a + b) / xs.length;
    const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length;
    expect(Math.abs(m)).toBeLessThan(0.03);
    expect(Math.abs(v - 1)).toBeLessThan(0.05);
  });

  it('resumes exactly from a saved state', () => {
    const a = new RNG(3);
    a.random();
    const state = a.getState();
    const next = a.random();
    const b = new RNG(99);
    b.setState(state);
    expect(b.random()).toBe(next);
    expect(() => b.setState([0, 0, 0, 0])).toThrow('all-zero');
    expect(() => b.setState([1, 2])).toThrow('four 32-bit');
    expect(() => new RNG(Number.NaN)).toThrow('RNG: seed must be a finite number');
  });
});
