import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { RandomSampler } from './random-sampler.js';
import { loadBetterSqlite3, SQLiteStorage } from './storage-sqlite.js';
import { prunedStudy } from './testing/storage-contract.js';
import { createStudy } from './study.js';
import './index.js';

const dir = mkdtempSync(join(tmpdir(), 'nn-hpo-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const dbPath = () => join(dir, `study-${counter++}.db`);
const worker = fileURLToPath(new URL('./storage-sqlite.worker.ts', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function startWorker(path: string, name: string, nTrials: number, sleepMs: number, seed: number): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', worker, path, name, String(nTrials), String(sleepMs), String(seed)], { stdio: ['ignore', 'ignore', 'pipe'] });
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr += d));
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });

describe('SQLiteStorage', () => {
  it('stores a study that another storage object (another process) reads back, NaN and Infinity included', async () => {
    const path = dbPath();
    const a = new SQLiteStorage({ path });
    const study = createStudy({ storage: a, studyName: 's', sampler: new RandomSampler({ seed: 1 }) });
    await study.optimize((t) => {
      const x = t.suggestFloat('x', 0, 1, { log: false });
      t.suggestCategorical('c', [null, true, 'z']);
      t.report(Number.NaN, 0);
      t.report(Infinity, 1);
      t.setUserAttr('note', { deep: [1, 2] });
      return x;
    }, { nTrials: 5 });
    study.setUserAttr('owner', 'me');
    const b = new SQLiteStorage({ path });
    const again = createStudy({ storage: b, studyName: 's', loadIfExists: true });
    expect(again.trials).toEqual(study.trials);
    expect(again.trials[0].intermediateValues).toEqual({ 0: Number.NaN, 1: Infinity });
    expect(again.userAttrs).toEqual({ owner: 'me' });
    expect(again.bestValue).toBe(study.bestValue);
    expect(b.listStudies().map((s) => s.studyName)).toEqual(['s']);
    expect(b.deleteStudy('s')).toBe(true);
    expect(a.getStudy('s')).toBeNull();
    a.close();
    b.close();
  });

  it("resolves from a URL ('sqlite:///path') and continues a seeded sampler after a resume", async () => {
    const path = dbPath();
    const objective = (t: { suggestFloat: (n: string, l: number, h: number) => number }) => t.suggestFloat('x', 0, 1);
    const first = createStudy({ storage: `sqlite:///${path}`, studyName: 'r', sampler: new RandomSampler({ seed: 9 }) });
    await first.optimize(objective, { nTrials: 3 });
    first.storage.close?.();
    const resumed = createStudy({ storage: `sqlite:///${path}`, studyName: 'r', loadIfExists: true, sampler: new RandomSampler({ seed: 9 }) });
    await resumed.optimize(objective, { nTrials: 3 });
    const straight = createStudy({ sampler: new RandomSampler({ seed: 9 }) });
    await straight.optimize(objective, { nTrials: 6 });
    expect(resumed.trials.map((t) => t.params)).toEqual(straight.trials.map((t) => t.params));
    resumed.storage.close?.();
  });

  it('survives kill -9 mid-study: every finished trial intact, the dead trial failed by heartbeat and retried', async () => {
    const path = dbPath();
    const child = startWorker(path, 'crash', 1000, 60, 1);
    const done = exited(child);
    const observer = new SQLiteStorage({ path, heartbeatInterval: 0 });
    // Wait until the worker has finished some trials and is in the middle of another.
    let before: ReturnType<SQLiteStorage['getTrials']> = [];
    for (let i = 0; i < 1200; i++) {
      await sleep(25);
      try {
        const s = observer.getStudy('crash');
        if (!s) continue;
        before = observer.getTrials(s.studyId);
        if (before.filter((t) => t.state === 'complete').length >= 8 && before.some((t) => t.state === 'running' && Object.keys(t.intermediateValues).length > 0)) break;
      } catch {
        // The worker may still be creating the schema.
      }
    }
    child.kill('SIGKILL');
    const { signal } = await done;
    expect(signal).toBe('SIGKILL');

    const storage = new SQLiteStorage({ path, heartbeatInterval: 0.2, gracePeriod: 1, retryStaleTrials: 1 });
    const study = createStudy({ storage, studyName: 'crash', loadIfExists: true, sampler: new RandomSampler({ seed: 1 }) });
    const after = study.trials;
    const finishedBefore = before.filter((t) => t.state === 'complete');
    expect(finishedBefore.length).toBeGreaterThanOrEqual(8);
    for (const t of finishedBefore) expect(after[t.number]).toEqual(t);
    const dead = after.filter((t) => t.state === 'running');
    expect(dead).toHaveLength(1);

    await sleep(1100); // past the grace period
    await study.optimize((t) => t.suggestFloat('x', -5, 5) ** 2 + (t.suggestCategorical('k', ['a', 'b', 'c']) === 'a' ? 0 : 1), { nTrials: 3 });
    const final = study.trials;
    const failed = final[dead[0].number];
    expect(failed.state).toBe('fail');
    expect(failed.error).toMatch(/^stale trial: no heartbeat for [\d.]+ s \(grace period 1 s\); its worker probably died$/);
    const retry = final.find((t) => t.systemAttrs.retriedFrom === dead[0].number)!;
    expect(retry.state).toBe('complete');
    expect(retry.params).toEqual(dead[0].params);
    // The 3 trials of the resumed run (the retry among them) all completed; nothing finished earlier changed.
    expect(final.filter((t) => t.state === 'complete')).toHaveLength(after.filter((t) => t.state === 'complete').length + 3);
    // Resumed sampling continues the stream rather than replaying the first trials.
    const newest = final[final.length - 1];
    expect(final.slice(0, finishedBefore.length).some((t) => t.params.x === newest.params.x)).toBe(false);
    expect(final.map((t) => t.number)).toEqual([...final.keys()]);
    observer.close();
    storage.close();
  });

  it('lets several processes share one study file without losing or duplicating trials', async () => {
    const path = dbPath();
    // Create the study (and schema) first so the workers only load it.
    const s = new SQLiteStorage({ path });
    createStudy({ storage: s, studyName: 'shared' });
    const children = [startWorker(path, 'shared', 15, 15, 1), startWorker(path, 'shared', 15, 15, 2), startWorker(path, 'shared', 15, 15, 3)];
    const results = await Promise.all(children.map(exited));
    for (const r of results) expect(r).toMatchObject({ code: 0, stderr: '' });
    const trials = createStudy({ storage: s, studyName: 'shared', loadIfExists: true }).trials;
    expect(trials).toHaveLength(45);
    expect(trials.map((t) => t.number)).toEqual([...Array(45).keys()]);
    expect(trials.every((t) => t.state === 'complete' && Object.keys(t.intermediateValues).length === 3)).toBe(true);
    s.close();
  });

  it('keeps pruner bookkeeping and pruned trials', async () => {
    const storage = new SQLiteStorage({ path: dbPath() });
    const study = await prunedStudy(storage);
    expect(study.trials.map((t) => t.state)).toEqual(['complete', 'pruned', 'pruned']);
    expect(study.trials[1].systemAttrs).toHaveProperty('completed_rung_0', 10);
    storage.close();
  });

  it('validates its options', () => {
    expect(() => new SQLiteStorage({ path: '' })).toThrow('SQLiteStorage: path must be a non-empty string (the database file)');
    expect(() => new SQLiteStorage({ path: dbPath(), heartbeatInterval: -1 })).toThrow('SQLiteStorage: heartbeatInterval must be a non-negative number of seconds, got -1');
    expect(() => new SQLiteStorage({ path: dbPath(), gracePeriod: 0 })).toThrow('SQLiteStorage: gracePeriod must be a positive number of seconds, got 0');
    expect(() => new SQLiteStorage({ path: dbPath(), retryStaleTrials: 1.5 })).toThrow('SQLiteStorage: retryStaleTrials must be a non-negative integer, got 1.5');
    expect(() => new SQLiteStorage({ path: dbPath(), file: 'x' } as never)).toThrow('SQLiteStorage: unknown option "file"');
    const storage = new SQLiteStorage({ path: dbPath() });
    createStudy({ storage, studyName: 'dup' });
    expect(() => createStudy({ storage, studyName: 'dup' })).toThrow(/createStudy: a study named "dup" already exists in .*; pass loadIfExists: true to resume it/);
    storage.close();
  });

  it('names the missing package when better-sqlite3 cannot be loaded', () => {
    const fakeRequire = (id: string) => {
      throw new Error(`Cannot find module '${id}'`);
    };
    expect(() => loadBetterSqlite3(fakeRequire)).toThrow(`SQLiteStorage needs the optional peer dependency "better-sqlite3" (version 11 or 12): npm install better-sqlite3 (Cannot find module 'better-sqlite3')`);
    expect(() => loadBetterSqlite3(null)).toThrow('SQLiteStorage: this runtime cannot load "better-sqlite3" synchronously; pass it yourself');
    expect(typeof loadBetterSqlite3()).toBe('function');
  });
});

