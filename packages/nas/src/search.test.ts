import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStudy, SuccessiveHalvingPruner } from '@nn/hpo';
import { afterEach, describe, expect, it } from 'vitest';
import { choice, RegularizedEvolution, ReinforceController, repeat, search, searchSpace, type Architecture } from './index.js';

const space = searchSpace({ n: choice([1, 2, 3]), layers: repeat('n', { units: choice([8, 16, 32]), act: choice(['relu', 'tanh']) }) }, { build: (a) => ({ built: a }) });
/** A synthetic reward with a known optimum (3 layers of 32 tanh units: 1). */
const reward = (a: Architecture) => (a.layers as Array<Record<string, unknown>>).reduce((s, l) => s + (l.units === 32 ? 0.2 : 0) + (l.act === 'tanh' ? 0.1 : 0), 0) + (a.n === 3 ? 0.1 : 0);

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDb = () => {
  const d = mkdtempSync(join(tmpdir(), 'nas-search-'));
  dirs.push(d);
  return join(d, 'nas.db');
};

describe('search', () => {
  it('returns the best architecture and its model, with every candidate recorded in the study', async () => {
    const strategy = new RegularizedEvolution({ space, seed: 1, populationSize: 5 });
    const result = await search({ space, strategy, evaluate: ({ architecture }) => reward(architecture), budget: 20 });
    expect(result.history).toHaveLength(20);
    const best = Math.max(...result.history.map((h) => h.reward!));
    expect(result.reward).toBe(best);
    expect(reward(result.architecture)).toBe(best);
    expect(result.model).toEqual({ built: result.architecture });
    expect(result.study.bestValue).toBe(best);
  });

  it('resumes from SQLite after a kill: the strategy continues as if never stopped', async () => {
    const evaluate = ({ architecture }: { architecture: Architecture }) => reward(architecture);
    const whole = await search({ space, strategy: new ReinforceController({ space, seed: 3 }), evaluate, budget: 6 });

    const storage = `sqlite:///${tempDb()}`;
    await search({ space, strategy: new ReinforceController({ space, seed: 3 }), evaluate, budget: 3, storage });
    // A process killed mid-candidate leaves its trial running.
    const crashed = createStudy({ storage, studyName: 'nas', loadIfExists: true, direction: 'maximize' });
    crashed.ask();
    // A new process, a new controller (another seed even): the stored state wins.
    const resumed = await search({ space, strategy: new ReinforceController({ space, seed: 42 }), evaluate, budget: 6, storage });
    const done = resumed.history.filter((h) => h.state === 'complete');
    expect(done.map((h) => h.architecture)).toEqual(whole.history.map((h) => h.architecture));
    expect(resumed.history.filter((h) => h.state === 'fail')).toHaveLength(1);
    // Nothing left to do: a third call runs no candidate.
    const again = await search({ space, strategy: new ReinforceController({ space, seed: 3 }), evaluate: () => { throw new Error('must not run'); }, budget: 6, storage });
    expect(again.history).toHaveLength(7);
  });

  it('prunes with successive halving at low fidelity and tells the strategy the last reported reward', async () => {
    const told: number[] = [];
    const strategy = new RegularizedEvolution({ space, seed: 2, populationSize: 4 });
    const tell = strategy.tell.bind(strategy);
    strategy.tell = (c, r) => {
      told.push(r);
      tell(c, r);
    };
    const result = await search({
      space,
      strategy,
      budget: 16,
      pruner: new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 }),
      evaluate: ({ architecture, report }) => {
        // "Epochs": the reward grows toward the architecture's final one.
        for (let epoch = 1; epoch <= 4; epoch++) report(reward(architecture) * (epoch / 4), epoch);
        return reward(architecture);
      },
    });
    const pruned = result.history.filter((h) => h.state === 'pruned');
    expect(pruned.length).toBeGreaterThan(0);
    expect(told).toHaveLength(16);
    for (const p of pruned) expect(p.reward! < reward(p.architecture)).toBe(true);
  });

  it('runs candidates concurrently and refuses bad options', async () => {
    let running = 0;
    let most = 0;
    await search({
      space,
      strategy: new RegularizedEvolution({ space, seed: 4, populationSize: 4 }),
      budget: 9,
      concurrency: 3,
      evaluate: async ({ architecture }) => {
        most = Math.max(most, ++running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        return reward(architecture);
      },
    });
    expect(most).toBe(3);
    const strategy = new RegularizedEvolution({ space });
    await expect(search({ space, strategy, evaluate: () => 1, budget: 0 })).rejects.toThrow('search: budget must be a positive integer');
    await expect(search({ space, strategy, evaluate: () => 1, budget: 1, epochs: 3 } as never)).rejects.toThrow('search: unknown option epochs');
    await expect(search({ space, strategy, evaluate: () => Number.NaN, budget: 1 })).rejects.toThrow('evaluate returned NaN for trial 0');
  });
});
