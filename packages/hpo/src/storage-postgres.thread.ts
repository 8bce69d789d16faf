// The thread behind PostgresStorage. The Storage interface is synchronous (samplers read trials in the middle
// of a suggestion) and node-postgres is asynchronous, so the storage runs its queries here and waits for each
// answer with Atomics.wait. This file holds the connection, the SQL and the retries; it imports no @nn package
// (it is its own entry point in the build).
import { type MessagePort, workerData } from 'node:worker_threads';
import pg from 'pg';
import { decode, encode } from './json-codec.js';

/** What the storage sends: one operation and its arguments. */
export interface Request {
  id: number;
  op: keyof typeof ops;
  args: unknown[];
  /** Exactly-once token for operations that decide something (see `decided`). */
  token?: string;
}

/** The answer: a result, or an error the storage turns into an NNError. */
export type Response = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: ThreadError };

/** kind 'user': a refusal to report as is; 'connection': the server could not be reached or was lost; 'schema': newer schema. */
export interface ThreadError {
  kind: 'user' | 'connection' | 'schema' | 'internal';
  message: string;
  code?: string;
}

export interface ThreadData {
  /** Marks the workerData as ours (a test runner's worker has workerData of its own). */
  nnHpoPostgres: true;
  port: MessagePort;
  signal: Int32Array;
  url: string;
  connectTimeout: number;
  reconnectTimeout: number;
}

