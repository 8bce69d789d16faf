import { ErrorCode, NNError, registry, type JsonObject, type JsonValue } from '@nn/core';
import { checkOptions, intOption, numberOption, seconds } from './options.js';
import { decode, encode } from './json-codec.js';
import { isFinished } from './storage-memory.js';
import { decodeTrialRow } from './trial-row.js';
import type { Direction, Distribution, FrozenTrial, ParamValue, Storage, StudyRecord, TrialState } from './types.js';

/** The part of better-sqlite3's API this store uses (typed here so the package needs no types at run time). */
interface Statement {
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  get(...params: unknown[]): Record<string, unknown> | undefined;
  all(...params: unknown[]): Record<string, unknown>[];
}
interface Database {
  prepare(sql: string): Statement;
  exec(sql: string): void;
  pragma(sql: string, options?: { simple?: boolean }): unknown;
  transaction<F extends (...args: never[]) => unknown>(fn: F): F & { immediate: F };
  close(): void;
}
export type DatabaseConstructor = new (path: string, options?: { timeout?: number }) => Database;

export interface SQLiteStorageOptions {
  /** The database file (created if missing). Several processes may open the same file. */
  path: string;
  /** Seconds between heartbeats of running trials. Default 60; 0 turns liveness tracking off. */
  heartbeatInterval?: number;
  /** Seconds without a heartbeat after which a running trial counts as dead and is failed. Default 2 × heartbeatInterval. */
  gracePeriod?: number;
  /** How many times a trial failed for a stale heartbeat is re-enqueued with the same parameters. Default 0. */
  retryStaleTrials?: number;
  /** Milliseconds to wait for another process's write lock. Default 10000. */
  busyTimeout?: number;
  /** The better-sqlite3 constructor, for runtimes where it cannot be loaded synchronously (ESM on Node < 20.16). */
  Database?: DatabaseConstructor;
}

const SCHEMA_VERSION = 1;
const TRIAL_COLUMNS = 'trial_id, number, state, vals, params, distributions, intermediate, user_attrs, system_attrs, datetime_start, datetime_complete, error';

/** A synchronous `require` for this module, where the runtime offers one. */
function nodeRequire(): ((id: string) => unknown) | undefined {
  // Node >= 20.16 (and 22.3): a real require for this module, in ESM and CommonJS builds alike.
  const mod = (globalThis.process as unknown as { getBuiltinModule?: (id: string) => { createRequire(url: string): (id: string) => unknown } } | undefined)?.getBuiltinModule?.('node:module');
  if (mod) return mod.createRequire(import.meta.url);
  return typeof require === 'function' ? require : undefined;
}

/**
 * better-sqlite3, loaded on first use so that users who never touch SQLite need not install it. `req` is
 * injectable for tests.
 */
export function loadBetterSqlite3(req: ((id: string) => unknown) | null = nodeRequire() ?? null): DatabaseConstructor {
  if (!req) {
    throw new NNError(
      ErrorCode.InvalidArgument,
      'SQLiteStorage: this runtime cannot load "better-sqlite3" synchronously; pass it yourself: new SQLiteStorage({ path, Database }) with `import Database from "better-sqlite3"`',
      { package: 'better-sqlite3' },
    );
  }
  try {
    const m = req('better-sqlite3') as DatabaseConstructor | { default: DatabaseConstructor };
    return typeof m === 'function' ? m : m.default;
  } catch (e) {
    throw new NNError(
      ErrorCode.InvalidArgument,
      `SQLiteStorage needs the optional peer dependency "better-sqlite3" (version 11 or 12): npm install better-sqlite3 (${String((e as Error)?.message ?? e).split('\n')[0]}); if it is installed, pass it yourself: new SQLiteStorage({ path, Database })`,
      { package: 'better-sqlite3' },
    );
  }
}

