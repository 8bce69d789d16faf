import { deserialize, registry, runCallbacks, serialize, type Callback, type TrainingTarget } from '@nn/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EarlyStopping, earlyStopping, type EarlyStoppingOptions } from './index.js';

/** A model whose "weights" are the number of the epoch that produced them. */
class FakeModel implements TrainingTarget {
  stopTraining = false;
  weights: number[] = [-1];
  setCalls = 0;
  getWeights(): unknown[] {
    return [...this.weights];
  }
  setWeights(w: unknown[]): void {
    this.weights = [...(w as number[])];
    this.setCalls++;
  }
}

/** Drives the callback the way `fit` does, epoch e "training" to weights [e] and logging curve[e]. */
async function run(cb: Callback, curve: number[], { key = 'val_loss', epochs = curve.length, model = new FakeModel() } = {}) {
  model.stopTraining = false;
  cb.setTarget?.(model);
  await runCallbacks([cb], 'onTrainBegin', {});
  let ran = 0;
  for (let e = 0; e < epochs && !model.stopTraining; e++) {
    await runCallbacks([cb], 'onEpochBegin', e, {});
    model.weights = [e];
    ran++;
    await runCallbacks([cb], 'onEpochEnd', e, { loss: 0, [key]: curve[e] });
  }
  await runCallbacks([cb], 'onTrainEnd', {});
  return { ran, model };
}

const stopsAt = async (options: EarlyStoppingOptions, curve: number[], key?: string) => {
  const es = earlyStopping(options);
  const { ran, model } = await run(es, curve, { key });
  return { es, ran, model, stopped: es.stoppedEpoch };
};

afterEach(() => vi.restoreAllMocks());

