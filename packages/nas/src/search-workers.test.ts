import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createStudy, SQLiteStorage, SuccessiveHalvingPruner, type FrozenTrial } from '@nn/hpo';
import { afterEach, describe, expect, it } from 'vitest';
import { RandomArchitectures, RegularizedEvolution, search } from './index.js';
import { reward, space } from './search-workers.evaluate.js';

const module = new URL('./search-workers.evaluate.ts', import.meta.url);
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempStorage = () => {
  const d = mkdtempSync(join(tmpdir(), 'nas-workers-'));
  dirs.push(d);
  return `sqlite:///${join(d, 'nas.db')}`;
};
const attrs = (t: FrozenTrial) => t.userAttrs as { pid: number; start: number; end: number };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether a process runs (a zombie, dead but not yet reaped by its parent, does not). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return true;
  }
}

describe('search with an evaluate module: candidates in worker processes', () => {
  it('runs candidates in `concurrency` processes at once, with the results of the sequential search', async () => {
    const sequential = await search({ space, strategy: new RandomArchitectures({ space, seed: 5 }), evaluate: ({ architecture }) => reward(architecture), budget: 8 });
    const parallel = await search({ space, strategy: new RandomArchitectures({ space, seed: 5 }), evaluate: { module, export: 'evaluateTogether' }, budget: 8, concurrency: 2, storage: tempStorage() });
    expect(parallel.history).toEqual(sequential.history);
    expect(parallel.architecture).toEqual(sequential.architecture);
    expect(parallel.reward).toBe(sequential.reward);
    // The model of a worker cannot come back: the best architecture is built afresh here.
    expect(parallel.model).toEqual({ built: parallel.architecture, pid: process.pid });

    const trials = parallel.study.trials;
    const pids = new Set(trials.map((t) => attrs(t).pid));
    expect(pids.size).toBe(2);
    expect(pids.has(process.pid)).toBe(false);
    const [a, b] = trials.map(attrs);
    expect(a.pid).not.toBe(b.pid);
    // Trials 0 and 1 ran at the same time: each started before the other ended.
    expect(a.start < b.end && b.start < a.end).toBe(true);
  });

  it('prunes with successive halving across processes', async () => {
    const strategy = new RegularizedEvolution({ space, seed: 2, populationSize: 4 });
    const told: number[] = [];
    const tell = strategy.tell.bind(strategy);
    strategy.tell = (c, r) => {
      told.push(r);
      tell(c, r);
    };
    const result = await search({
      space,
      strategy,
      budget: 16,
      concurrency: 2,
      storage: tempStorage(),
      pruner: new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 }),
      evaluate: { module, export: 'evaluateEpochs' },
    });
    const pruned = result.history.filter((h) => h.state === 'pruned');
    expect(pruned.length).toBeGreaterThan(0);
    // Every candidate's reward reached the strategy; a pruned one's is its last report, made in its worker.
    expect(told).toHaveLength(16);
    const trials = result.study.trials;
    for (const p of pruned) {
      const steps = trials[p.trial].intermediateValues;
      const last = Math.max(...Object.keys(steps).map(Number));
      expect(p.reward).toBe(reward(p.architecture) * (last / 4));
      expect(told).toContain(p.reward);
    }
    expect(pruned.some((p) => Object.keys(trials[p.trial].intermediateValues).length < 4)).toBe(true);
    expect(new Set(trials.map((t) => attrs(t).pid)).size).toBe(2);
  });

  it('fails only the trial whose worker threw or died, and goes on', async () => {
    const result = await search({ space, strategy: new RandomArchitectures({ space, seed: 3 }), evaluate: { module, export: 'evaluateFlaky' }, budget: 6, concurrency: 2, storage: tempStorage() });
    const trials = result.study.trials;
    expect(trials.map((t) => t.state)).toEqual(['complete', 'fail', 'fail', 'complete', 'complete', 'complete']);
    const where = `evaluate "evaluateFlaky" of ${module.href}`;
    expect(trials[1].error).toMatch(new RegExp(`^NNError: search: trial 1 failed in worker process \\d \\(pid \\d+\\): ${where.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} threw Error: no good units$`));
    expect(trials[2].error).toMatch(/^NNError: search: trial 2 failed: worker process \d \(pid \d+\) running evaluate "evaluateFlaky" of file:.* exited with code 3$/);
    // The dead worker was replaced by a new process for the later trials.
    expect(trials.slice(3).map((t) => attrs(t).pid)).not.toContain(attrs(trials[2]).pid);
    expect(result.history.filter((h) => h.state === 'complete').every((h) => h.reward === reward(h.architecture))).toBe(true);
    // `model` was built in the worker, by the space the module exports.
    for (const t of trials.filter((t) => t.state === 'complete')) expect(t.userAttrs.modelPid).toBe(attrs(t).pid);
  });

  it('explains what cannot cross a process boundary', async () => {
    const strategy = new RandomArchitectures({ space });
    await expect(search({ space, strategy, evaluate: { module }, budget: 1, concurrency: 2 })).rejects.toThrow(
      'search: worker processes rebuild the storage from its config, but serialize: InMemoryStorage is not serializable: it has no getConfig() (use a storage other processes can open, such as SQLiteStorage or "sqlite:///nas.db")',
    );
    await expect(search({ space, strategy, evaluate: { module, export: 'nope' }, budget: 1, storage: tempStorage() })).rejects.toThrow(
      /^search: worker process 0 for evaluate "nope" of file:.*search-workers\.evaluate\.ts exited with code 1: .*has no function export "nope" \(exports: evaluate, evaluateEpochs, evaluateFlaky, evaluateOrHang, evaluateTogether, reward, space\)/,
    );
    const storage = tempStorage();
    await expect(search({ space, strategy, evaluate: { module, export: 'evaluate', space: 'nothing' }, budget: 1, storage })).rejects.toThrow('search: no candidate of study "nas" completed');
    expect(createStudy({ storage, studyName: 'nas', loadIfExists: true }).trials[0].error).toMatch(
      /threw NNError: search: evaluate read model, but file:.*search-workers\.evaluate\.ts has no search space export "nothing" to build it in the worker process; export the space from that module \(or name its export with evaluate\.space\)$/,
    );
    await expect(search({ space, strategy, evaluate: () => 1, budget: 1, concurrency: 0 })).rejects.toThrow('search: concurrency must be a positive integer, got 0');
  });
});