export const SCHEMA_VERSION = 1;
const FINISHED = "('complete', 'pruned', 'fail')";
/** Server time in epoch milliseconds: one clock for workers on machines whose clocks differ. */
const NOW = 'floor(extract(epoch from clock_timestamp()) * 1000)::float8';
const TRIAL_COLUMNS = 'trial_id, number, state, vals, params, distributions, intermediate, user_attrs, system_attrs, datetime_start, datetime_complete, error';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS nn_hpo_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS nn_hpo_studies (
    study_id SERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    directions TEXT NOT NULL,
    user_attrs TEXT NOT NULL DEFAULT '{}',
    system_attrs TEXT NOT NULL DEFAULT '{}',
    next_number INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE IF NOT EXISTS nn_hpo_trials (
    trial_id SERIAL PRIMARY KEY,
    study_id INTEGER NOT NULL REFERENCES nn_hpo_studies (study_id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    state TEXT NOT NULL,
    vals TEXT,
    params TEXT NOT NULL DEFAULT '{}',
    distributions TEXT NOT NULL DEFAULT '{}',
    intermediate TEXT NOT NULL DEFAULT '{}',
    user_attrs TEXT NOT NULL DEFAULT '{}',
    system_attrs TEXT NOT NULL DEFAULT '{}',
    datetime_start DOUBLE PRECISION,
    datetime_complete DOUBLE PRECISION,
    error TEXT,
    heartbeat DOUBLE PRECISION,
    UNIQUE (study_id, number)
  );
  CREATE INDEX IF NOT EXISTS nn_hpo_trials_by_state ON nn_hpo_trials (study_id, state);
  CREATE TABLE IF NOT EXISTS nn_hpo_requests (token TEXT PRIMARY KEY, result TEXT NOT NULL, created DOUBLE PRECISION NOT NULL);
`;

type Row = Record<string, unknown>;
type Client = pg.Client;

class UserError extends Error {
  constructor(
    message: string,
    readonly kind: ThreadError['kind'] = 'user',
  ) {
    super(message);
  }
}

async function tx<T>(c: Client, fn: () => Promise<T>): Promise<T> {
  await c.query('BEGIN');
  try {
    const out = await fn();
    await c.query('COMMIT');
    return out;
  } catch (e) {
    await c.query('ROLLBACK').catch(() => {});
    throw e;
  }
}

/**
 * An operation that decides something (a trial number, who fails a stale trial, whether a result was the
 * first): its result is stored under the caller's token in the same transaction, so a retry after a connection
 * lost during COMMIT returns what was decided instead of deciding again.
 */
async function decided<T>(c: Client, token: string | undefined, retry: boolean, fn: () => Promise<T>): Promise<T> {
  return tx(c, async () => {
    if (token && retry) {
      const done = await c.query('SELECT result FROM nn_hpo_requests WHERE token = $1', [token]);
      if (done.rows[0]) return decode<T>(done.rows[0].result);
    }
    const out = await fn();
    // Nothing decided (no waiting trial, no stale trial): a retry may simply ask again, so no token is kept.
    const nothing = out === null || out === false || (Array.isArray(out) && out.length === 0);
    if (token && !nothing) await c.query(`INSERT INTO nn_hpo_requests (token, result, created) VALUES ($1, $2, ${NOW})`, [token, encode(out)]);
    return out;
  });
}

const studyRow = (r: Row) => ({ studyId: r.study_id, studyName: r.name, directions: JSON.parse(r.directions as string), userAttrs: decode(r.user_attrs), systemAttrs: decode(r.system_attrs) });

async function lockedTrial(c: Client, studyId: number, number: number, runningFor?: string): Promise<Row> {
  const r = await c.query(`SELECT ${TRIAL_COLUMNS} FROM nn_hpo_trials WHERE study_id = $1 AND number = $2 FOR UPDATE`, [studyId, number]);
  if (!r.rows[0]) throw new UserError(`storage: study ${studyId} has no trial ${number}`);
  const state = r.rows[0].state as string;
  if (runningFor && ['complete', 'pruned', 'fail'].includes(state)) throw new UserError(`${runningFor}: trial ${number} has already finished (${state})`);
  return r.rows[0];
}

/**
 * The operations, each one transaction (or one statement). Values cross the thread boundary as JSON text where
 * NaN may hide. Exported for the tests of the exactly-once tokens.
 */
export const ops = {
  async migrate(c: Client): Promise<void> {
    await tx(c, async () => {
      // Several workers may start on an empty database at once: CREATE IF NOT EXISTS alone races in PostgreSQL.
      await c.query("SELECT pg_advisory_xact_lock(hashtext('nn_hpo_schema'))");
      await c.query(SCHEMA);
      const row = (await c.query("SELECT value FROM nn_hpo_meta WHERE key = 'schema_version'")).rows[0];
      if (!row) await c.query("INSERT INTO nn_hpo_meta (key, value) VALUES ('schema_version', $1)", [String(SCHEMA_VERSION)]);
      else if (Number(row.value) > SCHEMA_VERSION) throw new UserError(`schema ${row.value}`, 'schema');
    });
  },

  async createStudy(c: Client, [name, directions, loadIfExists]: [string, string[], boolean], token?: string, retry = false) {
    return decided(c, token, retry, async () => {
      const ins = await c.query('INSERT INTO nn_hpo_studies (name, directions) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING *', [name, JSON.stringify(directions)]);
      if (ins.rows[0]) return { ...studyRow(ins.rows[0]), created: true };
      if (!loadIfExists) throw new UserError(`createStudy: a study named "${name}" already exists in this database; pass loadIfExists: true to resume it`);
      const r = await c.query('SELECT * FROM nn_hpo_studies WHERE name = $1', [name]);
      return { ...studyRow(r.rows[0]), created: false };
    });
  },

  async getStudy(c: Client, [name]: [string]) {
    const r = await c.query('SELECT * FROM nn_hpo_studies WHERE name = $1', [name]);
    return r.rows[0] ? studyRow(r.rows[0]) : null;
  },

  async listStudies(c: Client) {
    return (await c.query('SELECT * FROM nn_hpo_studies ORDER BY study_id')).rows.map(studyRow);
  },

  async deleteStudy(c: Client, [name]: [string], token?: string, retry = false) {
    return decided(c, token, retry, async () => (await c.query('DELETE FROM nn_hpo_studies WHERE name = $1', [name])).rowCount! > 0);
  },

  async patchStudy(c: Client, [studyId, column, key, value]: [number, 'user_attrs' | 'system_attrs', string, string]) {
    await tx(c, async () => {
      const r = await c.query(`SELECT ${column} AS v FROM nn_hpo_studies WHERE study_id = $1 FOR UPDATE`, [studyId]);
      if (!r.rows[0]) throw new UserError(`storage: no study with id ${studyId}`);
      await c.query(`UPDATE nn_hpo_studies SET ${column} = $1 WHERE study_id = $2`, [encode({ ...decode<object>(r.rows[0].v), [key]: decode(value) }), studyId]);
    });
  },

  async createTrial(c: Client, [studyId, state, params, distributions, userAttrs, systemAttrs]: [number, string, string, string, string, string], token?: string, retry = false) {
    return decided(c, token, retry, async () => {
      // The study row's counter hands out numbers: its row lock serializes creators, and a rolled-back
      // transaction gives its number back, so numbers stay unique and contiguous.
      const n = await c.query('UPDATE nn_hpo_studies SET next_number = next_number + 1 WHERE study_id = $1 RETURNING next_number - 1 AS n', [studyId]);
      if (!n.rows[0]) throw new UserError(`storage: no study with id ${studyId}`);
      const start = state === 'running' ? NOW : 'NULL';
      const r = await c.query(
        `INSERT INTO nn_hpo_trials (study_id, number, state, params, distributions, user_attrs, system_attrs, datetime_start, heartbeat)
         VALUES ($1, $2, $3, $4, $5, $6, $7, ${start}, ${start}) RETURNING ${TRIAL_COLUMNS}`,
        [studyId, n.rows[0].n, state, params, distributions, userAttrs, systemAttrs],
      );
      return r.rows[0];
    });
  },

  /** Inserts a trial exactly as given (copyStudy); the study's counter moves past its number. */
  async addTrial(c: Client, [studyId, t]: [number, Row]) {
    await tx(c, async () => {
      await c.query(
        `INSERT INTO nn_hpo_trials (study_id, number, state, vals, params, distributions, intermediate, user_attrs, system_attrs, datetime_start, datetime_complete, error, heartbeat)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, CASE WHEN $3 = 'running' THEN ${NOW} END)`,
        [studyId, t.number, t.state, t.vals, t.params, t.distributions, t.intermediate, t.user_attrs, t.system_attrs, t.datetime_start, t.datetime_complete, t.error],
      );
      await c.query('UPDATE nn_hpo_studies SET next_number = GREATEST(next_number, $2::int + 1) WHERE study_id = $1', [studyId, t.number]);
    });
  },

  async popWaitingTrial(c: Client, [studyId]: [number], token?: string, retry = false) {
    return decided(c, token, retry, async () => {
      const r = await c.query(
        `UPDATE nn_hpo_trials SET state = 'running', datetime_start = ${NOW}, heartbeat = ${NOW}
         WHERE trial_id = (SELECT trial_id FROM nn_hpo_trials WHERE study_id = $1 AND state = 'waiting' ORDER BY number LIMIT 1 FOR UPDATE SKIP LOCKED)
         RETURNING ${TRIAL_COLUMNS}`,
        [studyId],
      );
      return r.rows[0] ?? null;
    });
  },

  async setTrialParam(c: Client, [studyId, number, name, distribution, value]: [number, number, string, string, string]) {
    await tx(c, async () => {
      const t = await lockedTrial(c, studyId, number, 'setTrialParam');
      await c.query('UPDATE nn_hpo_trials SET params = $1, distributions = $2 WHERE trial_id = $3', [
        encode({ ...decode<object>(t.params), [name]: decode(value) }),
        encode({ ...decode<object>(t.distributions), [name]: decode(distribution) }),
        t.trial_id,
      ]);
    });
  },

  async setTrialIntermediateValue(c: Client, [studyId, number, step, value]: [number, number, number, string]) {
    await tx(c, async () => {
      const t = await lockedTrial(c, studyId, number, 'report');
      await c.query('UPDATE nn_hpo_trials SET intermediate = $1 WHERE trial_id = $2', [encode({ ...decode<object>(t.intermediate), [step]: decode(value) }), t.trial_id]);
    });
  },

  async patchTrial(c: Client, [studyId, number, column, key, value]: [number, number, 'user_attrs' | 'system_attrs', string, string]) {
    await tx(c, async () => {
      const t = await lockedTrial(c, studyId, number);
      await c.query(`UPDATE nn_hpo_trials SET ${column} = $1 WHERE trial_id = $2`, [encode({ ...decode<object>(t[column]), [key]: decode(value) }), t.trial_id]);
    });
  },

  async setTrialState(c: Client, [studyId, number, state, vals, error]: [number, number, string, string | null, string | null], token?: string, retry = false) {
    return decided(c, token, retry, async () => {
      const finished = ['complete', 'pruned', 'fail'].includes(state);
      const r = await c.query(
        `UPDATE nn_hpo_trials SET state = $3, vals = $4, error = $5, datetime_complete = ${finished ? NOW : 'NULL'}
         WHERE study_id = $1 AND number = $2 AND state NOT IN ${FINISHED}`,
        [studyId, number, state, vals, error],
      );
      if (r.rowCount === 0) await lockedTrial(c, studyId, number); // throws for a trial that does not exist
      return r.rowCount! > 0;
    });
  },

  async getTrial(c: Client, [studyId, number]: [number, number]) {
    const r = await c.query(`SELECT ${TRIAL_COLUMNS} FROM nn_hpo_trials WHERE study_id = $1 AND number = $2`, [studyId, number]);
    if (!r.rows[0]) throw new UserError(`storage: study ${studyId} has no trial ${number}`);
    return r.rows[0];
  },

  /** The trials of a study in `states` (all when null), except those in `known` (finished ones the caller has cached). */
  async getTrials(c: Client, [studyId, states, known]: [number, string[] | null, number[]]) {
    const r = await c.query(
      `SELECT ${TRIAL_COLUMNS} FROM nn_hpo_trials WHERE study_id = $1 AND ($2::text[] IS NULL OR state = ANY($2::text[])) AND trial_id <> ALL($3::int[]) ORDER BY number`,
      [studyId, states, known],
    );
    return r.rows;
  },

  async recordHeartbeat(c: Client, [studyId, number]: [number, number]) {
    await c.query(`UPDATE nn_hpo_trials SET heartbeat = ${NOW} WHERE study_id = $1 AND number = $2 AND state = 'running'`, [studyId, number]);
  },

  async failStaleTrials(c: Client, [studyId, gracePeriod, graceText]: [number, number, string], token?: string, retry = false) {
    return decided(c, token, retry, async () => {
      // One UPDATE: a second worker's concurrent UPDATE waits for the row lock, then finds the trial no longer
      // running, so each stale trial is failed (and retried) by exactly one worker.
      const r = await c.query(
        `UPDATE nn_hpo_trials SET state = 'fail', datetime_complete = ${NOW},
           error = 'stale trial: no heartbeat for ' || round(((${NOW} - heartbeat) / 1000)::numeric, 1) || ' s (grace period ' || $3 || ' s); its worker probably died'
         WHERE study_id = $1 AND state = 'running' AND heartbeat IS NOT NULL AND heartbeat < ${NOW} - $2::float8 * 1000
         RETURNING ${TRIAL_COLUMNS}`,
        [studyId, gracePeriod, graceText],
      );
      // Tokens are needed only while their call may be retried.
      if (Math.random() < 0.01) await c.query(`DELETE FROM nn_hpo_requests WHERE created < ${NOW} - 86400000`);
      return r.rows.sort((a, b) => (a.number as number) - (b.number as number));
    });
  },
};

// Connection errors worth retrying: the server went away, restarted, or killed our backend (pg_terminate_backend).
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', '57P01', '57P02', '57P03', '40001', '40P01']);
function isTransient(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  if (err?.code && (TRANSIENT_CODES.has(err.code) || err.code.startsWith('08'))) return true;
  return /Connection terminated|connection error|not queryable|timeout exceeded when trying to connect/i.test(err?.message ?? '');
}

/** A first connection's failure in words (refused, unknown host, authentication, missing database). */
function describeConnectError(e: { code?: string; message?: string }): string {
  switch (e.code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the server running and listening there?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'unknown host';
    case '28P01':
    case '28000':
      return `authentication failed (${e.message})`;
    case '3D000':
      return `${e.message} (create it first: createdb)`;
    default:
      return e.message ?? String(e);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs requests one at a time on one connection, reconnecting with backoff when it is lost. */
export class Connection {
  private client: Client | null = null;
  private everConnected = false;

  constructor(private readonly data: Omit<ThreadData, 'port' | 'signal' | 'nnHpoPostgres'>) {}

  private async connect(): Promise<Client> {
    const client = new pg.Client({ connectionString: this.data.url, connectionTimeoutMillis: this.data.connectTimeout * 1000, application_name: `nn-hpo pid ${process.pid}`, keepAlive: true });
    // A lost connection emits 'error' on an idle client; the next request notices and reconnects.
    client.on('error', () => {
      if (this.client === client) this.client = null;
    });
    try {
      await client.connect();
      if (!this.everConnected) await ops.migrate(client);
    } catch (e) {
      await client.end().catch(() => {});
      throw e;
    }
    this.everConnected = true;
    return client;
  }

  async run(req: Request): Promise<unknown> {
    const deadline = Date.now() + this.data.reconnectTimeout * 1000;
    let backoff = 50;
    for (let attempt = 0; ; attempt++) {
      try {
        this.client ??= await this.connect();
        const fn = ops[req.op] as (c: Client, args: unknown[], token?: string, retry?: boolean) => Promise<unknown>;
        return await fn(this.client, req.args, req.token, attempt > 0);
      } catch (e) {
        if (e instanceof UserError) throw e;
        const lost = this.client;
        this.client = null;
        lost?.end().catch(() => {});
        // Before the first connection, a refused or misconfigured server is an error to report, not to wait out.
        if (!this.everConnected) throw new UserError(describeConnectError(e as Error), 'connection');
        if (!isTransient(e)) throw e;
        if (Date.now() + backoff > deadline) throw new UserError(`connection lost and not regained within ${this.data.reconnectTimeout} s (${(e as Error).message})`, 'connection');
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 2000);
      }
    }
  }

  async close(): Promise<void> {
    await this.client?.end().catch(() => {});
    this.client = null;
  }
}

function toThreadError(e: unknown): ThreadError {
  if (e instanceof UserError) return { kind: e.kind, message: e.message };
  const err = e as { code?: string; message?: string };
  return { kind: 'internal', message: err?.message ?? String(e), code: err?.code };
}

// Started as a worker thread: serve requests until the storage closes the port.
if ((workerData as ThreadData | null)?.nnHpoPostgres === true) {
  const data = workerData as ThreadData;
  const conn = new Connection(data);
  data.port.on('message', (req: Request | { op: 'close' }) => {
    if (req.op === 'close') {
      void conn.close().then(() => data.port.close());
      return;
    }
    const { id } = req as Request;
    conn.run(req as Request).then(
      (result) => respond({ id, ok: true, result }),
      (e: unknown) => respond({ id, ok: false, error: toThreadError(e) }),
    );
  });
  const respond = (res: Response) => {
    data.port.postMessage(res);
    Atomics.store(data.signal, 0, 1);
    Atomics.notify(data.signal, 0);
  };
}
