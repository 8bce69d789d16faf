import { describe, expect, it } from 'vitest';
import { loadBreastCancer, standardScaler, trainTestSplit } from './data.js';
import { courseExample, stableExample } from './experiments.js';

describe('the breast-cancer example', () => {
  it('loads the shipped data set and splits it 75/25 reproducibly', () => {
    const d = loadBreastCancer();
    expect(d.x).toHaveLength(569);
    expect(d.x[0]).toHaveLength(30);
    expect(d.classNames).toEqual(['malignant', 'benign']);
    const a = trainTestSplit(d.x, d.y, { seed: 0 });
    const b = trainTestSplit(d.x, d.y, { seed: 0 });
    expect(a.xTest).toHaveLength(143);
    expect(a.xTrain).toHaveLength(426);
    expect(a.yTest).toEqual(b.yTest);
    const scaled = standardScaler(a.xTrain)(a.xTrain);
    expect(Math.abs(scaled.reduce((s, r) => s + r[0], 0) / scaled.length)).toBeLessThan(1e-9);
  });

  it("runs the course's example as written (10 epochs, 14 steps each) to a finite loss", async () => {
    const r = await courseExample({ verbose: 0 });
    expect(r.history.history.loss).toHaveLength(10);
    expect(r.history.params.steps).toBe(14);
    expect(Number.isFinite(r.testLoss)).toBe(true);
    expect(r.testAccuracy).toBeGreaterThanOrEqual(0);
  });

  it('the stable variant reaches at least 0.95 test accuracy with the default seed', async () => {
    const r = await stableExample({ verbose: 0 });
    expect(r.testAccuracy).toBeGreaterThanOrEqual(0.95);
  });
});
