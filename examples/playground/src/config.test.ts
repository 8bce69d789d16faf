import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, configFromHash, configToHash, normalizeConfig } from './config.js';
import { makeDataset, parseBreastCancer, principalComponents } from './data.js';
import breastCancerCsv from './breast_cancer.csv?raw';
import { PRESETS } from './presets.js';

describe('config in the URL', () => {
  it('round-trips through the hash', () => {
    const c = normalizeConfig({ ...DEFAULT_CONFIG, optimizer: 'nadam', lr: 0.002, layers: [{ units: 3, activation: 'maxout', norm: 'layerNorm', residual: false, dropout: 0.1 }] });
    expect(configFromHash(configToHash(c))).toEqual(c);
  });

  it('keeps valid values, clamps ranges and replaces unknown ones with defaults', () => {
    const c = normalizeConfig({ optimizer: 'lion', lr: 1e9, batchSize: 3.4, layers: [{ units: 99, activation: 'relu' }], extra: 1 });
    expect(c.optimizer).toBe(DEFAULT_CONFIG.optimizer);
    expect(c.lr).toBe(100);
    expect(c.batchSize).toBe(3);
    expect(c.layers).toEqual([{ units: 16, activation: 'relu', norm: 'none', residual: false, dropout: 0 }]);
    expect('extra' in c).toBe(false);
  });

  it('opens the defaults from an empty or broken hash', () => {
    expect(configFromHash('')).toEqual(DEFAULT_CONFIG);
    expect(configFromHash('#c=%7Bnot json')).toEqual(DEFAULT_CONFIG);
  });

  it('has presets that are already normal configs', () => {
    for (const p of PRESETS) expect(normalizeConfig(p.config)).toEqual(p.config);
  });
});

describe('data sets', () => {
  it('splits points by the train ratio, inside the square, reproducibly', () => {
    for (const dataset of ['circles', 'xor', 'gaussians', 'spirals', 'regression'] as const) {
      const o = { ...DEFAULT_CONFIG.data, dataset, points: 100, trainRatio: 0.3 };
      const d = makeDataset(o);
      expect(d.train.y.length).toBe(30);
      expect(d.test.y.length).toBe(70);
      expect(makeDataset(o)).toEqual(d);
      if (dataset !== 'regression') expect(new Set(d.train.y.concat(d.test.y))).toEqual(new Set([0, 1]));
    }
  });

  it('labels XOR by the sign of x1·x2 when noise is 0', () => {
    const d = makeDataset({ ...DEFAULT_CONFIG.data, dataset: 'xor', noise: 0, points: 200 });
    d.train.x.forEach(([a, b], i) => expect(d.train.y[i]).toBe(a * b > 0 ? 1 : 0));
  });

  it('reads the 569 breast-cancer samples (212 malignant) and projects them to 2-D', () => {
    const { features, target } = parseBreastCancer(breastCancerCsv);
    expect(features).toHaveLength(569);
    expect(target.filter((t) => t === 0)).toHaveLength(212);
    const d = makeDataset({ ...DEFAULT_CONFIG.data, dataset: 'breastCancer', trainRatio: 0.8 });
    expect(d.train.y.length + d.test.y.length).toBe(569);
    expect(d.axes).toEqual(['PC 1', 'PC 2']);
    const f = makeDataset({ ...DEFAULT_CONFIG.data, dataset: 'breastCancer', projection: 'features', featureX: 0, featureY: 27 });
    expect(f.axes).toEqual(['mean radius', 'worst concave points']);
  });

  it('finds principal components as unit eigenvectors of the covariance', () => {
    // Points along the diagonal with a little spread across: PC 1 is ±(1, 1)/√2.
    const rows = [[-2, -2.1], [-1, -0.9], [0, 0.1], [1, 0.9], [2, 2.1]];
    const [p1, p2] = principalComponents(rows, 2);
    expect(Math.abs(p1[0])).toBeCloseTo(Math.SQRT1_2, 1);
    expect(Math.abs(p1[0] * p2[0] + p1[1] * p2[1])).toBeLessThan(1e-6);
  });

  it('refuses a malformed CSV row, naming it', () => {
    expect(() => parseBreastCancer('2,30,a,b\n' + '1,'.repeat(30) + '0\n1,2\n')).toThrow('breast_cancer.csv: row 3 is not 30 numbers and a target');
  });
});
