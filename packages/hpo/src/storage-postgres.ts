import { ErrorCode, NNError, registry, type JsonObject, type JsonValue } from '@nn/core';
import { encode } from './json-codec.js';
import { checkOptions, intOption, numberOption, seconds } from './options.js';
import { isFinished } from './storage-memory.js';
import { decodeTrialRow } from './trial-row.js';
import type * as NodeModule from 'node:module';
import type * as NodeUrl from 'node:url';
import type * as WorkerThreadsModule from 'node:worker_threads';
import type { Request, Response, ThreadData } from './storage-postgres.thread.js';
import type { Direction, Distribution, FrozenTrial, ParamValue, Storage, StudyRecord, TrialState } from './types.js';

export interface PostgresStorageOptions {
  /** `postgres://user[:password]@host[:port]/database` (also `postgresql://`; `?host=/dir` for a unix socket). */
  url: string;
  /** Seconds between heartbeats of running trials. Default 60; 0 turns liveness tracking off. */
  heartbeatInterval?: number;
  /** Seconds without a heartbeat after which a running trial counts as dead and is failed. Default 2 × heartbeatInterval. */
  gracePeriod?: number;
  /** How many times a trial failed for a stale heartbeat is re-enqueued with the same parameters. Default 0. */
  retryStaleTrials?: number;
  /** Seconds to wait for a connection to open. Default 10. */
  connectTimeout?: number;
  /** Seconds to keep retrying (with backoff) after the connection is lost before giving up. Default 60. */
  reconnectTimeout?: number;
}

type Row = Record<string, unknown>;
type TrialTemplate = Partial<Pick<FrozenTrial, 'state' | 'params' | 'distributions' | 'userAttrs' | 'systemAttrs'>>;

// Node's worker_threads, loaded lazily so that importing @nn/hpo in a browser does not fail.
type WorkerThreads = typeof WorkerThreadsModule;
function workerThreads(): WorkerThreads {
  const getBuiltin = (globalThis.process as unknown as { getBuiltinModule?: (id: string) => unknown } | undefined)?.getBuiltinModule;
  // Node < 20.16 has no getBuiltinModule; there only the CommonJS build (which has a require) can load it synchronously.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = getBuiltin?.('node:worker_threads') ?? (typeof require === 'function' ? require('node:worker_threads') : undefined);
  if (!mod) throw new NNError(ErrorCode.InvalidArgument, 'PostgresStorage: needs Node.js (worker_threads), version 20.16 or later for ESM');
  return mod as WorkerThreads;
}

/** The URL with its password hidden, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@?#]*:)[^@/?#]*@/i, '$1***@');
}

function parseUrl(url: unknown): string {
  const where = 'PostgresStorage';
  if (typeof url !== 'string' || url === '') throw new NNError(ErrorCode.InvalidConfig, `${where}: url must be a non-empty string such as postgres://user@localhost:5432/db`);
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new NNError(ErrorCode.InvalidConfig, `${where}: "${redactUrl(url)}" is not a URL; expected postgres://user[:password]@host[:port]/database`, { url: redactUrl(url) });
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new NNError(ErrorCode.InvalidConfig, `${where}: "${redactUrl(url)}" is not a PostgreSQL URL (scheme ${u.protocol}); expected postgres://user[:password]@host[:port]/database`, { url: redactUrl(url) });
  }
  if (u.port && !(Number(u.port) > 0 && Number(u.port) < 65536)) throw new NNError(ErrorCode.InvalidConfig, `${where}: "${redactUrl(url)}" has an invalid port`, { url: redactUrl(url) });
  return url;
}

let tokenCounter = 0;
const token = () => `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${tokenCounter++}`;

/**
 * Studies in a PostgreSQL database (node-postgres), shared by workers on any number of machines. Same
 * semantics as {@link SQLiteStorage}: every write is a transaction, trial numbers come from a counter on the
 * study's row (unique and contiguous under any concurrency), running trials send heartbeats and are failed
 * (and optionally retried) when they stop, and a lost connection is retried with backoff — operations that
 * decide something carry a token, so a retry after a connection lost mid-COMMIT does not decide twice.
 *
 * The Storage interface is synchronous, so the queries run on a worker thread and this object waits for each
 * answer (Atomics.wait); one connection per storage object.
 */
