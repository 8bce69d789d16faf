/**
 * Sampler benchmark (issue 9): Branin, Hartmann6 and Levy-10 with the optimum shifted per seed, 20 seeds ×
 * 100 trials; prints the median and quartiles of simple regret at 10/30/60/100 trials for random, Sobol,
 * TPE (univariate and multivariate) and GP, plus the GP's suggestion latency at 100 trials.
 * Not a test: numbers depend on the machine. Run: `npx tsx packages/hpo/bench/samplers.ts [--seeds 20]
 * [--trials 100] [--problems Branin,Hartmann6,Levy-10] [--samplers random,sobol,tpe,tpe-mv,gp] [--shift false]
 * [--json out.json]`. `sobol` is the QMCSampler (scrambled Sobol).
 */
import { GPSampler } from '../src/gp-sampler.js';
import '../src/nop-pruner.js';
import { RandomSampler } from '../src/random-sampler.js';
import { QMCSampler } from '../src/qmc-sampler.js';
import { createStudy } from '../src/study.js';
import { TPESampler } from '../src/tpe-sampler.js';
import type { Distribution, FrozenTrial, Sampler, StudyView } from '../src/types.js';
import { branin, hartmann6, levy10, type Problem, shifted } from './problems.js';
import { writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const nSeeds = Number(arg('seeds', '20'));
const nTrials = Number(arg('trials', '100'));
const budgets = [10, 30, 60, 100].filter((b) => b <= nTrials);
const problems = [branin, hartmann6, levy10].filter((p) => arg('problems', 'Branin,Hartmann6,Levy-10').split(',').includes(p.name));
const samplerNames = arg('samplers', 'random,sobol,tpe,tpe-mv,gp').split(',');
/** `--shift false` runs the textbook (unshifted) functions, comparable with Optuna's published figures. */
const shift = arg('shift', 'true') !== 'false';

/** Times inferRelativeSearchSpace + sampleRelative (the whole GP suggestion) of the last trial. */
class Timed implements Sampler {
  lastMs = 0;
  lastCpuMs = 0;
  private cpu0: NodeJS.CpuUsage | null = null;
  constructor(
    private readonly inner: Sampler,
    private readonly at: number,
  ) {}
  inferRelativeSearchSpace(study: StudyView, trial: FrozenTrial) {
    if (trial.number === this.at) {
      this.lastMs = -performance.now();
      this.cpu0 = process.cpuUsage();
    }
    return this.inner.inferRelativeSearchSpace?.(study, trial) ?? {};
  }
  sampleRelative(study: StudyView, trial: FrozenTrial, space: Record<string, Distribution>) {
    const out = this.inner.sampleRelative?.(study, trial, space) ?? {};
    if (trial.number === this.at) {
      this.lastMs += performance.now();
      const c = process.cpuUsage(this.cpu0 ?? undefined);
      this.lastCpuMs = (c.user + c.system) / 1000;
    }
    return out;
  }
  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, d: Distribution) {
    return this.inner.sampleIndependent(study, trial, name, d);
  }
}

function makeSampler(name: string, seed: number): Sampler {
  switch (name) {
    case 'random':
      return new RandomSampler({ seed });
    case 'sobol':
      return new QMCSampler({ seed });
    case 'tpe':
      return new TPESampler({ seed });
    case 'tpe-mv':
      return new TPESampler({ seed, multivariate: true });
    case 'gp':
      return new GPSampler({ seed });
    default:
      throw new Error(`unknown sampler ${name}`);
  }
}

async function run(problem: Problem, samplerName: string, seed: number): Promise<{ regrets: number[]; latencyMs: number | null; cpuMs: number | null; totalMs: number }> {
  const p = shift ? shifted(problem, seed) : problem;
  const timed = new Timed(makeSampler(samplerName, seed), nTrials - 1);
  const study = createStudy({ sampler: timed, pruner: 'nop' });
  const t0 = performance.now();
  await study.optimize((trial) => p.f(p.lower.map((lo, d) => trial.suggestFloat(`x${d}`, lo, p.upper[d]))), { nTrials, catch: false });
  const totalMs = performance.now() - t0;
  const values = study.trials.map((t) => t.values![0]);
  let best = Infinity;
  const running = values.map((v) => (best = Math.min(best, v)) - p.minimum);
  return { regrets: budgets.map((b) => running[b - 1]), latencyMs: samplerName === 'gp' ? timed.lastMs : null, cpuMs: samplerName === 'gp' ? timed.lastCpuMs : null, totalMs };
}

const quantile = (sorted: number[], q: number) => {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
};
const fmt = (v: number) => (v === 0 ? '0' : v >= 100 ? v.toFixed(0) : v >= 0.01 ? v.toPrecision(3) : v.toExponential(1));

const results: Record<string, Record<string, { median: number[]; q1: number[]; q3: number[]; latencyMs?: { median: number; p90: number; max: number; cpuMedian: number }; secondsPerRun: number }>> = {};
console.log(`Simple regret, median [q1, q3] over ${nSeeds} seeds, ${shift ? 'optimum shifted per seed' : 'unshifted'}; trials ${budgets.join('/')}\n`);
for (const problem of problems) {
  results[problem.name] = {};
  console.log(`${problem.name} (${problem.lower.length}-D)`);
  for (const samplerName of samplerNames) {
    const perBudget: number[][] = budgets.map(() => []);
    const latencies: number[] = [];
    const cpu: number[] = [];
    let total = 0;
    for (let seed = 0; seed < nSeeds; seed++) {
      const r = await run(problem, samplerName, seed);
      r.regrets.forEach((v, i) => perBudget[i].push(v));
      if (r.latencyMs !== null) latencies.push(r.latencyMs);
      if (r.cpuMs !== null) cpu.push(r.cpuMs);
      total += r.totalMs;
    }
    const sorted = perBudget.map((v) => v.slice().sort((a, b) => a - b));
    const entry: (typeof results)[string][string] = {
      median: sorted.map((v) => quantile(v, 0.5)),
      q1: sorted.map((v) => quantile(v, 0.25)),
      q3: sorted.map((v) => quantile(v, 0.75)),
      secondsPerRun: total / nSeeds / 1000,
    };
    const cells = budgets.map((_, i) => `${fmt(entry.median[i])} [${fmt(entry.q1[i])}, ${fmt(entry.q3[i])}]`.padEnd(26)).join('');
    let line = `  ${samplerName.padEnd(8)}${cells}${entry.secondsPerRun.toFixed(2)} s/run`;
    if (latencies.length) {
      const l = latencies.slice().sort((a, b) => a - b);
      const c = cpu.slice().sort((a, b) => a - b);
      entry.latencyMs = { median: quantile(l, 0.5), p90: quantile(l, 0.9), max: l[l.length - 1], cpuMedian: quantile(c, 0.5) };
      line += `  suggest@${nTrials}: median ${entry.latencyMs.median.toFixed(1)} ms (cpu ${entry.latencyMs.cpuMedian.toFixed(1)} ms), p90 ${entry.latencyMs.p90.toFixed(1)} ms`;
    }
    console.log(line);
    results[problem.name][samplerName] = entry;
  }
  console.log();
}
const jsonPath = arg('json', '');
if (jsonPath) writeFileSync(jsonPath, JSON.stringify({ nSeeds, nTrials, budgets, shift, results }, null, 2));
