import { BatchNorm, Dense, LayerNorm, Maxout, PReLU, Residual, Swish, type Sequential } from '@nn/layers';
import { Adam, SGD } from '@nn/optim';
import { Dropout } from '@nn/regularize';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, normalizeConfig, type LayerConfig, type PlaygroundConfig } from './config.js';
import { ConfigError, buildModel, buildOptimizer, buildSchedule } from './model.js';

const layer = (l: Partial<LayerConfig>): LayerConfig => ({ units: 4, activation: 'tanh', norm: 'none', residual: false, dropout: 0, ...l });
const cfg = (c: Partial<PlaygroundConfig>): PlaygroundConfig => normalizeConfig({ ...DEFAULT_CONFIG, ...c });
const kinds = (m: Sequential) => m.layers.map((b) => ('layers' in b ? (b as Sequential).layers.map((l) => l.constructor.name) : [b.constructor.name]));

describe('buildModel', () => {
  it('makes one block per hidden layer, then a sigmoid output unit, with kernels [in, out]', () => {
    const { model, kernels, blocks } = buildModel(cfg({ layers: [layer({ units: 3 }), layer({ units: 5 })] }), 'classification');
    expect(blocks).toHaveLength(3);
    expect(kernels.map((k) => k.shape)).toEqual([[2, 3], [3, 5], [5, 1]]);
    const out = model.predict([[0.5, -0.5], [1, 1]]) as { dataSync(): Float32Array };
    for (const v of out.dataSync()) expect(v > 0 && v < 1).toBe(true);
  });

  it('orders a block dense → norm → activation → dropout, and wraps residual blocks', () => {
    const { model } = buildModel(cfg({ layers: [layer({ units: 2, norm: 'batchNorm', activation: 'prelu', dropout: 0.2, residual: true }), layer({ units: 2, norm: 'layerNorm', activation: 'swish' })] }), 'classification');
    expect(model.layers[0]).toBeInstanceOf(Residual);
    const inner = (model.layers[0] as Residual).block as Sequential;
    expect(inner.layers.map((l) => l.constructor)).toEqual([Dense, BatchNorm, PReLU, Dropout]);
    expect((model.layers[1] as Sequential).layers.map((l) => l.constructor)).toEqual([Dense, LayerNorm, Swish]);
    expect(kinds(model).at(-1)).toEqual(['Dense']);
  });

  it('learns swish beta when asked (one extra weight), and builds maxout units with K pieces', () => {
    const learn = buildModel(cfg({ swishLearnable: true, layers: [layer({ activation: 'swish' })] }), 'classification');
    const fixed = buildModel(cfg({ swishLearnable: false, layers: [layer({ activation: 'swish' })] }), 'classification');
    expect(learn.model.getWeights().length - fixed.model.getWeights().length).toBe(1);
    const mx = buildModel(cfg({ maxoutPieces: 3, layers: [layer({ activation: 'maxout', units: 4 })] }), 'classification');
    expect((mx.model.layers[0] as Sequential).layers[0]).toBeInstanceOf(Maxout);
    expect(mx.kernels[0].shape).toEqual([3, 2, 4]);
  });

  it('is reproducible from the seed and differs across seeds', () => {
    const w = (seed: number) => Array.from(buildModel(cfg({ seed }), 'classification').kernels[0].dataSync());
    expect(w(7)).toEqual(w(7));
    expect(w(7)).not.toEqual(w(8));
  });

  it('refuses a residual block that changes the width, naming the layer', () => {
    expect(() => buildModel(cfg({ layers: [layer({ units: 4, residual: true })] }), 'classification')).toThrow(new ConfigError('layer 1: a residual block must keep the width; it has 4 units and 2 inputs'));
  });

  it('gives a linear output for regression and allows no hidden layer at all', () => {
    const { model, kernels } = buildModel(cfg({ layers: [] }), 'regression');
    expect(kernels.map((k) => k.shape)).toEqual([[2, 1]]);
    const [k, b] = model.getWeights().map((t) => Array.from(t.dataSync()));
    const out = (model.predict([[2, 3]]) as { dataSync(): Float32Array }).dataSync()[0];
    expect(out).toBeCloseTo(2 * k[0] + 3 * k[1] + b[0], 5);
  });
});

describe('buildSchedule and buildOptimizer', () => {
  it('warms up over a tenth of the steps, then follows a half cosine to 0', () => {
    const s = buildSchedule(cfg({ schedule: 'warmupCosine', lr: 0.1, scheduleSteps: 100 }));
    expect(s.lrAt(0)).toBeCloseTo(0.01, 10);
    expect(s.lrAt(9)).toBeCloseTo(0.1, 10);
    expect(s.lrAt(10 + 45)).toBeCloseTo(0.05, 10);
    expect(s.lrAt(100)).toBeCloseTo(0, 10);
  });

  it('drops tenfold at half and three quarters of the steps (multiStep), and ends polynomialDecay at lr/100', () => {
    const m = buildSchedule(cfg({ schedule: 'multiStep', lr: 1, scheduleSteps: 100 }));
    expect([m.lrAt(49), m.lrAt(50), m.lrAt(74), m.lrAt(75)].map((v) => Number(v.toPrecision(6)))).toEqual([1, 0.1, 0.1, 0.01]);
    expect(buildSchedule(cfg({ schedule: 'polynomialDecay', lr: 1, scheduleSteps: 100 })).lrAt(100)).toBeCloseTo(0.01, 10);
  });

  it('decays exponentially to 1% of the lr over scheduleSteps', () => {
    const s = buildSchedule(cfg({ schedule: 'exponentialDecay', lr: 0.5, scheduleSteps: 200 }));
    expect(s.lrAt(200)).toBeCloseTo(0.005, 8);
  });

  it('builds every schedule and optimizer of the menus', async () => {
    const { OPTIMIZERS, SCHEDULES } = await import('./config.js');
    for (const schedule of SCHEDULES) for (const t of [0, 10, 999]) expect(Number.isFinite(buildSchedule(cfg({ schedule })).lrAt(t))).toBe(true);
    for (const optimizer of OPTIMIZERS) expect(buildOptimizer(cfg({ optimizer, clipNorm: 1 }), buildSchedule(cfg({})))).toBeTruthy();
  });

  it('maps momentum and Nesterov onto SGD with momentum 0.9, and passes clipping', () => {
    const nes = buildOptimizer(cfg({ optimizer: 'nesterov', clipNorm: 2 }), buildSchedule(cfg({}))) as SGD;
    expect(nes).toBeInstanceOf(SGD);
    expect(nes.defaults.momentum).toBe(0.9);
    expect(nes.defaults.nesterov).toBe(true);
    expect(nes.clipNorm).toBe(2);
    expect(buildOptimizer(cfg({ optimizer: 'adam' }), buildSchedule(cfg({})))).toBeInstanceOf(Adam);
  });
});
