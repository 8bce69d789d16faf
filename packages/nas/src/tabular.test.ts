import { describe, expect, it } from 'vitest';
import { digitsMlpBenchmark } from './index.js';

describe('digitsMlpBenchmark', () => {
  it('holds every architecture of its space once, with accuracies in [0, 1], and names what it cannot find', () => {
    const bench = digitsMlpBenchmark();
    const all = [...bench.space.enumerate()];
    expect(bench.size).toBe(420);
    expect(all).toHaveLength(420);
    for (const a of all) {
      const e = bench.query(a);
      for (const v of [e.validationAccuracy, e.testAccuracy]) expect(v >= 0 && v <= 1).toBe(true);
      // Accuracies of 359 validation / 360 test samples, averaged over 3 seeds, rounded to 4 decimals.
      expect(e.validationAccuracy).toBeGreaterThan(0.5);
    }
    expect(Math.max(...all.map((a) => bench.query(a).validationAccuracy))).toBe(bench.best.validationAccuracy);
    expect(bench.query(bench.best.architecture).testAccuracy).toBe(bench.best.testAccuracy);
    expect(() => bench.query({ numLayers: 1, layers: [{ units: 32, activation: 'relu', skip: null }] })).toThrow('architecture.layers.0.units is 32');
  });
});
