import { createStudy, type Study } from '../study.js';
import { SuccessiveHalvingPruner } from '../successive-halving-pruner.js';
import { TrialPruned } from '../trial.js';
import type { Storage } from '../types.js';

/**
 * A study that prunes, for the stores' tests: trial 0 reports 1 at every step, the later ones 10, so successive
 * halving (min resource 1, factor 2) keeps trial 0 and prunes trials 1 and 2 at rung 0. The store must keep
 * the pruner's `completed_rung_*` bookkeeping and the pruned trials' last values.
 */
export async function prunedStudy(storage: Storage): Promise<Study> {
  const study = createStudy({ storage, pruner: new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 }) });
  await study.optimize((t) => {
    for (let step = 0; step < 5; step++) {
      t.report(t.number === 0 ? 1 : 10, step);
      if (t.shouldPrune()) throw new TrialPruned();
    }
    return t.number === 0 ? 1 : 10;
  }, { nTrials: 3 });
  return study;
}
