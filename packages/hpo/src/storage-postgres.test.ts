import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GPSampler } from './gp-sampler.js';
import { RandomSampler } from './random-sampler.js';
import pg from 'pg';
import { PostgresStorage } from './storage-postgres.js';
import { ops } from './storage-postgres.thread.js';
import { prunedStudy } from './testing/storage-contract.js';
import { createStudy, storageFromUrl } from './study.js';
import { postgresUnavailable, startPostgres, type PostgresServer } from './testing/postgres-server.js';
import type { FrozenTrial } from './types.js';
import './index.js';

const unavailable = postgresUnavailable();
if (unavailable) console.warn(`skipping the PostgreSQL storage tests: ${unavailable}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const worker = fileURLToPath(new URL('./storage-postgres.worker.ts', import.meta.url));

let server: PostgresServer;
let dbCounter = 0;
const freshDb = () => server.createDatabase(`t${dbCounter++}`);

interface Run {
  child: ChildProcess;
  nTrials: number;
  done: string[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function startWorker(url: string, name: string, nTrials: number, sleepMs: number, seed: number): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', worker, url, name, String(nTrials), String(sleepMs), String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const done: string[] = [];
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
    const lines = out.split('\n');
    out = lines.pop()!;
    done.push(...lines);
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    // 'close', not 'exit': every line the worker printed has been read by then.
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
  return { child, nTrials, done, exit };
}

describe.skipIf(unavailable)('PostgresStorage', () => {
  beforeAll(async () => {
    server = await startPostgres();
  }, 120_000);
  afterAll(() => server?.stop(), 60_000);

  it('stores a study that another storage object reads back exactly, NaN and Infinity included; resolves postgres:// URLs', async () => {
    const url = await freshDb();
    const a = storageFromUrl(url) as PostgresStorage;
    expect(a).toBeInstanceOf(PostgresStorage);
    const study = createStudy({ storage: a, studyName: 's', sampler: new RandomSampler({ seed: 1 }) });
    await study.optimize((t) => {
      const x = t.suggestFloat('x', 0, 1, { log: false });
      t.suggestCategorical('c', [null, true, 'z']);
      t.report(Number.NaN, 0);
      t.report(-Infinity, 1);
      t.setUserAttr('note', { deep: [1, 2] });
      return x;
    }, { nTrials: 5 });
    study.setUserAttr('owner', 'me');
    const b = new PostgresStorage({ url: url.replace('postgres://', 'postgresql://') });
    const again = createStudy({ storage: b, studyName: 's', loadIfExists: true });
    expect(again.trials).toEqual(study.trials);
    expect(again.trials.map((t) => t.number)).toEqual([0, 1, 2, 3, 4]);
    expect(again.trials[0].intermediateValues).toEqual({ 0: Number.NaN, 1: -Infinity });
    expect(Object.keys(again.trials[0].params)).toEqual(['x', 'c']);
    expect(again.userAttrs).toEqual({ owner: 'me' });
    expect(again.bestValue).toBe(study.bestValue);
    expect(() => createStudy({ storage: b, studyName: 's' })).toThrow('createStudy: a study named "s" already exists in this database; pass loadIfExists: true to resume it');
    expect(b.listStudies().map((s) => s.studyName)).toEqual(['s']);
    expect(b.deleteStudy('s')).toBe(true);
    expect(b.deleteStudy('s')).toBe(false);
    expect(a.getStudy('s')).toBeNull();
    a.close();
    b.close();
  });

  it('continues a seeded sampler after a resume', async () => {
    const url = await freshDb();
    const objective = (t: { suggestFloat: (n: string, l: number, h: number) => number }) => t.suggestFloat('x', 0, 1);
    const first = createStudy({ storage: url, studyName: 'r', sampler: new RandomSampler({ seed: 9 }) });
    await first.optimize(objective, { nTrials: 3 });
    first.storage.close?.();
    const resumed = createStudy({ storage: url, studyName: 'r', loadIfExists: true, sampler: new RandomSampler({ seed: 9 }) });
    await resumed.optimize(objective, { nTrials: 3 });
    const straight = createStudy({ sampler: new RandomSampler({ seed: 9 }) });
    await straight.optimize(objective, { nTrials: 6 });
    expect(resumed.trials.map((t) => t.params)).toEqual(straight.trials.map((t) => t.params));
    resumed.storage.close?.();
  });

  it('creates its schema once, records its version, and refuses a newer one', async () => {
    const url = await freshDb();
    new PostgresStorage({ url }).close();
    new PostgresStorage({ url }).close();
    const meta = await server.query(`SELECT key, value FROM nn_hpo_meta`, []).catch(() => null);
    expect(meta).toBeNull(); // the superuser's own database was not touched
    const name = url.slice(url.lastIndexOf('/') + 1);
    const c = new pg.Client({ connectionString: server.url(name) });
    await c.connect();
    expect((await c.query("SELECT value FROM nn_hpo_meta WHERE key = 'schema_version'")).rows).toEqual([{ value: '1' }]);
    await c.query("UPDATE nn_hpo_meta SET value = '2' WHERE key = 'schema_version'");
    await c.end();
    expect(() => new PostgresStorage({ url })).toThrow(/^PostgresStorage \(postgres:\/\/postgres@127\.0\.0\.1:\d+\/t\d+\): the database was written by a newer @nn\/hpo \(schema 2; this version reads 1\); upgrade @nn\/hpo$/);
  });

  it('gives clean errors for a wrong URL, a refused connection and a missing database', () => {
    expect(() => new PostgresStorage({ url: 'mysql://u@h/db' })).toThrow('PostgresStorage: "mysql://u@h/db" is not a PostgreSQL URL (scheme mysql:); expected postgres://user[:password]@host[:port]/database');
    expect(() => new PostgresStorage({ url: 'postgres://u:secret@h:99999/db' })).toThrow('PostgresStorage: "postgres://u:***@h:99999/db" is not a URL; expected postgres://user[:password]@host[:port]/database');
    expect(() => new PostgresStorage({ url: '' })).toThrow('PostgresStorage: url must be a non-empty string such as postgres://user@localhost:5432/db');
    expect(() => new PostgresStorage({ url: 'postgres://u@h/db', heartbeatInterval: -1 })).toThrow('PostgresStorage: heartbeatInterval must be a non-negative number of seconds, got -1');
    expect(() => new PostgresStorage({ url: 'postgres://u@h/db', host: 'x' } as never)).toThrow('PostgresStorage: unknown option "host"');
    expect(() => new PostgresStorage({ url: 'postgres://me:pw@127.0.0.1:1/db' })).toThrow('PostgresStorage (postgres://me:***@127.0.0.1:1/db): connection refused (is the server running and listening there?)');
    expect(() => new PostgresStorage({ url: server.url('nope') })).toThrow(/^PostgresStorage \(postgres:\/\/postgres@127\.0\.0\.1:\d+\/nope\): database "nope" does not exist \(create it first: createdb\)$/);
    expect(() => createStudy({ storage: 'postgres://u@h:x/db' })).toThrow('PostgresStorage: "postgres://u@h:x/db" is not a URL');
  });

  it('reconnects after its connection is killed (pg_terminate_backend) and goes on', async () => {
    const url = await freshDb();
    const storage = new PostgresStorage({ url, reconnectTimeout: 20 });
    const study = createStudy({ storage, studyName: 'k', sampler: new RandomSampler({ seed: 3 }) });
    await study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 2 });
    const killed = await server.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'nn-hpo pid ${process.pid}' AND datname = $1`, [url.slice(url.lastIndexOf('/') + 1)]);
    expect(killed.rowCount).toBe(1);
    await sleep(100);
    await study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 2 });
    expect(study.trials.map((t) => [t.number, t.state])).toEqual([
      [0, 'complete'],
      [1, 'complete'],
      [2, 'complete'],
      [3, 'complete'],
    ]);
    storage.close();
  });

  it('does not decide twice when a decision is retried with its token (a connection lost during COMMIT)', async () => {
    const url = await freshDb();
    const storage = new PostgresStorage({ url });
    const { studyId } = storage.createStudy('tok', ['minimize'], false);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const empty = [studyId, 'running', '{}', '{}', '{}', '{}'] as [number, string, string, string, string, string];
    const first = await ops.createTrial(c, empty, 'T1', false);
    // The retry finds the token written with the first attempt's transaction: the same trial, no second row.
    expect(await ops.createTrial(c, empty, 'T1', true)).toEqual(first);
    expect(storage.getTrials(studyId).map((t) => t.number)).toEqual([0]);
    expect(await ops.setTrialState(c, [studyId, 0, 'complete', '[1]', null], 'T2', false)).toBe(true);
    // Without its token the retry would answer false, and tell would report the trial "finished elsewhere".
    expect(await ops.setTrialState(c, [studyId, 0, 'complete', '[1]', null], 'T2', true)).toBe(true);
    expect(await ops.setTrialState(c, [studyId, 0, 'complete', '[1]', null], 'T3', true)).toBe(false);
    expect((await ops.createTrial(c, empty, 'T4', true)).number).toBe(1);
    // Nothing decided, nothing kept: no waiting trial to pop.
    expect(await ops.popWaitingTrial(c, [studyId], 'T5', false)).toBeNull();
    expect((await c.query("SELECT token FROM nn_hpo_requests WHERE token LIKE 'T_' ORDER BY token")).rows.map((r) => r.token)).toEqual(['T1', 'T2', 'T4']);
    await c.end();
    storage.close();
  });

  it('fails a trial whose heartbeat stopped and retries it with the same parameters', async () => {
    const url = await freshDb();
    const a = new PostgresStorage({ url, heartbeatInterval: 0.1, gracePeriod: 0.5, retryStaleTrials: 1 });
    const b = new PostgresStorage({ url, heartbeatInterval: 0.1, gracePeriod: 0.5, retryStaleTrials: 1 });
    const sa = createStudy({ storage: a, studyName: 'hb', sampler: new RandomSampler({ seed: 1 }) });
    const dead = sa.ask();
    dead.suggestFloat('x', 0, 1);
    dead.report(0.5, 0);
    const deadParams = dead.params;
    a.close(); // the worker "dies": no more heartbeats
    const sb = createStudy({ storage: b, studyName: 'hb', loadIfExists: true, sampler: new RandomSampler({ seed: 2 }) });
    // Its running trial is visible (constant liar) to the other worker's samplers, params included.
    expect(sb.getTrials(['running']).map((t) => [t.number, t.params])).toEqual([[0, deadParams]]);
    await sleep(700);
    await sb.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 1 });
    const [failed, retry] = sb.trials;
    expect(failed.state).toBe('fail');
    expect(failed.error).toMatch(/^stale trial: no heartbeat for \d+\.\d s \(grace period 0\.5 s\); its worker probably died$/);
    expect(failed.intermediateValues).toEqual({ 0: 0.5 });
    expect(retry).toMatchObject({ state: 'complete', params: deadParams, systemAttrs: { retriedFrom: 0, retryCount: 1 } });
    b.close();
  });

  it('lets the GP sampler see running trials of other workers (constant liar)', async () => {
    const url = await freshDb();
    const a = new PostgresStorage({ url });
    const b = new PostgresStorage({ url });
    const sa = createStudy({ storage: a, studyName: 'gp', sampler: new GPSampler({ seed: 1, nStartupTrials: 3 }) });
    await sa.optimize((t) => (t.suggestFloat('x', -1, 1) - 0.3) ** 2, { nTrials: 5 });
    const pending = sa.ask({ x: { type: 'float', low: -1, high: 1, log: false, step: null } });
    const sb = createStudy({ storage: b, studyName: 'gp', loadIfExists: true, sampler: new GPSampler({ seed: 1, nStartupTrials: 3 }) });
    const other = sb.ask({ x: { type: 'float', low: -1, high: 1, log: false, step: null } });
    expect(other.number).toBe(pending.number + 1);
    // Same seed, same complete trials: only the lie about the pending trial can make the proposals differ.
    expect(other.params.x).not.toBe(pending.params.x);
    sa.tell(pending, 1);
    sb.tell(other, 1);
    a.close();
    b.close();
  });

  it('keeps pruner bookkeeping and pruned trials', async () => {
    const storage = new PostgresStorage({ url: await freshDb() });
    const study = await prunedStudy(storage);
    expect(study.trials.map((t) => t.state)).toEqual(['complete', 'pruned', 'pruned']);
    expect(study.trials[1].systemAttrs).toHaveProperty('completed_rung_0', 10);
    expect(study.trials[1].values).toEqual([10]);
    storage.close();
  });

  it('runs an objective module in worker processes (the storage travels as its config)', async () => {
    const storage = new PostgresStorage({ url: await freshDb() });
    const study = createStudy({ storage, studyName: 'procs', sampler: new RandomSampler({ seed: 1 }), pruner: 'nop' });
    await study.optimize({ module: new URL('./storage-sqlite.objective.ts', import.meta.url), export: 'objective' }, { nTrials: 6, concurrency: 2 });
    const trials = study.trials;
    expect(trials.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(new Set(trials.map((t) => t.userAttrs.pid)).size).toBe(2);
    storage.close();
  });

  it('8 workers x 100 trials, some killed (kill -9) and some disconnected mid-trial: nothing finished is lost or duplicated, every stale trial retried', async () => {
    const url = await freshDb();
    const observer = new PostgresStorage({ url, heartbeatInterval: 0 });
    const { studyId } = observer.createStudy('chaos', ['minimize'], false);
    const runs = Array.from({ length: 8 }, (_, i) => startWorker(url, 'chaos', 100, 24, i + 1));
    const allRuns = [...runs];
    // A worker frozen (SIGSTOP) in the middle of a trial: it has reported a step, and after a moment for any
    // statement already sent to finish, its trial is still running — so it cannot finish that trial now.
    const killed: number[] = [];
    const freezeMidTrial = async (exclude: Run[] = []): Promise<[number, number]> => {
      for (;;) {
        const live = runs.filter((r) => !exclude.includes(r));
        const t = observer.getTrials(studyId, ['running']).find((t) => Object.keys(t.intermediateValues).length > 0 && live.some((r) => r.child.pid === t.userAttrs.pid));
        if (!t) {
          await sleep(2);
          continue;
        }
        const i = runs.findIndex((r) => r.child.pid === t.userAttrs.pid);
        runs[i].child.kill('SIGSTOP');
        await sleep(100);
        if (observer.getTrial(studyId, t.number).state === 'running') return [i, t.number];
        runs[i].child.kill('SIGCONT');
      }
    };
    // Three rounds of chaos while the study runs: kill -9 a worker mid-trial (a replacement resumes its share),
    // and cut another worker's connection mid-trial (it must reconnect and carry on).
    for (let round = 0; round < 3; round++) {
      while (observer.getTrials(studyId, ['complete']).length < 150 * (round + 1)) await sleep(25);
      const [v, dying] = await freezeMidTrial();
      killed.push(dying);
      const victim = runs[v];
      victim.child.kill('SIGKILL');
      expect((await victim.exit).signal).toBe('SIGKILL');
      const finishedByVictim = victim.done.length;
      // The victim asked finishedByVictim + 1 trials (one died with it); its replacement asks the rest.
      const replacement = startWorker(url, 'chaos', victim.nTrials - finishedByVictim - 1, 24, 100 + round);
      runs[v] = replacement;
      allRuns.push(replacement);

      const [c] = await freezeMidTrial([replacement]);
      const cutRows = await server.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'nn-hpo pid ${runs[c].child.pid}'`);
      expect(cutRows.rowCount).toBe(1);
      runs[c].child.kill('SIGCONT');
    }
    const exits = await Promise.all(runs.map((r) => r.exit));
    for (const e of exits) expect(e).toMatchObject({ code: 0, stderr: '' });

    // Resume: whatever trials the killed workers left running are failed by heartbeat and retried here.
    await sleep(2100);
    const storage = new PostgresStorage({ url, heartbeatInterval: 0.25, gracePeriod: 2, retryStaleTrials: 1 });
    const study = createStudy({ storage, studyName: 'chaos', loadIfExists: true, sampler: new RandomSampler({ seed: 999 }) });
    const pending = () => study.getTrials(['running', 'waiting']).length;
    let resumed = 0;
    for (let n = pending(); n > 0; n = pending()) {
      await study.optimize((t) => t.suggestFloat('x', -5, 5) ** 2, { nTrials: n });
      resumed += n;
    }
    const trials = study.trials;

    // Numbers unique and contiguous.
    expect(trials.map((t) => t.number)).toEqual([...trials.keys()]);
    // Every trial a worker reported finished is stored as finished, in that state.
    const byNumber = new Map<number, FrozenTrial>(trials.map((t) => [t.number, t]));
    const reported = allRuns.flatMap((r) => r.done.map((line) => line.split(' ')));
    expect(reported.length).toBeGreaterThan(700);
    for (const [, n, state, uid] of reported) expect([byNumber.get(Number(n))?.state, byNumber.get(Number(n))?.userAttrs.uid]).toEqual([state, uid]);
    // None duplicated: each objective call (uid) is at most one trial, each reported number once.
    const uids = trials.map((t) => t.userAttrs.uid).filter((u) => u !== undefined);
    expect(new Set(uids).size).toBe(uids.length);
    expect(new Set(reported.map((r) => r[1])).size).toBe(reported.length);
    // The killed workers' trials failed by heartbeat, each retried once, the retry complete. (On a machine
    // loaded enough to hold a live worker's heartbeat past the grace period, its trial is failed and retried
    // too: the same rules hold for it.)
    const stale = trials.filter((t) => t.state === 'fail');
    expect(stale.map((t) => t.number)).toEqual(expect.arrayContaining(killed));
    for (const t of stale) {
      expect(t.error).toMatch(/^stale trial: no heartbeat/);
      const retries = trials.filter((r) => r.systemAttrs.retriedFrom === t.number);
      expect(retries).toHaveLength(1);
      expect(retries[0]).toMatchObject({ state: 'complete', params: t.params });
    }
    expect(trials.filter((t) => t.state === 'complete')).toHaveLength(trials.length - stale.length);
    // 800 trials asked by the workers (a killed worker's replacement runs the rest of its share), those resumed
    // here, and nothing else: each retry took the place of an ask.
    expect(trials.length).toBe(800 + resumed);
    observer.close();
    storage.close();
  }, 240_000);
});
