// pnpm bench: the three strategies at equal budgets, 10 seeds each, on (1) the shipped tabular benchmark
// (reward: validation accuracy; regret: the table's best validation accuracy minus the best found) and (2) a
// synthetic reward with a known optimum over a larger space. Prints the median best-found regret against
// trials and, for each learning strategy, the first trial at which its median regret reaches random's final one.
import { RNG } from '@nn/hpo';
import {
  choice, digitsMlpBenchmark, RandomArchitectures, RegularizedEvolution, ReinforceController, repeat, searchSpace, skipConnection, type Architecture, type SearchSpace, type Strategy,
} from '../src/index.js';

const SEEDS = 10;
type Make = (space: SearchSpace, seed: number) => Strategy;
const STRATEGIES: Record<string, Make> = {
  random: (space, seed) => new RandomArchitectures({ space, seed }),
  // The defaults (population 20, tournament 5); see the README for the settings tried.
  evolution: (space, seed) => new RegularizedEvolution({ space, seed }),
  reinforce: (space, seed) => new ReinforceController({ space, seed, lr: 0.03, entropyWeight: 1e-3 }),
};

interface Problem {
  name: string;
  space: SearchSpace;
  reward: (a: Architecture) => number;
  optimum: number;
  budget: number;
}

/** Best-so-far regret after each trial, for one strategy and seed. */
async function run(problem: Problem, make: Make, seed: number): Promise<number[]> {
  const strategy = make(problem.space, seed);
  let best = -Infinity;
  const regrets: number[] = [];
  for (let t = 0; t < problem.budget; t++) {
    const c = await strategy.ask();
    const r = problem.reward(c.architecture);
    await strategy.tell(c, r);
    best = Math.max(best, r);
    regrets.push(problem.optimum - best);
  }
  return regrets;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// The synthetic problem: 1–5 blocks with 4 decisions each plus skips (~10^11 architectures). The reward adds
// a per-block score of each value (drawn once from a seeded RNG, so a known table), a depth term, and an
// interaction (a skip pays only in a deep net); its optimum is found by maximizing each term exactly.
function synthetic(): Problem {
  const units = [8, 16, 32, 64];
  const acts = ['relu', 'tanh', 'elu', 'gelu'];
  const norms = ['none', 'batch', 'layer'];
  const drops = [0, 0.1, 0.3, 0.5];
  const space = searchSpace({ numLayers: choice([1, 2, 3, 4, 5]), layers: repeat('numLayers', { units: choice(units), activation: choice(acts), normalization: choice(norms), dropout: choice(drops), skip: skipConnection() }) });
  const rng = new RNG(2024);
  const score = (n: number) => Array.from({ length: 5 }, () => Array.from({ length: n }, () => rng.uniform(0, 1)));
  const [su, sa, sn, sd] = [score(4), score(4), score(3), score(4)];
  const depth = [0, 0.3, 0.8, 1.2, 1.0];
  const reward = (a: Architecture) => {
    const blocks = a.layers as Array<Record<string, unknown>>;
    let r = depth[blocks.length - 1];
    blocks.forEach((b, i) => {
      r += su[i][units.indexOf(b.units as number)] + sa[i][acts.indexOf(b.activation as string)] + sn[i][norms.indexOf(b.normalization as string)] + sd[i][drops.indexOf(b.dropout as number)];
      if (b.skip !== null) r += blocks.length >= 4 ? 0.15 : -0.15;
    });
    return r;
  };
  let optimum = -Infinity;
  for (let n = 1; n <= 5; n++) {
    let r = depth[n - 1];
    for (let i = 0; i < n; i++) r += Math.max(...su[i]) + Math.max(...sa[i]) + Math.max(...sn[i]) + Math.max(...sd[i]) + (i >= 1 ? (n >= 4 ? 0.15 : 0) : 0);
    optimum = Math.max(optimum, r);
  }
  return { name: 'synthetic (known optimum)', space: space as SearchSpace, reward, optimum, budget: 200 };
}

function tabular(): Problem {
  const tab = digitsMlpBenchmark();
  return { name: `tabular ${tab.name} (${tab.size} architectures; regret in validation accuracy)`, space: tab.space as SearchSpace, reward: (a) => tab.query(a).validationAccuracy, optimum: tab.best.validationAccuracy, budget: 100 };
}

// NAS_BENCH_ONLY=tabular or =synthetic runs one of the two.
const only = process.env.NAS_BENCH_ONLY;
for (const problem of [tabular, synthetic].filter((p) => !only || p.name === only).map((p) => p())) {
  console.log(`\n## ${problem.name}: ${SEEDS} seeds, budget ${problem.budget} trials each`);
  const curves: Record<string, number[]> = {};
  for (const [name, make] of Object.entries(STRATEGIES)) {
    const t0 = Date.now();
    const runs: number[][] = [];
    for (let seed = 0; seed < SEEDS; seed++) runs.push(await run(problem, make, seed));
    curves[name] = Array.from({ length: problem.budget }, (_, t) => median(runs.map((r) => r[t])));
    console.log(`  ${name.padEnd(10)} ran in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  const marks = [10, 25, 50, 100, 150, 200].filter((t) => t <= problem.budget);
  console.log(`\n| median best regret after | ${marks.join(' | ')} |\n| --- |${marks.map(() => ' ---: |').join('')}`);
  for (const [name, c] of Object.entries(curves)) console.log(`| ${name} | ${marks.map((t) => c[t - 1].toFixed(4)).join(' | ')} |`);
  const final = curves.random[problem.budget - 1];
  for (const name of ['evolution', 'reinforce']) {
    const cross = curves[name].findIndex((r) => r <= final);
    const beats = curves[name][problem.budget - 1] < final;
    console.log(`${name}: reaches random's final median regret (${final.toFixed(4)}) at trial ${cross < 0 ? 'never' : cross + 1}; final ${curves[name][problem.budget - 1].toFixed(4)} — ${beats ? 'beats' : 'does NOT beat'} random at the final budget`);
  }
}