/**
 * Studies in a SQLite file (better-sqlite3): every write is a transaction, the journal is a write-ahead log,
 * so a process killed at any moment (kill -9 included) leaves every finished trial intact, and several
 * processes can share one study — trial numbers and enqueued trials are handed out atomically. A running
 * trial whose heartbeat stops (its worker died) is failed after the grace period, and optionally retried.
 */
export class SQLiteStorage implements Storage {
  readonly path: string;
  readonly heartbeatInterval: number;
  readonly gracePeriod: number;
  readonly retryStaleTrials: number;
  private readonly db: Database;
  /** Finished trials never change: parse each once. */
  private readonly finishedCache = new Map<number, FrozenTrial>();

  constructor(options: SQLiteStorageOptions) {
    const where = 'SQLiteStorage';
    if (typeof options === 'string') options = { path: options };
    checkOptions(where, options, ['path', 'heartbeatInterval', 'gracePeriod', 'retryStaleTrials', 'busyTimeout', 'Database']);
    if (typeof options?.path !== 'string' || options.path === '') throw new NNError(ErrorCode.InvalidArgument, `${where}: path must be a non-empty string (the database file)`);
    this.path = options.path;
    this.heartbeatInterval = numberOption(where, 'heartbeatInterval', options.heartbeatInterval, 60, seconds(true));
    this.gracePeriod = numberOption(where, 'gracePeriod', options.gracePeriod, 2 * this.heartbeatInterval, seconds(false));
    this.retryStaleTrials = intOption(where, 'retryStaleTrials', options.retryStaleTrials, 0, 0);
    const busyTimeout = intOption(where, 'busyTimeout', options.busyTimeout, 10_000, 0);
    const Driver = options.Database ?? loadBetterSqlite3();
    try {
      this.db = new Driver(this.path, { timeout: busyTimeout });
      this.db.pragma('journal_mode = WAL');
    } catch (e) {
      // better-sqlite3 throws a bare TypeError/SqliteError ("the directory does not exist"): name the file.
      throw new NNError('IO_ERROR', `${where}: cannot open the database file ${this.path}: ${(e as Error)?.message ?? String(e)}`, { path: this.path, cause: e });
    }
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    try {
      this.migrate();
    } catch (e) {
      // A refused (newer) schema must not leave the file open.
      this.db.close();
      throw e;
    }
  }

