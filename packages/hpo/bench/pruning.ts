/**
 * Pruning benchmark (issue 9): random search on synthetic learning curves, without pruning and with the
 * median, successive-halving (ASHA) and Hyperband pruners; prints the median [q1, q3] simple regret of the
 * best complete trial against the total epochs spent. Not a test. Run:
 * `npx tsx packages/hpo/bench/pruning.ts [--seeds 20] [--budget 3200]`.
 *
 * The curves: a configuration (learning rate on a log scale, width, dropout) has a final loss
 * L∞ = 0.1 + 0.05(log₁₀lr + 2)² + 0.01(log₂width − 6)² + 0.5(dropout − 0.2)², and its loss after t epochs is
 * L∞ + 1.5·t^(−α) + noise, with α from 0.4 (lr = 1e-4) to 0.7 (lr = 1): large learning rates learn fast but
 * end worse, the usual trap for early stopping. Each trial trains up to 81 epochs.
 */
import { HyperbandPruner } from '../src/hyperband-pruner.js';
import { MedianPruner } from '../src/median-pruner.js';
import { NopPruner } from '../src/nop-pruner.js';
import { RandomSampler } from '../src/random-sampler.js';
import { RNG } from '../src/rng.js';
import { createStudy } from '../src/study.js';
import { SuccessiveHalvingPruner } from '../src/successive-halving-pruner.js';
import { TrialPruned } from '../src/trial.js';
import type { Pruner } from '../src/types.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const nSeeds = Number(arg('seeds', '20'));
const budget = Number(arg('budget', '3200'));
const checkpoints = [budget / 8, budget / 4, budget / 2, budget];
const MAX_EPOCHS = 81;

const finalLossInf = (lr: number, width: number, dropout: number) => 0.1 + 0.05 * (Math.log10(lr) + 2) ** 2 + 0.01 * (Math.log2(width) - 6) ** 2 + 0.5 * (dropout - 0.2) ** 2;
const rate = (lr: number) => 0.4 + (0.3 * (Math.log10(lr) + 4)) / 4;
/** Noise-free loss after t epochs. */
const loss = (lr: number, width: number, dropout: number, t: number) => finalLossInf(lr, width, dropout) + 1.5 * t ** -rate(lr);

/** The best achievable loss after MAX_EPOCHS epochs (width and dropout at their optimum; lr by a fine scan). */
const OPTIMUM = (() => {
  let best = Infinity;
  for (let i = 0; i <= 100000; i++) best = Math.min(best, loss(10 ** (-4 + (4 * i) / 100000), 64, 0.2, MAX_EPOCHS));
  return best;
})();

const pruners: Record<string, () => Pruner> = {
  none: () => new NopPruner(),
  median: () => new MedianPruner({ nStartupTrials: 5, nWarmupSteps: 3 }),
  asha: () => new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 3 }),
  hyperband: () => new HyperbandPruner({ minResource: 1, maxResource: MAX_EPOCHS, reductionFactor: 3 }),
};

async function run(prunerName: string, seed: number): Promise<{ regrets: number[]; trials: number }> {
  // A fixed study name: Hyperband assigns brackets by hashing it, and the default name is unique per study.
  const study = createStudy({ sampler: new RandomSampler({ seed }), pruner: pruners[prunerName](), studyName: `pruning-bench-${seed}` });
  let spent = 0;
  // (epochs spent when the trial completed, its noise-free final loss)
  const done: [number, number][] = [];
  await study.optimize(
    (trial) => {
      const lr = trial.suggestFloat('lr', 1e-4, 1, { log: true });
      const width = trial.suggestInt('width', 8, 256, { log: true });
      const dropout = trial.suggestFloat('dropout', 0, 0.5);
      const noise = new RNG(seed * 100003 + trial.number);
      for (let t = 1; t <= MAX_EPOCHS; t++) {
        spent++;
        trial.report(loss(lr, width, dropout, t) + 0.005 * noise.normal(), t);
        if (t < MAX_EPOCHS && trial.shouldPrune()) throw new TrialPruned();
      }
      done.push([spent, loss(lr, width, dropout, MAX_EPOCHS)]);
      return loss(lr, width, dropout, MAX_EPOCHS);
    },
    { callbacks: [(s) => (spent >= budget ? s.stop() : undefined)] },
  );
  const regrets = checkpoints.map((c) => {
    const within = done.filter(([e]) => e <= c).map(([, l]) => l);
    return within.length ? Math.min(...within) - OPTIMUM : Number.NaN;
  });
  return { regrets, trials: study.trials.length };
}

const quantile = (sorted: number[], q: number) => {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
};
const fmt = (v: number) => (Number.isNaN(v) ? 'n/a' : v >= 0.01 ? v.toPrecision(3) : v.toExponential(1));

console.log(`Simple regret of the best complete trial (noise-free final loss − optimum ${OPTIMUM.toFixed(4)}), median [q1, q3] over ${nSeeds} seeds;`);
console.log(`random search, ${MAX_EPOCHS} epochs per full trial; columns: total epochs spent ${checkpoints.join('/')}. n/a: no trial completed yet.\n`);
for (const name of Object.keys(pruners)) {
  const per: number[][] = checkpoints.map(() => []);
  let trials = 0;
  for (let seed = 0; seed < nSeeds; seed++) {
    const r = await run(name, seed);
    r.regrets.forEach((v, i) => per[i].push(Number.isNaN(v) ? Infinity : v));
    trials += r.trials;
  }
  const cells = per.map((v) => {
    const s = v.slice().sort((a, b) => a - b);
    const q = (p: number) => (Number.isFinite(quantile(s, p)) ? quantile(s, p) : Number.NaN);
    return `${fmt(q(0.5))} [${fmt(q(0.25))}, ${fmt(q(0.75))}]`.padEnd(28);
  });
  console.log(`  ${name.padEnd(11)}${cells.join('')}${(trials / nSeeds).toFixed(0)} trials/run`);
}
