import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyStudy } from './copy-study.js';
import { RandomSampler } from './random-sampler.js';
import { InMemoryStorage } from './storage-memory.js';
import { SQLiteStorage } from './storage-sqlite.js';
import { createStudy } from './study.js';
import { postgresUnavailable, startPostgres, type PostgresServer } from './testing/postgres-server.js';
import { TrialPruned } from './trial.js';
import type { Storage } from './types.js';
import './index.js';

const dir = mkdtempSync(join(tmpdir(), 'nn-hpo-copy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A study with every kind of trial: complete, pruned (with intermediates), failed, NaN/Infinity values, running, waiting. */
async function fill(storage: Storage | string): Promise<void> {
  const study = createStudy({ storage, studyName: 'src', direction: 'maximize', sampler: new RandomSampler({ seed: 4 }), pruner: 'nop' });
  study.setUserAttr('owner', { name: 'me', tags: ['a'] });
  await study.optimize((t) => {
    const x = t.suggestFloat('x', 1e-3, 1, { log: true });
    t.suggestInt('n', 1, 9, { step: 2 });
    t.suggestCategorical('act', ['relu', null, true]);
    t.report(Number.NaN, 0);
    t.report(Infinity, 1);
    t.setUserAttr('u', t.number);
    if (t.number === 2) throw new TrialPruned();
    if (t.number === 3) throw new Error('boom');
    return x;
  }, { nTrials: 6 });
  const running = study.ask();
  running.suggestFloat('x', 1e-3, 1, { log: true });
  study.enqueueTrial({ x: 0.5 });
}

function expectSameStudy(a: Storage, b: Storage, nameA: string, nameB = nameA) {
  const ra = a.getStudy(nameA)!;
  const rb = b.getStudy(nameB)!;
  expect(rb.directions).toEqual(ra.directions);
  expect(rb.userAttrs).toEqual(ra.userAttrs);
  expect(rb.systemAttrs).toEqual(ra.systemAttrs);
  const ta = a.getTrials(ra.studyId);
  const tb = b.getTrials(rb.studyId);
  expect(tb).toEqual(ta);
  // Key order too (the plots and the CLI list parameters in suggestion order).
  expect(tb.map((t) => Object.keys(t.params))).toEqual(ta.map((t) => Object.keys(t.params)));
  return ta;
}

describe('copyStudy', () => {
  it('copies memory -> SQLite exactly, and the copy goes on numbering and sampling where the source would', async () => {
    const mem = new InMemoryStorage();
    await fill(mem);
    const path = join(dir, 'a.db');
    copyStudy({ storage: mem, studyName: 'src' }, { storage: `sqlite:///${path}`, studyName: 'dst' });
    const sqlite = new SQLiteStorage({ path });
    const trials = expectSameStudy(mem, sqlite, 'src', 'dst');
    expect(trials.map((t) => t.state)).toEqual(['complete', 'complete', 'pruned', 'fail', 'complete', 'complete', 'running', 'waiting']);
    expect(trials[0].intermediateValues).toEqual({ 0: Number.NaN, 1: Infinity });
    const a = createStudy({ storage: mem, studyName: 'src', loadIfExists: true, sampler: new RandomSampler({ seed: 4 }) });
    const b = createStudy({ storage: sqlite, studyName: 'dst', loadIfExists: true, sampler: new RandomSampler({ seed: 4 }) });
    const [ta, tb] = [a.ask(), b.ask()];
    expect(tb.number).toBe(ta.number); // the queued trial, 7
    const [na, nb] = [a.ask(), b.ask()];
    expect([nb.number, nb.suggestFloat('y', 0, 1)]).toEqual([na.number, na.suggestFloat('y', 0, 1)]);
    sqlite.close();
  });

  it('refuses a missing source, an existing target, and rolls back a failed copy', async () => {
    const mem = new InMemoryStorage();
    await fill(mem);
    const other = new InMemoryStorage();
    expect(() => copyStudy({ storage: mem, studyName: 'nope' }, { storage: other })).toThrow('copyStudy: no study named "nope" in the source storage (it has: src)');
    copyStudy({ storage: mem, studyName: 'src' }, { storage: other });
    expect(() => copyStudy({ storage: mem, studyName: 'src' }, { storage: other })).toThrow('copyStudy: the target storage already has a study named "src"; delete it or pass to.studyName');
    const failing = new InMemoryStorage();
    let added = 0;
    failing.addTrial = function (this: InMemoryStorage, id, t) {
      if (added++ === 3) throw new Error('disk full');
      InMemoryStorage.prototype.addTrial.call(this, id, t);
    };
    expect(() => copyStudy({ storage: mem, studyName: 'src' }, { storage: failing })).toThrow('disk full');
    expect(failing.listStudies()).toEqual([]);
  });
});

describe.skipIf(postgresUnavailable())('copyStudy with PostgreSQL', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  }, 120_000);
  afterAll(() => server?.stop(), 60_000);

  it('round-trips SQLite -> PostgreSQL -> SQLite exactly; the PostgreSQL copy continues the numbering', async () => {
    const path = join(dir, 'b.db');
    const sqlite = new SQLiteStorage({ path });
    await fill(sqlite);
    const url = await server.createDatabase('copy');
    copyStudy({ storage: sqlite, studyName: 'src' }, { storage: url });
    const back = join(dir, 'c.db');
    copyStudy({ storage: url, studyName: 'src' }, { storage: `sqlite:///${back}`, studyName: 'again' });
    const pg = createStudy({ storage: url, studyName: 'src', loadIfExists: true, sampler: new RandomSampler({ seed: 4 }) });
    expectSameStudy(sqlite, pg.storage, 'src');
    const sqliteBack = new SQLiteStorage({ path: back });
    expectSameStudy(sqlite, sqliteBack, 'src', 'again');
    expect(pg.ask().number).toBe(7); // the queued trial
    expect(pg.ask().number).toBe(8);
    pg.storage.close?.();
    sqlite.close();
    sqliteBack.close();
  });
});