  private migrate(): void {
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS nn_hpo_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS studies (
        study_id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE,
        directions TEXT NOT NULL,
        user_attrs TEXT NOT NULL DEFAULT '{}',
        system_attrs TEXT NOT NULL DEFAULT '{}'
      );
      CREATE TABLE IF NOT EXISTS trials (
        trial_id INTEGER PRIMARY KEY AUTOINCREMENT,
        study_id INTEGER NOT NULL REFERENCES studies(study_id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        state TEXT NOT NULL,
        vals TEXT,
        params TEXT NOT NULL DEFAULT '{}',
        distributions TEXT NOT NULL DEFAULT '{}',
        intermediate TEXT NOT NULL DEFAULT '{}',
        user_attrs TEXT NOT NULL DEFAULT '{}',
        system_attrs TEXT NOT NULL DEFAULT '{}',
        datetime_start REAL,
        datetime_complete REAL,
        error TEXT,
        heartbeat REAL,
        UNIQUE (study_id, number)
      );
      CREATE INDEX IF NOT EXISTS trials_by_state ON trials (study_id, state);
    `);
    const row = this.db.prepare("SELECT value FROM nn_hpo_meta WHERE key = 'schema_version'").get();
    if (!row) this.db.prepare("INSERT OR IGNORE INTO nn_hpo_meta (key, value) VALUES ('schema_version', ?)").run(String(SCHEMA_VERSION));
    else if (Number(row.value) > SCHEMA_VERSION) {
      throw new NNError(ErrorCode.UnsupportedFormat, `SQLiteStorage: ${this.path} was written by a newer @nn/hpo (schema ${row.value}; this version reads ${SCHEMA_VERSION}); upgrade @nn/hpo`);
    }
  }

  private tx<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  createStudy(studyName: string | undefined, directions: Direction[], loadIfExists: boolean): StudyRecord & { created: boolean } {
    return this.tx(() => {
      const name = studyName ?? `no-name-${Date.now().toString(36)}-${Math.floor(Math.random() * 2 ** 32).toString(36)}`;
      const existing = this.getStudy(name);
      if (existing) {
        if (!loadIfExists) throw new NNError(ErrorCode.InvalidArgument, `createStudy: a study named "${name}" already exists in ${this.path}; pass loadIfExists: true to resume it`, { studyName: name });
        return { ...existing, created: false };
      }
      const info = this.db.prepare('INSERT INTO studies (name, directions) VALUES (?, ?)').run(name, JSON.stringify(directions));
      return { studyId: Number(info.lastInsertRowid), studyName: name, directions: [...directions], userAttrs: {}, systemAttrs: {}, created: true };
    });
  }

  getStudy(studyName: string): StudyRecord | null {
    const row = this.db.prepare('SELECT * FROM studies WHERE name = ?').get(studyName);
    return row ? this.studyFromRow(row) : null;
  }

  listStudies(): StudyRecord[] {
    return this.db.prepare('SELECT * FROM studies ORDER BY study_id').all().map((r) => this.studyFromRow(r));
  }

  deleteStudy(studyName: string): boolean {
    return this.tx(() => {
      const s = this.getStudy(studyName);
      if (!s) return false;
      this.db.prepare('DELETE FROM trials WHERE study_id = ?').run(s.studyId);
      this.db.prepare('DELETE FROM studies WHERE study_id = ?').run(s.studyId);
      return true;
    });
  }

  setStudyUserAttr(studyId: number, key: string, value: JsonValue): void {
    this.patchStudyJson(studyId, 'user_attrs', key, value);
  }

  setStudySystemAttr(studyId: number, key: string, value: JsonValue): void {
    this.patchStudyJson(studyId, 'system_attrs', key, value);
  }

  createTrial(studyId: number, template: Partial<Pick<FrozenTrial, 'state' | 'params' | 'distributions' | 'userAttrs' | 'systemAttrs'>> = {}): FrozenTrial {
    return this.tx(() => {
      const next = this.db.prepare('SELECT COALESCE(MAX(number), -1) + 1 AS n FROM trials WHERE study_id = ?').get(studyId)!.n as number;
      const state = template.state ?? 'running';
      const now = Date.now();
      this.db
        .prepare('INSERT INTO trials (study_id, number, state, params, distributions, user_attrs, system_attrs, datetime_start, heartbeat) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(studyId, next, state, encode(template.params ?? {}), encode(template.distributions ?? {}), encode(template.userAttrs ?? {}), encode(template.systemAttrs ?? {}), state === 'running' ? now : null, state === 'running' ? now : null);
      return this.getTrial(studyId, next);
    });
  }

  addTrial(studyId: number, t: FrozenTrial): void {
    this.db
      .prepare('INSERT INTO trials (study_id, number, state, vals, params, distributions, intermediate, user_attrs, system_attrs, datetime_start, datetime_complete, error, heartbeat) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(
        studyId,
        t.number,
        t.state,
        t.values ? encode(t.values) : null,
        encode(t.params),
        encode(t.distributions),
        encode(t.intermediateValues),
        encode(t.userAttrs),
        encode(t.systemAttrs),
        t.datetimeStart,
        t.datetimeComplete,
        t.error,
        t.state === 'running' ? Date.now() : null,
      );
  }

  popWaitingTrial(studyId: number): FrozenTrial | null {
    return this.tx(() => {
      const row = this.db.prepare("SELECT number FROM trials WHERE study_id = ? AND state = 'waiting' ORDER BY number LIMIT 1").get(studyId);
      if (!row) return null;
      const now = Date.now();
      this.db.prepare("UPDATE trials SET state = 'running', datetime_start = ?, heartbeat = ? WHERE study_id = ? AND number = ?").run(now, now, studyId, row.number);
      return this.getTrial(studyId, row.number as number);
    });
  }

  setTrialParam(studyId: number, trialNumber: number, name: string, distribution: Distribution, value: ParamValue): void {
    this.tx(() => {
      const t = this.runningTrial(studyId, trialNumber, 'setTrialParam');
      this.db
        .prepare('UPDATE trials SET params = ?, distributions = ? WHERE study_id = ? AND number = ?')
        .run(encode({ ...t.params, [name]: value }), encode({ ...t.distributions, [name]: distribution }), studyId, trialNumber);
    });
  }

  setTrialIntermediateValue(studyId: number, trialNumber: number, step: number, value: number): void {
    this.tx(() => {
      const t = this.runningTrial(studyId, trialNumber, 'report');
      this.db.prepare('UPDATE trials SET intermediate = ? WHERE study_id = ? AND number = ?').run(encode({ ...t.intermediateValues, [step]: value }), studyId, trialNumber);
    });
  }

  setTrialUserAttr(studyId: number, trialNumber: number, key: string, value: JsonValue): void {
    this.patchTrialJson(studyId, trialNumber, 'user_attrs', 'userAttrs', key, value);
  }

  setTrialSystemAttr(studyId: number, trialNumber: number, key: string, value: JsonValue): void {
    this.patchTrialJson(studyId, trialNumber, 'system_attrs', 'systemAttrs', key, value);
  }

  setTrialState(studyId: number, trialNumber: number, state: TrialState, values: number[] | null, error: string | null = null): boolean {
    return this.tx(() => {
      const t = this.getTrial(studyId, trialNumber);
      if (isFinished(t.state)) return false;
      this.db
        .prepare('UPDATE trials SET state = ?, vals = ?, error = ?, datetime_complete = ? WHERE study_id = ? AND number = ?')
        .run(state, values ? encode(values) : null, error, isFinished(state) ? Date.now() : null, studyId, trialNumber);
      return true;
    });
  }

  getTrial(studyId: number, trialNumber: number): FrozenTrial {
    const row = this.db.prepare(`SELECT ${TRIAL_COLUMNS} FROM trials WHERE study_id = ? AND number = ?`).get(studyId, trialNumber);
    if (!row) throw new NNError(ErrorCode.InvalidArgument, `storage: study ${studyId} has no trial ${trialNumber}`, { studyId, trialNumber });
    return this.trialFromRow(row);
  }

  getTrials(studyId: number, states?: TrialState[]): FrozenTrial[] {
    const filter = states ? ` AND state IN (${states.map(() => '?').join(', ') || 'NULL'})` : '';
    const args = [studyId, ...(states ?? [])];
    // Samplers and pruners read the trials many times per trial: fetch only the rows not cached as finished.
    const ids = this.db.prepare(`SELECT trial_id FROM trials WHERE study_id = ?${filter} ORDER BY number`).all(...args).map((r) => r.trial_id as number);
    const missing = ids.filter((id) => !this.finishedCache.has(id));
    const fresh = new Map<number, FrozenTrial>();
    if (missing.length > 200) {
      for (const row of this.db.prepare(`SELECT ${TRIAL_COLUMNS} FROM trials WHERE study_id = ?${filter}`).all(...args)) fresh.set(row.trial_id as number, this.trialFromRow(row));
    } else if (missing.length > 0) {
      for (const row of this.db.prepare(`SELECT ${TRIAL_COLUMNS} FROM trials WHERE trial_id IN (${missing.map(() => '?').join(', ')})`).all(...missing)) fresh.set(row.trial_id as number, this.trialFromRow(row));
    }
    const out: FrozenTrial[] = [];
    for (const id of ids) {
      const t = this.finishedCache.get(id) ?? fresh.get(id);
      if (t && (!states || states.includes(t.state))) out.push(t);
    }
    return out;
  }

  recordHeartbeat(studyId: number, trialNumber: number): void {
    this.db.prepare("UPDATE trials SET heartbeat = ? WHERE study_id = ? AND number = ? AND state = 'running'").run(Date.now(), studyId, trialNumber);
  }

  failStaleTrials(studyId: number): FrozenTrial[] {
    if (!this.heartbeatInterval) return [];
    return this.tx(() => {
      const now = Date.now();
      const cutoff = now - this.gracePeriod * 1000;
      const stale = this.db.prepare("SELECT number, heartbeat FROM trials WHERE study_id = ? AND state = 'running' AND heartbeat IS NOT NULL AND heartbeat < ?").all(studyId, cutoff);
      for (const row of stale) {
        const silent = ((now - (row.heartbeat as number)) / 1000).toFixed(1);
        this.db
          .prepare("UPDATE trials SET state = 'fail', error = ?, datetime_complete = ? WHERE study_id = ? AND number = ?")
          .run(`stale trial: no heartbeat for ${silent} s (grace period ${this.gracePeriod} s); its worker probably died`, now, studyId, row.number);
      }
      return stale.map((r) => this.getTrial(studyId, r.number as number));
    });
  }

  close(): void {
    this.db.close();
  }

  getConfig(): Record<string, unknown> {
    return { path: this.path, heartbeatInterval: this.heartbeatInterval, gracePeriod: this.gracePeriod, retryStaleTrials: this.retryStaleTrials };
  }

  static fromConfig(config: JsonObject): SQLiteStorage {
    return new SQLiteStorage(config as unknown as SQLiteStorageOptions);
  }

  private studyFromRow(row: Record<string, unknown>): StudyRecord {
    return {
      studyId: row.study_id as number,
      studyName: row.name as string,
      directions: JSON.parse(row.directions as string),
      userAttrs: decode(row.user_attrs),
      systemAttrs: decode(row.system_attrs),
    };
  }

  private trialFromRow(row: Record<string, unknown>): FrozenTrial {
    const id = row.trial_id as number;
    const cached = this.finishedCache.get(id);
    if (cached) return cached;
    const trial = decodeTrialRow(row);
    if (isFinished(trial.state)) this.finishedCache.set(id, trial);
    return trial;
  }

  private runningTrial(studyId: number, trialNumber: number, what: string): FrozenTrial {
    const t = this.getTrial(studyId, trialNumber);
    if (isFinished(t.state)) throw new NNError(ErrorCode.InvalidArgument, `${what}: trial ${trialNumber} has already finished (${t.state})`, { trialNumber, state: t.state });
    return t;
  }

  private patchTrialJson(studyId: number, trialNumber: number, column: string, field: 'userAttrs' | 'systemAttrs', key: string, value: JsonValue): void {
    this.tx(() => {
      const t = this.getTrial(studyId, trialNumber);
      this.db.prepare(`UPDATE trials SET ${column} = ? WHERE study_id = ? AND number = ?`).run(encode({ ...t[field], [key]: value }), studyId, trialNumber);
      for (const [id, c] of this.finishedCache) if (c.number === trialNumber) this.finishedCache.delete(id);
    });
  }

  private patchStudyJson(studyId: number, column: string, key: string, value: JsonValue): void {
    this.tx(() => {
      const row = this.db.prepare(`SELECT ${column} AS v FROM studies WHERE study_id = ?`).get(studyId);
      if (!row) throw new NNError(ErrorCode.InvalidArgument, `storage: no study with id ${studyId}`, { studyId });
      this.db.prepare(`UPDATE studies SET ${column} = ? WHERE study_id = ?`).run(encode({ ...decode<JsonObject>(row.v), [key]: value }), studyId);
    });
  }
}

registry.register('storage', 'sqlite', SQLiteStorage);
