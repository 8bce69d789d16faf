import { isTrialPruned, TrialPruned, type Trial } from '@nn/hpo';
import type { EvaluateFunction, EvaluationContext, EvaluationResult } from './search.js';

/** How one evaluation ended: with a result, or pruned (with the last reported reward, if any). */
export type Outcome<M> = { pruned: false; result: EvaluationResult<M> } | { pruned: true; reward: number | null; message: string };

/**
 * Runs `evaluate` on one candidate, giving it `report` (which records an intermediate reward on the trial and
 * throws `TrialPruned` when the pruner says so). The same code runs in the search process and in worker
 * processes, so a candidate is pruned alike in both. Errors other than pruning propagate.
 */
export async function evaluateCandidate<M>(evaluate: EvaluateFunction<M>, trial: Trial, context: Omit<EvaluationContext<M>, 'report' | 'trial'>): Promise<Outcome<M>> {
  let reported: number | null = null;
  const report = (reward: number, step: number) => {
    trial.report(reward, step);
    reported = reward;
    if (trial.shouldPrune()) throw new TrialPruned(`pruned at step ${step} with reward ${reward}`);
  };
  // Assigned onto `context` itself: a worker's context builds `model` lazily in a getter, which a spread would run.
  try {
    return { pruned: false, result: await evaluate(Object.assign(context, { trial, report })) };
  } catch (e) {
    if (!isTrialPruned(e)) throw e;
    return { pruned: true, reward: reported, message: e.message };
  }
}
