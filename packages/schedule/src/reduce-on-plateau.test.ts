import { deserialize, runCallbacks, serialize, type Callback } from '@nn/core';
import { describe, expect, it } from 'vitest';
import golden from './fixtures/schedule.json';
import { reduceOnPlateau, type ReduceOnPlateau } from './index.js';

const plateau = golden.cases.find((c) => c.schedule === 'ReduceLROnPlateau')!;
const goldenOptions = { lr: 0.1, factor: 0.5, patience: 4, threshold: 0.001, cooldown: 1, minLr: 0.0001 };

const feed = (s: ReduceOnPlateau, metrics: number[]) => metrics.map((m) => s.update(m));

describe('reduceOnPlateau', () => {
  it('reduces after more than `patience` updates without improvement, and returns the new lr', () => {
    const s = reduceOnPlateau({ lr: 1, patience: 2, factor: 0.5 });
    expect(feed(s, [1, 1, 1, 1, 1, 1])).toEqual([1, 1, 1, 0.5, 0.5, 0.5]);
    expect(s.lrAt(0)).toBe(0.5);
    expect(s.lrAt(12345)).toBe(0.5);
  });

  it("rel threshold: an improvement smaller than best * threshold doesn't count", () => {
    const s = reduceOnPlateau({ lr: 1, patience: 0, factor: 0.5, threshold: 0.1 });
    s.update(1);
    expect(s.update(0.95)).toBe(0.5); // not < 0.9
    expect(s.update(0.5)).toBe(0.5); // < 0.9: better
  });

  it('abs threshold: better means below best - threshold', () => {
    const s = reduceOnPlateau({ lr: 1, patience: 0, factor: 0.5, threshold: 0.1, thresholdMode: 'abs' });
    s.update(1);
    expect(s.update(0.91)).toBe(0.5);
    expect(s.update(0.85)).toBe(0.5);
    expect(s.update(0.8)).toBe(0.25); // best is 0.85; 0.8 is not below 0.75
  });

  it('mode max: higher is better (rel and abs)', () => {
    const rel = reduceOnPlateau({ lr: 1, mode: 'max', patience: 0, factor: 0.5, threshold: 0.1 });
    rel.update(0.5);
    expect(rel.update(0.54)).toBe(0.5); // not > 0.55
    expect(rel.update(0.6)).toBe(0.5);
    const abs = reduceOnPlateau({ lr: 1, mode: 'max', patience: 0, factor: 0.5, threshold: 0.05, thresholdMode: 'abs' });
    abs.update(0.5);
    expect(abs.update(0.56)).toBe(1);
    expect(abs.update(0.6)).toBe(0.5);
  });

  it('cooldown: bad updates are not counted for `cooldown` updates after a reduction', () => {
    const s = reduceOnPlateau({ lr: 1, patience: 1, factor: 0.5, cooldown: 2 });
    expect(feed(s, [1, 1, 1, 1, 1, 1, 1, 1, 1])).toEqual([1, 1, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25]);
  });

  it('never goes below minLr, and skips a reduction smaller than eps', () => {
    const s = reduceOnPlateau({ lr: 1, patience: 0, factor: 0.1, minLr: 0.05 });
    expect(feed(s, [1, 1, 1, 1])).toEqual([1, 0.1, 0.05, 0.05]);
    const tiny = reduceOnPlateau({ lr: 1e-8, patience: 0, factor: 0.5, eps: 1e-8 });
    expect(feed(tiny, [1, 1])).toEqual([1e-8, 1e-8]);
  });

  it('counts a NaN metric as no improvement, as PyTorch', () => {
    const s = reduceOnPlateau({ lr: 1, patience: 1, factor: 0.5 });
    expect(feed(s, [1, NaN, NaN])).toEqual([1, 1, 0.5]);
  });

  it('is a Callback: fit drives it from logs[monitor] at the end of every epoch (the golden run)', async () => {
    const s = reduceOnPlateau({ ...goldenOptions, monitor: 'val_loss' });
    const callbacks: Callback[] = [s];
    const lrs: number[] = [];
    for (let epoch = 0; epoch < plateau.metrics!.length; epoch++) {
      lrs.push(s.lrAt(epoch));
      await runCallbacks(callbacks, 'onEpochEnd', epoch, { loss: 99, val_loss: plateau.metrics![epoch] });
    }
    lrs.forEach((lr, t) => expect(Math.abs(lr - plateau.values[t].lr)).toBeLessThanOrEqual(1e-9));
  });

  it('monitors any metric, e.g. val_accuracy with mode max', async () => {
    const s = reduceOnPlateau({ lr: 1, mode: 'max', patience: 0, factor: 0.5, monitor: 'val_accuracy' });
    await runCallbacks([s], 'onEpochEnd', 0, { val_accuracy: 0.8 });
    await runCallbacks([s], 'onEpochEnd', 1, { val_accuracy: 0.7 });
    expect(s.lrAt(0)).toBe(0.5);
  });

  it('names the missing metric and a near miss instead of silently doing nothing', () => {
    const s = reduceOnPlateau({ lr: 1, monitor: 'val_los' });
    expect(() => s.onEpochEnd(0, { loss: 1, val_loss: 1 })).toThrow(
      'reduceOnPlateau: monitor "val_los" is not in the epoch logs; did you mean "val_loss"? (logs: loss, val_loss); pass validation data to fit, or set monitor',
    );
    expect(() => reduceOnPlateau({ lr: 1 }).onEpochEnd(0)).toThrow('monitor "val_loss" is not in the epoch logs (logs: none)');
  });

  it('resumes from getConfig + state(): the same lrs as an uninterrupted run', () => {
    const metrics = plateau.metrics!;
    const whole = reduceOnPlateau(goldenOptions);
    const wholeLrs = feed(whole, metrics);

    const first = reduceOnPlateau(goldenOptions);
    feed(first, metrics.slice(0, 23));
    const checkpoint = JSON.parse(JSON.stringify({ schedule: serialize(first), state: first.state() }));
    const resumed = deserialize<ReduceOnPlateau>(checkpoint.schedule);
    resumed.loadState(checkpoint.state);
    expect(resumed.state()).toEqual(first.state());
    expect([...feed(first, []), ...feed(resumed, metrics.slice(23))]).toEqual(wholeLrs.slice(23));
  });

  it('state() before any update holds best as null (JSON has no Infinity)', () => {
    expect(reduceOnPlateau({ lr: 0.1 }).state()).toEqual({ lr: 0.1, best: null, numBadEpochs: 0, cooldownCounter: 0, lastEpoch: 0 });
  });

  it('loadState refuses corrupt counters', () => {
    const s = reduceOnPlateau({ lr: 0.1 });
    const good = s.state();
    expect(() => s.loadState({ ...good, numBadEpochs: -1 })).toThrow('reduceOnPlateau.loadState: numBadEpochs must be a non-negative integer, got -1');
    expect(() => s.loadState({ ...good, lr: -1 })).toThrow('reduceOnPlateau.loadState: lr must be a non-negative number, got -1');
    expect(() => s.loadState({ ...good, best: 'x' as unknown as number })).toThrow('reduceOnPlateau.loadState: best must be a number or null, got x');
    expect(() => s.loadState({ ...good, bset: 1 } as unknown as typeof good)).toThrow('reduceOnPlateau.loadState: unknown field "bset"; did you mean "best"? (fields: lr, best, numBadEpochs, cooldownCounter, lastEpoch)');
    expect(() => s.update('1' as unknown as number)).toThrow('reduceOnPlateau: update(metric) expects a number, got 1');
  });
});