describe('optimize in worker processes', () => {
  it('runs an objective module in `concurrency` processes on one SQLite study', async () => {
    const storage = new SQLiteStorage({ path: dbPath() });
    const study = createStudy({ storage, studyName: 'procs', sampler: new RandomSampler({ seed: 1 }), pruner: 'nop' });
    await study.optimize({ module: new URL('./storage-sqlite.objective.ts', import.meta.url), export: 'objective' }, { nTrials: 13, concurrency: 3 });
    const trials = study.trials;
    expect(trials).toHaveLength(13);
    expect(trials.every((t) => t.state === 'complete' || (t.state === 'fail' && t.error === 'Error: too far right'))).toBe(true);
    const pids = new Set(trials.map((t) => t.userAttrs.pid));
    expect(pids.size).toBe(3);
    expect(pids.has(process.pid)).toBe(false);
    // Workers got distinct seeds: no two trials share a point.
    expect(new Set(trials.map((t) => t.params.x)).size).toBe(13);
    storage.close();
  });

  it('explains what cannot cross a process boundary', async () => {
    const ref = { module: new URL('./storage-sqlite.objective.ts', import.meta.url), export: 'objective' };
    await expect(createStudy({ pruner: 'nop' }).optimize(ref, { nTrials: 1 })).rejects.toThrow(
      'optimize: worker processes rebuild the storage from its config, but serialize: InMemoryStorage is not serializable: it has no getConfig() (use a storage other processes can open, such as SQLiteStorage)',
    );
    const storage = new SQLiteStorage({ path: dbPath() });
    const study = createStudy({ storage, pruner: 'nop', sampler: 'random' });
    await expect(study.optimize(ref, { catch: [Error] })).rejects.toThrow('optimize: with worker processes, catch must be true or false');
    await expect(study.optimize(ref, { callbacks: [() => {}] })).rejects.toThrow('optimize: callbacks cannot run in worker processes');
    await expect(study.optimize({ ...ref, export: 'nope' }, { nTrials: 1 })).rejects.toThrow(/optimize: worker process 0 exited with code 1: .*has no function export "nope" \(exports: objective\)/);
    storage.close();
  });
});