export class PostgresStorage implements Storage {
  readonly url: string;
  readonly heartbeatInterval: number;
  readonly gracePeriod: number;
  readonly retryStaleTrials: number;
  readonly connectTimeout: number;
  readonly reconnectTimeout: number;
  private readonly worker: WorkerThreadsModule.Worker;
  private readonly port: WorkerThreadsModule.MessagePort;
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private readonly receive: WorkerThreads['receiveMessageOnPort'];
  private nextId = 0;
  private closed = false;
  /** Finished trials never change: per study, trial_id -> trial. */
  private readonly finishedCache = new Map<number, Map<number, FrozenTrial>>();

  constructor(options: PostgresStorageOptions | string) {
    const where = 'PostgresStorage';
    if (typeof options === 'string') options = { url: options };
    checkOptions(where, options, ['url', 'heartbeatInterval', 'gracePeriod', 'retryStaleTrials', 'connectTimeout', 'reconnectTimeout']);
    this.url = parseUrl(options.url);
    this.heartbeatInterval = numberOption(where, 'heartbeatInterval', options.heartbeatInterval, 60, seconds(true));
    this.gracePeriod = numberOption(where, 'gracePeriod', options.gracePeriod, 2 * this.heartbeatInterval, seconds(false));
    this.retryStaleTrials = intOption(where, 'retryStaleTrials', options.retryStaleTrials, 0, 0);
    this.connectTimeout = numberOption(where, 'connectTimeout', options.connectTimeout, 10, seconds(false));
    this.reconnectTimeout = numberOption(where, 'reconnectTimeout', options.reconnectTimeout, 60, seconds(true));

    const wt = workerThreads();
    this.receive = wt.receiveMessageOnPort;
    const { port1, port2 } = new wt.MessageChannel();
    this.port = port1;
    const data: ThreadData = { nnHpoPostgres: true, port: port2, signal: this.signal, url: this.url, connectTimeout: this.connectTimeout, reconnectTimeout: this.reconnectTimeout };
    this.worker = startThread(wt, data);
    // A storage left open must not keep the process alive.
    this.worker.unref();
    try {
      this.call('listStudies', []); // connects and creates or checks the schema
    } catch (e) {
      this.close();
      throw e;
    }
  }

  /** Sends one request to the thread and blocks until it answers. */
  private call<T>(op: Request['op'], args: unknown[], decides = false): T {
    if (this.closed) throw new NNError(ErrorCode.InvalidArgument, `PostgresStorage: ${op} after close()`);
    const id = this.nextId++;
    Atomics.store(this.signal, 0, 0);
    this.port.postMessage({ id, op, args, token: decides ? token() : undefined } satisfies Request);
    // The thread answers within its own retry budget; past that (plus a margin for slow statements) it is stuck.
    const deadline = Date.now() + (this.connectTimeout + this.reconnectTimeout) * 1000 + 600_000;
    for (;;) {
      Atomics.wait(this.signal, 0, 0, Math.max(1, Math.min(1000, deadline - Date.now())));
      const got = this.receive(this.port);
      if (got) {
        const res = got.message as Response;
        if (res.id !== id && res.id !== -1) continue;
        if (res.ok) return res.result as T;
        const { kind, message } = res.error;
        const where = `PostgresStorage (${redactUrl(this.url)})`;
        if (kind === 'schema') throw new NNError(ErrorCode.UnsupportedFormat, `${where}: the database was written by a newer @nn/hpo (${message}; this version reads 1); upgrade @nn/hpo`);
        if (kind === 'connection') throw new NNError(ErrorCode.InvalidConfig, `${where}: ${message}`, { url: redactUrl(this.url) });
        if (kind === 'user') throw new NNError(ErrorCode.InvalidArgument, message);
        throw new NNError(ErrorCode.InvalidArgument, `${where}: ${op} failed: ${message}`, { op, code: res.error.code });
      }
      if (this.worker.threadId === -1) throw new NNError(ErrorCode.InvalidArgument, `PostgresStorage: the database thread exited during ${op}`, { op });
      if (Date.now() >= deadline) throw new NNError(ErrorCode.InvalidArgument, `PostgresStorage: no answer from the database thread for ${op}`, { op });
      Atomics.store(this.signal, 0, 0);
    }
  }

