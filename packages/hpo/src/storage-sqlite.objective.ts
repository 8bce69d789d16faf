// An objective module for the worker-process tests (workers import the objective by URL).
import type { Trial } from './trial.js';

export async function objective(trial: Trial): Promise<number> {
  trial.setUserAttr('pid', process.pid);
  const x = trial.suggestFloat('x', -1, 1);
  await new Promise((r) => setTimeout(r, 30));
  if (x > 0.9) throw new Error('too far right');
  return x * x;
}
