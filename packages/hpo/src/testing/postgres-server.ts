// A throwaway PostgreSQL server for the tests: initdb into a temporary directory, pg_ctl on a free loopback
// port, trust authentication, stopped and removed by stop(). Root cannot run initdb, so as root the server
// runs as the `postgres` user (Debian's package creates it).
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** Where Debian's postgresql-15 puts its binaries (NN_PG_BIN overrides). */
export const PG_BIN = process.env.NN_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** Why the PostgreSQL tests cannot run here, or null when they can. */
export function postgresUnavailable(): string | null {
  if (!existsSync(join(PG_BIN, 'initdb')) || !existsSync(join(PG_BIN, 'pg_ctl'))) {
    return `PostgreSQL 15 binaries not found in ${PG_BIN} (apt-get install -y postgresql, or set NN_PG_BIN)`;
  }
  return null;
}

export interface PostgresServer {
  port: number;
  /** A URL for `database` (default 'postgres') as user postgres. */
  url(database?: string): string;
  /** Runs SQL as the superuser on a short-lived connection. */
  query(sql: string, params?: unknown[]): Promise<pg.QueryResult>;
  /** Creates a fresh database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): void;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Starts a server; throws with the server's log when it does not come up. */
export async function startPostgres(): Promise<PostgresServer> {
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'nn-hpo-pg-'));
  const data = join(dir, 'data');
  const run = (bin: string, args: string[]) => {
    const cmd = join(PG_BIN, bin);
    return asRoot ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' }) : execFileSync(cmd, args, { stdio: 'pipe' });
  };
  if (asRoot) {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
    chownSync(dir, id('-u'), id('-g'));
    chmodSync(dir, 0o700);
  }
  const port = await freePort();
  try {
    run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
    // Durability is not under test here (the server is not crashed, its clients are): fsync off keeps it quick.
    run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`, 'start']);
  } catch (e) {
    const log = existsSync(join(dir, 'log')) ? execFileSync('cat', [join(dir, 'log')]).toString() : '';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not start PostgreSQL: ${(e as { stderr?: Buffer }).stderr?.toString() ?? String(e)}\n${log}`);
  }
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const query = async (sql: string, params?: unknown[]) => {
    const c = new pg.Client({ connectionString: url() });
    await c.connect();
    try {
      return await c.query(sql, params);
    } finally {
      await c.end();
    }
  };
  return {
    port,
    url,
    query,
    async createDatabase(name) {
      await query(`CREATE DATABASE ${name}`);
      return url(name);
    },
    /** Synchronous (pg_ctl): give the test hook that calls it a long timeout on a loaded machine. */
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
