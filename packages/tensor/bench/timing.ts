// How the benches time a call (this package's benches, and those of @nn/layers, @nn/optim, @nn/data-augment).

/** The middle of `xs` (the upper one of two for an even count); NaN when empty. Leaves `xs` as it is. */
export const median = (xs: readonly number[]): number => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : NaN);

/**
 * Median seconds per call of `fn`, after `warmup` untimed calls, over enough calls to fill about `budget`
 * seconds and at least `minCalls`: a median, since a shared machine's preemptions only lengthen calls.
 */
export function secondsPerCall(fn: () => void, { budget, minCalls = 3, warmup = 1 }: { budget: number; minCalls?: number; warmup?: number }): number {
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  const end = performance.now() + budget * 1000;
  while (performance.now() < end || samples.length < minCalls) {
    const t0 = performance.now();
    fn();
    samples.push((performance.now() - t0) / 1000);
  }
  return median(samples);
}