  createStudy(studyName: string | undefined, directions: Direction[], loadIfExists: boolean): StudyRecord & { created: boolean } {
    const name = studyName ?? `no-name-${Date.now().toString(36)}-${Math.floor(Math.random() * 2 ** 32).toString(36)}`;
    return this.call('createStudy', [name, directions, loadIfExists], true);
  }

  getStudy(studyName: string): StudyRecord | null {
    return this.call('getStudy', [studyName]);
  }

  listStudies(): StudyRecord[] {
    return this.call('listStudies', []);
  }

  deleteStudy(studyName: string): boolean {
    const s = this.getStudy(studyName);
    if (s) this.finishedCache.delete(s.studyId);
    return this.call('deleteStudy', [studyName], true);
  }

  setStudyUserAttr(studyId: number, key: string, value: JsonValue): void {
    this.call('patchStudy', [studyId, 'user_attrs', key, encode(value)]);
  }

  setStudySystemAttr(studyId: number, key: string, value: JsonValue): void {
    this.call('patchStudy', [studyId, 'system_attrs', key, encode(value)]);
  }

  createTrial(studyId: number, template: TrialTemplate = {}): FrozenTrial {
    const row = this.call<Row>(
      'createTrial',
      [studyId, template.state ?? 'running', encode(template.params ?? {}), encode(template.distributions ?? {}), encode(template.userAttrs ?? {}), encode(template.systemAttrs ?? {})],
      true,
    );
    return this.trialFromRow(studyId, row);
  }

  /** Adds a trial exactly as given, its number and times included (for {@link copyStudy}). */
  addTrial(studyId: number, t: FrozenTrial): void {
    this.call('addTrial', [studyId, toRow(t)]);
  }

  popWaitingTrial(studyId: number): FrozenTrial | null {
    const row = this.call<Row | null>('popWaitingTrial', [studyId], true);
    return row ? this.trialFromRow(studyId, row) : null;
  }

  setTrialParam(studyId: number, trialNumber: number, name: string, distribution: Distribution, value: ParamValue): void {
    this.call('setTrialParam', [studyId, trialNumber, name, encode(distribution), encode(value)]);
  }

  setTrialIntermediateValue(studyId: number, trialNumber: number, step: number, value: number): void {
    this.call('setTrialIntermediateValue', [studyId, trialNumber, step, encode(value)]);
  }

  setTrialUserAttr(studyId: number, trialNumber: number, key: string, value: JsonValue): void {
    this.patchTrial(studyId, trialNumber, 'user_attrs', key, value);
  }

  setTrialSystemAttr(studyId: number, trialNumber: number, key: string, value: JsonValue): void {
    this.patchTrial(studyId, trialNumber, 'system_attrs', key, value);
  }

  setTrialState(studyId: number, trialNumber: number, state: TrialState, values: number[] | null, error: string | null = null): boolean {
    return this.call('setTrialState', [studyId, trialNumber, state, values ? encode(values) : null, error], true);
  }

  getTrial(studyId: number, trialNumber: number): FrozenTrial {
    return this.trialFromRow(studyId, this.call<Row>('getTrial', [studyId, trialNumber]));
  }

  getTrials(studyId: number, states?: TrialState[]): FrozenTrial[] {
    // Samplers and pruners read the trials many times per trial: fetch only the rows not cached as finished.
    const cache = this.finishedCache.get(studyId);
    const fresh = this.call<Row[]>('getTrials', [studyId, states ?? null, cache ? [...cache.keys()] : []]).map((r) => this.trialFromRow(studyId, r));
    const cached = cache ? [...cache.values()].filter((t) => !states || states.includes(t.state)) : [];
    return [...cached, ...fresh].sort((a, b) => a.number - b.number);
  }

  recordHeartbeat(studyId: number, trialNumber: number): void {
    this.call('recordHeartbeat', [studyId, trialNumber]);
  }

