import type { Direction, FrozenTrial } from './types.js';

/** Whether `a` dominates `b`: no worse in every objective, better in at least one. */
export function dominates(a: readonly number[], b: readonly number[], directions: readonly Direction[]): boolean {
  let better = false;
  for (let i = 0; i < directions.length; i++) {
    const [x, y] = directions[i] === 'minimize' ? [a[i], b[i]] : [-a[i], -b[i]];
    if (x > y) return false;
    if (x < y) better = true;
  }
  return better;
}

/** The complete trials no other complete trial dominates (the best trials of a multi-objective study). */
export function paretoFront(trials: readonly FrozenTrial[], directions: readonly Direction[]): FrozenTrial[] {
  const done = trials.filter((t) => t.state === 'complete' && t.values !== null);
  return done.filter((t) => !done.some((o) => o !== t && dominates(o.values!, t.values!, directions)));
}