describe('earlyStopping', () => {
  it('stops when val_loss has not improved for `patience` epochs', async () => {
    const { es, ran } = await stopsAt({ patience: 2 }, [1.0, 0.8, 0.7, 0.75, 0.72, 0.71, 0.6]);
    expect(es.stoppedEpoch).toBe(4);
    expect(ran).toBe(5);
    expect(es.bestEpoch).toBe(2);
    expect(es.best).toBe(0.7);
  });

  it('patience 0 (the default) stops at the first epoch without improvement', async () => {
    const { es, ran } = await stopsAt({}, [1, 0.9, 0.95, 0.5]);
    expect(es.stoppedEpoch).toBe(2);
    expect(ran).toBe(3);
    expect(es.bestEpoch).toBe(1);
  });

  it('never stops on an improving curve; stoppedEpoch stays 0', async () => {
    const { es, ran } = await stopsAt({ patience: 0 }, [5, 4, 3, 2, 1]);
    expect(ran).toBe(5);
    expect(es.stoppedEpoch).toBe(0);
    expect(es.bestEpoch).toBe(4);
  });

  it('minDelta: a smaller change is no improvement (its sign is ignored, as Keras)', async () => {
    const curve = [1.0, 0.97, 0.94, 0.9, 0.86, 0.85, 0.84];
    // e1 .97 (needs < .95) no; e2 .94 yes; e3 .90 (needs < .89) no; e4 .86 yes; e5, e6 no → stop at 6.
    for (const minDelta of [0.05, -0.05]) {
      const { es, ran } = await stopsAt({ patience: 2, minDelta }, curve);
      expect(es.stoppedEpoch).toBe(6);
      expect(ran).toBe(7);
      expect(es.bestEpoch).toBe(4);
      expect(es.best).toBe(0.86);
    }
    const plain = await stopsAt({ patience: 2 }, curve);
    expect(plain.ran).toBe(7);
    expect(plain.es.stoppedEpoch).toBe(0);
  });

  it('baseline: epochs that do not beat it count towards patience, even while improving', async () => {
    // Never reaching 0.5: stops after `patience` epochs although each epoch improves on the last.
    const slow = await stopsAt({ patience: 2, baseline: 0.5 }, [0.9, 0.8, 0.7, 0.6, 0.4]);
    expect(slow.es.stoppedEpoch).toBe(1);
    expect(slow.ran).toBe(2);
    expect(slow.es.bestEpoch).toBe(1);
    // Flat above the baseline.
    const flat = await stopsAt({ patience: 2, baseline: 0.5 }, [0.9, 0.95, 0.97, 0.2]);
    expect(flat.es.stoppedEpoch).toBe(1);
    // Beating the baseline from epoch 1 on: runs as without a baseline.
    const good = await stopsAt({ patience: 2, baseline: 0.85 }, [0.9, 0.8, 0.7, 0.6, 0.4]);
    expect(good.ran).toBe(5);
    expect(good.es.stoppedEpoch).toBe(0);
    // Beats the baseline at epoch 1, then stalls: patience runs from epoch 1.
    const late = await stopsAt({ patience: 2, baseline: 0.5 }, [0.9, 0.45, 0.46, 0.47, 0.1]);
    expect(late.es.stoppedEpoch).toBe(3);
    expect(late.es.bestEpoch).toBe(1);
  });

  it('startFromEpoch: the warm-up epochs are neither best nor counted', async () => {
    const curve = [1, 2, 3, 4, 5, 3.5, 6];
    const warm = await stopsAt({ patience: 1, startFromEpoch: 3, restoreBestWeights: true }, curve);
    expect(warm.es.stoppedEpoch).toBe(4);
    expect(warm.ran).toBe(5);
    expect(warm.es.bestEpoch).toBe(3);
    expect(warm.model.weights).toEqual([3]);
    const cold = await stopsAt({ patience: 1 }, curve);
    expect(cold.es.stoppedEpoch).toBe(1);
    expect(cold.es.bestEpoch).toBe(0);
  });

  it("mode max (explicit, or auto for an accuracy) stops when the metric stops rising", async () => {
    const curve = [0.5, 0.6, 0.65, 0.64, 0.6, 0.7];
    for (const options of [{ monitor: 'val_accuracy', patience: 2 }, { monitor: 'val_score', mode: 'max' as const, patience: 2 }]) {
      const { es, ran } = await stopsAt(options, curve, options.monitor);
      expect(es.maximizes).toBe(true);
      expect(es.stoppedEpoch).toBe(4);
      expect(ran).toBe(5);
      expect(es.bestEpoch).toBe(2);
      expect(es.best).toBe(0.65);
    }
    // The same curve minimized: 0.5 stays best, so it stops at epoch 2.
    const min = await stopsAt({ monitor: 'val_accuracy', mode: 'min', patience: 2 }, curve, 'val_accuracy');
    expect(min.es.stoppedEpoch).toBe(2);
    expect(min.es.bestEpoch).toBe(0);
  });

  it('auto mode maximizes accuracy-like names and minimizes the rest', () => {
    const maximizes = (monitor: string) => earlyStopping({ monitor }).maximizes;
    for (const m of ['val_accuracy', 'accuracy', 'val_acc', 'val_binaryAccuracy', 'auc', 'val_precision', 'recall', 'f1']) expect(maximizes(m), m).toBe(true);
    for (const m of ['val_loss', 'loss', 'val_mse', 'mae']) expect(maximizes(m), m).toBe(false);
  });

  it('restoreBestWeights: the model ends with the best epoch’s weights when it stops early', async () => {
    const { model, es } = await stopsAt({ patience: 2, restoreBestWeights: true }, [1.0, 0.8, 0.7, 0.75, 0.72, 0.71]);
    expect(es.stoppedEpoch).toBe(4);
    expect(model.weights).toEqual([2]);
    expect(es.bestWeights).toEqual([2]);
  });

  it('restoreBestWeights: also when training runs out of epochs (Keras 3)', async () => {
    const { model, ran, es } = await stopsAt({ patience: 10, restoreBestWeights: true }, [1, 0.5, 0.7, 0.8]);
    expect(ran).toBe(4);
    expect(es.stoppedEpoch).toBe(0);
    expect(model.weights).toEqual([1]);
  });

  it('without restoreBestWeights the last epoch’s weights stay', async () => {
    const { model } = await stopsAt({ patience: 2 }, [1.0, 0.8, 0.7, 0.75, 0.72, 0.71]);
    expect(model.weights).toEqual([4]);
    expect(model.setCalls).toBe(0);
  });

  it('keeps a copy: later training does not change the saved best weights', async () => {
    const model = new FakeModel();
    const es = earlyStopping({ patience: 5, restoreBestWeights: true });
    es.setTarget(model);
    es.onTrainBegin();
    model.weights = [7];
    es.onEpochEnd(0, { val_loss: 1 });
    model.weights[0] = 99;
    es.onTrainEnd();
    expect(model.weights).toEqual([7]);
  });

  it('a NaN value is never an improvement', async () => {
    const { es } = await stopsAt({ patience: 1 }, [1, NaN, 0.5]);
    expect(es.stoppedEpoch).toBe(1);
    expect(es.best).toBe(1);
  });

  it('warns once when the monitored value is not logged, and does not stop', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const es = earlyStopping({ patience: 0 });
    const { ran } = await run(es, [1, 2, 3], { key: 'loss_only' });
    expect(ran).toBe(3);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(/monitoring "val_loss", which is not logged; logged: loss, loss_only .*validationSplit/);
  });

  it('can be reused: each fit starts afresh', async () => {
    const es = earlyStopping({ patience: 1, restoreBestWeights: true });
    await run(es, [1, 2, 3]);
    expect(es.stoppedEpoch).toBe(1);
    const again = await run(es, [5, 4, 3, 3.5]);
    expect(es.stoppedEpoch).toBe(3);
    expect(es.bestEpoch).toBe(2);
    expect(again.model.weights).toEqual([2]);
  });

  it('prints like Keras with verbose 1', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await stopsAt({ patience: 1, restoreBestWeights: true, verbose: 1 }, [1, 0.5, 0.6, 0.7]);
    expect(log.mock.calls.map((c) => c[0])).toEqual(['Epoch 3: early stopping', 'Restoring model weights from the end of the best epoch: 2.']);
  });

  it('is registered as the callback "earlyStopping" and round-trips through JSON', () => {
    expect(registry.get('callback' as never, 'earlyStopping')).toBe(EarlyStopping);
    const es = earlyStopping({ monitor: 'val_accuracy', minDelta: 0.01, patience: 3, mode: 'max', baseline: 0.8, restoreBestWeights: true, startFromEpoch: 2 });
    const json = JSON.parse(JSON.stringify(serialize(es)));
    expect(json).toEqual({
      kind: 'callback',
      name: 'earlyStopping',
      config: { monitor: 'val_accuracy', minDelta: 0.01, patience: 3, mode: 'max', baseline: 0.8, restoreBestWeights: true, startFromEpoch: 2, verbose: 0 },
      format: 1,
    });
    const back = deserialize<EarlyStopping>(json);
    expect(back).toBeInstanceOf(EarlyStopping);
    expect(back.getConfig()).toEqual(es.getConfig());
    expect(deserialize<EarlyStopping>(serialize(earlyStopping())).getConfig()).toEqual(earlyStopping().getConfig());
  });

  it("has Keras' defaults", () => {
    expect(earlyStopping().getConfig()).toEqual({ monitor: 'val_loss', minDelta: 0, patience: 0, mode: 'auto', baseline: null, restoreBestWeights: false, startFromEpoch: 0, verbose: 0 });
  });

  it('refuses bad options', () => {
    expect(() => earlyStopping({ patience: -1 })).toThrow(/patience must be a non-negative integer, got -1/);
    expect(() => earlyStopping({ patience: 1.5 })).toThrow(/patience/);
    expect(() => earlyStopping({ mode: 'maximize' as never })).toThrow(/unknown mode "maximize" \(expected "auto", "min", "max"\)/);
    expect(() => earlyStopping({ startFromEpoch: -2 })).toThrow(/startFromEpoch/);
    expect(() => earlyStopping({ monitor: '' })).toThrow(/monitor/);
    expect(() => earlyStopping({ baseline: NaN })).toThrow(/baseline/);
    expect(() => earlyStopping({ minDelta: Infinity })).toThrow(/minDelta/);
    expect(() => earlyStopping({ patiense: 3 } as never)).toThrow('earlyStopping: unknown option "patiense"; did you mean "patience"? (options: monitor, minDelta, patience, mode, baseline, restoreBestWeights, startFromEpoch, verbose)');
    expect(() => earlyStopping({ restore_best_weights: true } as never)).toThrow(/unknown option "restore_best_weights"; did you mean "restoreBestWeights"\?/);
  });

  it('says how to attach it when used without a model', () => {
    const es = earlyStopping();
    es.onEpochEnd(0, { val_loss: 1 });
    expect(() => es.onEpochEnd(1, { val_loss: 2 })).toThrow(/no model to act on; pass it in fit\(\{ callbacks/);
  });
});
