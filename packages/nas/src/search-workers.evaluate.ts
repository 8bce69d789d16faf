// Evaluate functions for the worker-process tests of `search` (workers import them by URL; the test runner's
// tsx loads this TypeScript file in each worker).
import { choice, repeat, searchSpace, type Architecture, type EvaluationContext } from './index.js';

/** The space of search.test.ts; its models say which process built them. */
export const space = searchSpace({ n: choice([1, 2, 3]), layers: repeat('n', { units: choice([8, 16, 32]), act: choice(['relu', 'tanh']) }) }, { build: (a) => ({ built: a, pid: process.pid }) });

/** A synthetic reward with a known optimum (3 layers of 32 tanh units: 1). */
export const reward = (a: Architecture) => (a.layers as Array<Record<string, unknown>>).reduce((s, l) => s + (l.units === 32 ? 0.2 : 0) + (l.act === 'tanh' ? 0.1 : 0), 0) + (a.n === 3 ? 0.1 : 0);

type Context = EvaluationContext<{ built: Architecture; pid: number }>;

/** Records which process ran the candidate, and when. */
function record(trial: Context['trial'], key: 'start' | 'end'): void {
  if (key === 'start') trial.setUserAttr('pid', process.pid);
  trial.setUserAttr(key, Date.now());
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The reward of the architecture, from the model built in this worker. */
export async function evaluate({ model, trial }: Context): Promise<number> {
  record(trial, 'start');
  trial.setUserAttr('modelPid', model.pid);
  await sleep(1);
  record(trial, 'end');
  return reward(model.built);
}

/**
 * Like `evaluate`, but trials 0 and 1 (sent to the two idle workers at once) each wait until the other has
 * started: they provably overlap, however the machine schedules them.
 */
export async function evaluateTogether(context: Context): Promise<number> {
  const { trial } = context;
  record(trial, 'start');
  if (trial.number < 2) {
    const other = 1 - trial.number;
    for (let i = 0; i < 3000 && trial.study.getTrials().find((t) => t.number === other)?.userAttrs.start === undefined; i++) await sleep(10);
  }
  record(trial, 'end');
  return reward(context.architecture);
}

/** Four "epochs" whose reward grows toward the architecture's, each reported (the pruner may stop it). */
export async function evaluateEpochs({ architecture, trial, report }: Context): Promise<number> {
  record(trial, 'start');
  for (let epoch = 1; epoch <= 4; epoch++) {
    await sleep(1);
    report(reward(architecture) * (epoch / 4), epoch);
  }
  return reward(architecture);
}

/** Trial 1 throws, trial 2 kills its worker; the others score as `evaluate`. */
export async function evaluateFlaky(context: Context): Promise<number> {
  if (context.trial.number === 1) throw new Error('no good units');
  if (context.trial.number === 2) {
    record(context.trial, 'start');
    process.exit(3);
  }
  return evaluate(context);
}

/** Trials from 2 on never end (the test kills the search process meanwhile). */
export async function evaluateOrHang(context: Context): Promise<number> {
  if (context.trial.number < 2) return evaluate(context);
  record(context.trial, 'start');
  return new Promise(() => {});
}