  failStaleTrials(studyId: number): FrozenTrial[] {
    if (!this.heartbeatInterval) return [];
    return this.call<Row[]>('failStaleTrials', [studyId, this.gracePeriod, String(this.gracePeriod)], true).map((r) => this.trialFromRow(studyId, r));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // The thread ends its connection, then closes its port, which lets it exit.
    this.port.postMessage({ op: 'close' });
    this.port.close();
  }

  getConfig(): Record<string, unknown> {
    return { url: this.url, heartbeatInterval: this.heartbeatInterval, gracePeriod: this.gracePeriod, retryStaleTrials: this.retryStaleTrials, connectTimeout: this.connectTimeout, reconnectTimeout: this.reconnectTimeout };
  }

  static fromConfig(config: JsonObject): PostgresStorage {
    return new PostgresStorage(config as unknown as PostgresStorageOptions);
  }

  private patchTrial(studyId: number, trialNumber: number, column: 'user_attrs' | 'system_attrs', key: string, value: JsonValue): void {
    this.call('patchTrial', [studyId, trialNumber, column, key, encode(value)]);
    const cache = this.finishedCache.get(studyId);
    if (cache) for (const [id, c] of cache) if (c.number === trialNumber) cache.delete(id);
  }

  private trialFromRow(studyId: number, row: Row): FrozenTrial {
    const id = row.trial_id as number;
    const cached = this.finishedCache.get(studyId)?.get(id);
    if (cached) return cached;
    const trial = decodeTrialRow(row);
    if (isFinished(trial.state)) {
      if (!this.finishedCache.has(studyId)) this.finishedCache.set(studyId, new Map());
      this.finishedCache.get(studyId)!.set(id, trial);
    }
    return trial;
  }
}

/** A trial as the thread's addTrial inserts it. */
function toRow(t: FrozenTrial): Row {
  return {
    number: t.number,
    state: t.state,
    vals: t.values ? encode(t.values) : null,
    params: encode(t.params),
    distributions: encode(t.distributions),
    intermediate: encode(t.intermediateValues),
    user_attrs: encode(t.userAttrs),
    system_attrs: encode(t.systemAttrs),
    datetime_start: t.datetimeStart,
    datetime_complete: t.datetimeComplete,
    error: t.error,
  };
}

/**
 * Starts the database thread: the built file beside this one, or, when running from the TypeScript sources
 * (tests), the .ts file through tsx (a worker thread does not inherit the parent's loaders). A small boot script
 * imports it, so that a failure to load (pg missing, say) is reported to the waiting storage instead of hanging it.
 */
function startThread(wt: WorkerThreads, data: ThreadData): WorkerThreadsModule.Worker {
  const here = import.meta.url;
  const ext = here.endsWith('.ts') ? '.ts' : here.endsWith('.cjs') ? '.cjs' : '.js';
  const file = new URL(`./storage-postgres.thread${ext}`, here).href;
  let register = '';
  if (ext === '.ts') {
    const builtin = (globalThis.process as unknown as { getBuiltinModule<T>(id: string): T }).getBuiltinModule;
    const { createRequire } = builtin<typeof NodeModule>('node:module');
    const { pathToFileURL } = builtin<typeof NodeUrl>('node:url');
    // tsx's ESM entry: require.resolve finds its CommonJS twin beside it.
    const tsx = pathToFileURL(createRequire(here).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
    register = `(await import(${JSON.stringify(tsx)})).register();`;
  }
  const boot = `const { workerData: d } = require('node:worker_threads');
(async () => { ${register} await import(${JSON.stringify(file)}); })().catch((e) => {
  d.port.postMessage({ id: -1, ok: false, error: { kind: 'internal', message: 'could not start the database thread: ' + ((e && e.message) || e) } });
  Atomics.store(d.signal, 0, 1);
  Atomics.notify(d.signal, 0);
});`;
  // execArgv: [] keeps flags meant for the main script (--input-type, loaders) away from this thread.
  return new wt.Worker(boot, { eval: true, execArgv: [], workerData: data, transferList: [data.port] as never[] });
}

registry.register('storage', 'postgres', PostgresStorage);
