import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, normalizeConfig } from './config.js';
import { getPreset } from './presets.js';
import { Trainer } from './trainer.js';

describe('Trainer', () => {
  it('lowers the test loss on circles and records lr, batch loss and one gradient norm per layer each step', () => {
    const t = new Trainer(normalizeConfig({ ...DEFAULT_CONFIG, data: { ...DEFAULT_CONFIG.data, points: 200 } }));
    const before = t.evals[0].testLoss;
    expect(t.run(150)).toBe(150);
    expect(t.lrs).toHaveLength(150);
    expect(t.gradNorms.every((g) => g.length === 3 && g.every((v) => v > 0))).toBe(true);
    expect(t.evals.at(-1)!.testLoss).toBeLessThan(before * 0.7);
    expect(t.evals.at(-1)!.testAcc).toBeGreaterThan(0.8);
  });

  it('is reproducible: the same config gives the same losses', () => {
    const run = () => {
      const t = new Trainer(getPreset('xor')!.config);
      t.run(30);
      return t.batchLosses;
    };
    expect(run()).toEqual(run());
  });

  it('shows vanishing gradients in the deep sigmoid preset: the first layer gets a far smaller norm than the last', () => {
    const t = new Trainer(getPreset('vanishing')!.config);
    t.run(5);
    const g = t.gradNorms.at(-1)!;
    expect(g).toHaveLength(9);
    expect(g[0] / g[g.length - 1]).toBeLessThan(1e-3);
  });

  it('kills ReLU units with a too-large step (flat pictures), and none with leaky ReLU', () => {
    const relu = new Trainer(getPreset('dyingRelu')!.config);
    expect(relu.flatUnits()).toBe(0);
    relu.run(200);
    expect(relu.flatUnits()).toBeGreaterThanOrEqual(4);
    const leaky = new Trainer(normalizeConfig({ ...getPreset('dyingRelu')!.config, layers: getPreset('dyingRelu')!.config.layers.map((l) => ({ ...l, activation: 'leakyRelu' })) }));
    leaky.run(200);
    expect(leaky.flatUnits()).toBe(0);
  });

  it('trains every activation, norm, residual and dropout together, under every optimizer, schedule and penalty', async () => {
    const { ACTIVATIONS, OPTIMIZERS, SCHEDULES } = await import('./config.js');
    const layers = ACTIVATIONS.map((activation, i) => ({ units: 4, activation, norm: (['none', 'batchNorm', 'layerNorm'] as const)[i % 3], residual: i % 8 > 0, dropout: i % 2 ? 0.1 : 0 }));
    const all = normalizeConfig({ ...DEFAULT_CONFIG, layers: layers.slice(0, 8), clipNorm: 1, l1: 1e-4, l2: 1e-3, patience: 3 });
    const rest = normalizeConfig({ ...all, layers: layers.slice(8) });
    OPTIMIZERS.forEach((optimizer, i) => {
      for (const c of [all, rest]) {
        const t = new Trainer({ ...c, optimizer, schedule: SCHEDULES[i % SCHEDULES.length], scheduleSteps: 20 });
        t.run(5);
        expect(t.batchLosses.every(Number.isFinite), `${optimizer} ${c.layers.map((l) => l.activation)}`).toBe(true);
      }
    });
  });

  it('halves the lr on a plateau of the test loss (reduceOnPlateau fed at each epoch end)', () => {
    const t = new Trainer(normalizeConfig({ ...DEFAULT_CONFIG, schedule: 'reduceOnPlateau', optimizer: 'sgd', lr: 1e-5, data: { ...DEFAULT_CONFIG.data, points: 40 } }));
    t.run(100);
    const distinct = [...new Set(t.lrs)];
    expect(distinct[0]).toBe(1e-5);
    expect(distinct.length).toBeGreaterThan(1);
    distinct.slice(1).forEach((v, i) => expect(v).toBeCloseTo(distinct[i] / 2, 15));
  });

  it('draws the output and each hidden unit on a grid, top row at x2 = 1', () => {
    const t = new Trainer(getPreset('xor')!.config);
    const { output, units } = t.grid(5);
    expect(output).toHaveLength(25);
    expect(units.map((u) => u.length)).toEqual([4]);
    for (const v of output) expect(v > 0 && v < 1).toBe(true);
  });

  it('stops early when the test loss stops improving, with the patience it was given', () => {
    const t = new Trainer(normalizeConfig({ ...DEFAULT_CONFIG, patience: 1, lr: 1e-5, optimizer: 'sgd', data: { ...DEFAULT_CONFIG.data, points: 40 } }));
    t.run(2000);
    expect(t.stopped).toBe(true);
    expect(t.stopReason).toMatch(/^early stopping at epoch \d+/);
  });

  it('restores the best epoch weights when it stops, and shows what they score', () => {
    // The dropout preset without dropout overfits: the test loss climbs after its best epoch.
    const p = getPreset('dropout')!.config;
    const t = new Trainer(normalizeConfig({ ...p, patience: 20, layers: p.layers.map((l) => ({ ...l, dropout: 0 })) }));
    t.run(3000);
    expect(t.stopReason).toMatch(/^early stopping/);
    const climbed = Math.max(...t.evals.slice(-20, -1).map((e) => e.testLoss));
    expect(climbed).toBeGreaterThan(t['early']!.best + 0.01);
    expect(t.evals.at(-1)!.testLoss).toBeCloseTo(t['early']!.best, 6);
  });
});
