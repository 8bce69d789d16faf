import { NNError } from '@nn/core';
import { SGD } from '@nn/optim';
import { randn, setSeed } from '@nn/tensor';
import { describe, expect, it } from 'vitest';
import { dense } from './dense.js';
import { terminateOnNaN } from './divergence.js';
import { sequential } from './sequential.js';

/** Unscaled inputs (values in the hundreds) and SGD at lr 10: the loss overflows within a few steps. */
function divergingRun() {
  setSeed(4);
  const model = sequential([dense(8, { activation: 'relu', inputShape: [5] }), dense(1)]);
  model.compile({ optimizer: new SGD({ lr: 10 }), loss: 'meanSquaredError' });
  const x = randn([64, 5], { mean: 100, std: 50 });
  const y = randn([64, 1], { std: 10 });
  return { model, x, y };
}

const allFinite = (model: ReturnType<typeof divergingRun>['model']): boolean => model.getWeights().every((w) => w.dataSync().every(Number.isFinite));

describe('divergence', () => {
  it('fit stops at the first non-finite loss with an error naming epoch and batch, keeping finite weights', async () => {
    const { model, x, y } = divergingRun();
    let caught: unknown;
    try {
      await model.fit(x, y, { epochs: 20, batchSize: 16, verbose: 0, shuffle: false });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(NNError);
    const e = caught as NNError;
    expect(e.code).toBe('NON_FINITE');
    expect(e.message).toMatch(/^fit: the loss is (NaN|Infinity) at epoch \d+\/20, batch \d\/4; training stopped and the weights (are those from before that batch|had become non-finite and are those from the start of epoch \d+)/);
    expect(e.details).toMatchObject({ epoch: expect.any(Number), batch: expect.any(Number) });
    expect(allFinite(model)).toBe(true);
  });

  it('terminateOnNaN stops quietly at that batch, as Keras, with finite weights', async () => {
    const { model, x, y } = divergingRun();
    const cb = terminateOnNaN();
    const history = await model.fit(x, y, { epochs: 20, batchSize: 16, verbose: 0, shuffle: false, callbacks: [cb] });
    expect(cb.stoppedAt).toBeDefined();
    expect(history.epoch.length).toBe(cb.stoppedAt!.epoch + 1);
    expect(history.epoch.length).toBeLessThan(20);
    expect(allFinite(model)).toBe(true);
    expect(() => terminateOnNaN({ patience: 1 } as never)).toThrow('terminateOnNaN: unknown option "patience"');
  });

  it('divergenceGuard rolls back, lowers the lr and carries on: the lr-10 run ends finite, each rollback in the history', async () => {
    const { model, x, y } = divergingRun();
    const history = await model.fit(x, y, { epochs: 20, batchSize: 16, verbose: 0, shuffle: false, divergenceGuard: { factor: 0.1, maxRollbacks: 10 } });
    expect(history.epoch.length).toBe(20);
    expect(history.divergence.length).toBeGreaterThan(0);
    // Each rollback lowers the lr by the factor, from 10.
    history.divergence.forEach((d, i) => expect(d.lr[0]).toBeCloseTo(10 * 0.1 ** (i + 1), 10));
    expect(history.divergence.every((d) => !Number.isFinite(d.loss))).toBe(true);
    expect(history.history.loss.every(Number.isFinite)).toBe(true);
    expect(allFinite(model)).toBe(true);
  });

  it('divergenceGuard gives up after maxRollbacks with a named error', async () => {
    const { model, x, y } = divergingRun();
    const run = model.fit(x, y, { epochs: 20, batchSize: 16, verbose: 0, shuffle: false, divergenceGuard: { factor: 0.99, maxRollbacks: 2 } });
    await expect(run).rejects.toThrow(/^fit: the loss is (NaN|Infinity) at epoch \d+\/20, batch \d\/4 after 2 rollbacks/);
    expect(allFinite(model)).toBe(true);
    await expect(model.fit(x, y, { divergenceGuard: { factr: 0.5 } } as never)).rejects.toThrow('fit: unknown divergenceGuard option "factr"; did you mean "factor"?');
  });
});