describe('one search process per study', () => {
  it('refuses a second search on a study another search is running', async () => {
    const storage = tempStorage();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const first = search({ space, strategy: new RandomArchitectures({ space }), budget: 1, storage, evaluate: async () => (started(), await gate, 1) });
    await running;
    await expect(search({ space, strategy: new RandomArchitectures({ space }), evaluate: () => 1, budget: 2, storage })).rejects.toThrow(
      new RegExp(`^search: study "nas" is being searched by process ${process.pid} on .* \\(since .*\\); run one search process per study`),
    );
    release();
    expect((await first).history.map((h) => h.state)).toEqual(['complete']);
    // Done: the study is free again.
    expect((await search({ space, strategy: new RandomArchitectures({ space }), evaluate: () => 1, budget: 2, storage })).history).toHaveLength(2);
  });

  it('counts a holder on another host as alive while its heartbeat is fresh, and takes the study from a dead one', async () => {
    const storage = tempStorage();
    const study = createStudy({ storage, studyName: 'nas', direction: 'maximize' });
    const hold = (lease: Record<string, string | number>) => study.storage.setStudySystemAttr(study.studyId, 'nas:search', { pid: 1, token: 'other', since: '2026-01-01T00:00:00.000Z', ...lease });
    const run = () => search({ space, strategy: new RandomArchitectures({ space }), evaluate: () => 1, budget: 1, storage });
    hold({ host: 'elsewhere', beat: Date.now() });
    await expect(run()).rejects.toThrow('search: study "nas" is being searched by process 1 on elsewhere (since 2026-01-01T00:00:00.000Z); run one search process per study');
    // Silent for longer than two minutes: gone.
    hold({ host: 'elsewhere', beat: Date.now() - 121_000 });
    expect((await run()).history).toHaveLength(1);
    expect(study.storage.getStudy('nas')!.systemAttrs['nas:search']).toBeNull();
  });

  it('refuses a study another process searches; resumes after that process is killed: its running trials fail, its workers exit', async () => {
    const storage = tempStorage();
    const path = storage.slice('sqlite:///'.length);
    const probe = new SQLiteStorage({ path });
    const study = createStudy({ storage: probe, studyName: 'nas', direction: 'maximize' });
    const killed = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./search-workers.kill.ts', import.meta.url)), path], { stdio: 'inherit' });
    const exited = new Promise((r) => killed.on('exit', r));
    let workers: number[] = [];
    try {
      // Wait until both workers hang, in trials 2 and 3.
      let hanging: FrozenTrial[] = [];
      for (let i = 0; i < 6000 && hanging.length < 2; i++) {
        await sleep(10);
        hanging = study.getTrials(['running']).filter((t) => t.number >= 2 && t.userAttrs.pid !== undefined);
      }
      expect(hanging.map((t) => t.number).sort()).toEqual([2, 3]);
      workers = hanging.map((t) => attrs(t).pid);
      // While it runs, a search from another process refuses the study.
      await expect(search({ space, strategy: new RandomArchitectures({ space }), evaluate: () => 1, budget: 6, storage })).rejects.toThrow(`search: study "nas" is being searched by process ${killed.pid} on `);
      killed.kill('SIGKILL');
      await exited;
      // The workers notice the search process is gone and exit.
      for (let i = 0; i < 3000 && workers.some(running); i++) await sleep(10);
      expect(workers.filter(running)).toEqual([]);
    } finally {
      // Whatever failed above, leave no process behind.
      killed.kill('SIGKILL');
      for (const pid of workers.filter(running)) process.kill(pid, 'SIGKILL');
      probe.close();
    }

    const resumed = await search({ space, strategy: new RandomArchitectures({ space, seed: 7 }), evaluate: { module, export: 'evaluate' }, budget: 6, concurrency: 2, storage });
    expect(resumed.history.map((h) => h.state)).toEqual(['complete', 'complete', 'fail', 'fail', 'complete', 'complete', 'complete', 'complete']);
    expect(resumed.study.trials[2].error).toBe('left running by an earlier search process');
    expect(resumed.history.filter((h) => h.state === 'complete').every((h) => h.reward === reward(h.architecture))).toBe(true);
  });
});
