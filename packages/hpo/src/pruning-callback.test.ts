import { runCallbacks } from '@nn/core';
import { describe, expect, it } from 'vitest';
import { MedianPruner } from './median-pruner.js';
import { pruningCallback } from './pruning-callback.js';
import { createStudy } from './study.js';
import type { Trial } from './trial.js';

/** A stand-in for model.fit: runs the epoch hooks with a scripted validation loss. */
async function fakeFit(losses: number[], callbacks: ReturnType<typeof pruningCallback>[]) {
  for (let epoch = 0; epoch < losses.length; epoch++) await runCallbacks(callbacks, 'onEpochEnd', epoch, { loss: losses[epoch] * 0.9, val_loss: losses[epoch] });
  return losses[losses.length - 1];
}

describe('pruningCallback', () => {
  it('reports the monitored log every epoch and prunes through fit', async () => {
    const curves = [[3, 2, 1], [3, 2.5, 2], [9, 9, 9]];
    const study = createStudy({ pruner: new MedianPruner({ nStartupTrials: 2 }) });
    await study.optimize((trial: Trial) => fakeFit(curves[trial.number], [pruningCallback(trial, { monitor: 'val_loss' })]), { nTrials: 3, catch: false });
    expect(study.trials.map((t) => t.state)).toEqual(['complete', 'complete', 'pruned']);
    expect(study.trials[0].intermediateValues).toEqual({ 0: 3, 1: 2, 2: 1 });
    expect(study.trials[2]).toMatchObject({ values: [9], intermediateValues: { 0: 9 } });
  });

  it('names a missing log and bad arguments', async () => {
    const trial = createStudy().ask();
    const cb = pruningCallback(trial, { monitor: 'val_acc' });
    await expect(fakeFit([1], [cb])).rejects.toThrow('pruningCallback: the epoch logs have no "val_acc" (logs: loss, val_loss)');
    expect(() => pruningCallback(trial, {} as never)).toThrow("pruningCallback: options.monitor must name a log, e.g. { monitor: 'val_loss' }");
    expect(() => pruningCallback({} as never, { monitor: 'x' })).toThrow('pruningCallback: the first argument must be the trial (with report and shouldPrune)');
  });
});
