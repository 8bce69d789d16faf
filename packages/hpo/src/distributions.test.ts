import { describe, expect, it } from 'vitest';
import {
  categoricalDistribution,
  compatibilityError,
  contains,
  floatDistribution,
  fromInternal,
  gridValues,
  intDistribution,
  toInternal,
  validateDistribution,
} from './distributions.js';

describe('distributions', () => {
  it('validates float ranges with messages naming the call and option', () => {
    expect(() => floatDistribution(1, 0, {}, 'suggestFloat("lr")')).toThrow('suggestFloat("lr"): low (1) must not be greater than high (0)');
    expect(() => floatDistribution(0, 1, { log: true }, 'suggestFloat("lr")')).toThrow('suggestFloat("lr"): low must be > 0 when log is true, got 0');
    expect(() => floatDistribution(1, 2, { log: true, step: 0.1 }, 'f')).toThrow('f: step and log cannot be used together');
    expect(() => floatDistribution(0, 1, { step: 0 }, 'f')).toThrow('f: step must be a positive number, got 0');
    expect(() => floatDistribution(Number.NaN, 1, {}, 'f')).toThrow('f: low must be a finite number, got NaN');
    expect(() => floatDistribution(0, Infinity, {}, 'f')).toThrow('f: high must be a finite number, got Infinity');
    expect(floatDistribution(0, 1, { step: 0.3 })).toEqual({ type: 'float', low: 0, high: 0.9, log: false, step: 0.3 });
  });

  it('validates int ranges and categoricals', () => {
    expect(() => intDistribution(0.5, 3, {}, 'i')).toThrow('i: low must be an integer, got 0.5');
    expect(() => intDistribution(0, 3.5, {}, 'i')).toThrow('i: high must be an integer, got 3.5');
    expect(() => intDistribution(0, 3, { step: 0 }, 'i')).toThrow('i: step must be a positive integer, got 0');
    expect(() => intDistribution(1, 8, { log: true, step: 2 }, 'i')).toThrow('i: step must be 1 when log is true, got 2');
    expect(() => intDistribution(0, 8, { log: true }, 'i')).toThrow('i: low must be >= 1 when log is true, got 0');
    expect(() => intDistribution(3, 1, {}, 'i')).toThrow('i: low (3) must not be greater than high (1)');
    expect(intDistribution(0, 10, { step: 3 })).toMatchObject({ high: 9 });
    expect(() => categoricalDistribution([], 'c')).toThrow('c: choices must be a non-empty array');
    expect(() => categoricalDistribution(['a', 'a'], 'c')).toThrow('c: choices must be distinct');
    expect(() => categoricalDistribution([{} as never], 'c')).toThrow('c: choices[0] must be a number, string, boolean or null, got object');
    expect(() => validateDistribution({ type: 'beta' } as never, 'd')).toThrow('d: unknown distribution type beta');
  });

  it('maps to [0,1] with log transform and half-step padding, and back', () => {
    const f = floatDistribution(1e-4, 1e-1, { log: true });
    expect(toInternal(f, 1e-4)).toBeCloseTo(0);
    expect(toInternal(f, 1e-1)).toBeCloseTo(1);
    expect(toInternal(f, 1e-3)).toBeCloseTo(1 / 3);
    expect(fromInternal(f, 1 / 3)).toBeCloseTo(1e-3, 12);
    const i = intDistribution(0, 3);
    expect(toInternal(i, 0)).toBeCloseTo(0.125);
    expect(toInternal(i, 3)).toBeCloseTo(0.875);
    expect([0, 0.24, 0.26, 0.99, 1.5, -1].map((u) => fromInternal(i, u))).toEqual([0, 0, 1, 3, 3, 0]);
    const s = floatDistribution(0, 1, { step: 0.25 });
    expect(fromInternal(s, 0.45)).toBe(0.5);
    const c = categoricalDistribution(['a', 'b', 'c']);
    expect(toInternal(c, 'b')).toBe(1);
    expect(fromInternal(c, 1.6)).toBe('c');
    expect(() => toInternal(c, 'z')).toThrow('"z" is not one of the choices');
    expect(toInternal(floatDistribution(2, 2), 2)).toBe(0.5);
    // every point of a discrete range round-trips
    const li = intDistribution(1, 100, { log: true });
    for (let v = 1; v <= 100; v++) expect(fromInternal(li, toInternal(li, v))).toBe(v);
  });

  it('discretizes ranges for a grid, log ranges on a log scale', () => {
    expect(gridValues(floatDistribution(1e-4, 1e-1, { log: true }), 4)).toEqual([1e-4, 1e-3, 1e-2, 1e-1]);
    expect(gridValues(floatDistribution(0, 1), 3)).toEqual([0, 0.5, 1]);
    expect(gridValues(floatDistribution(0, 1))).toHaveLength(5);
    expect(gridValues(intDistribution(1, 5))).toEqual([1, 2, 3, 4, 5]);
    expect(gridValues(intDistribution(16, 256, { log: true }), 5)).toEqual([16, 32, 64, 128, 256]);
    expect(gridValues(floatDistribution(0, 0.5, { step: 0.1 }))).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(() => gridValues(floatDistribution(0, 1), 0)).toThrow('gridValues: n must be a positive integer, got 0');
  });

  it('contains and compatibility', () => {
    expect(contains(intDistribution(0, 10, { step: 2 }), 4)).toBe(true);
    expect(contains(intDistribution(0, 10, { step: 2 }), 5)).toBe(false);
    expect(contains(floatDistribution(0, 1), 1.5)).toBe(false);
    expect(contains(categoricalDistribution([null, 1]), null)).toBe(true);
    expect(compatibilityError('x', floatDistribution(0, 1), intDistribution(0, 1))).toContain('parameter "x" was suggested as float before and as int now');
    expect(compatibilityError('x', floatDistribution(0, 1), floatDistribution(0, 2))).toBeNull();
    expect(compatibilityError('c', categoricalDistribution(['a']), categoricalDistribution(['b']))).toContain('keeps its choices');
  });
});
