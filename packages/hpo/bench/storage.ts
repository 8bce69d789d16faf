/**
 * Storage benchmark (issue 19): ask/tell throughput (trials per second, all workers together) with 1, 4 and
 * 8 worker processes on one study, on PostgreSQL (a throwaway local server, fsync off) and on SQLite (a WAL
 * file in the temp dir), with an in-process memory store as the ceiling; then the GP sampler's suggestion
 * latency (one `ask` with a 3-parameter relative search) at 100 and 300 complete trials on each store.
 * Trivial objectives: this measures the stores and the sampler, not training. Not a test: numbers depend on
 * the machine (and on what else it runs). Run: `npx tsx packages/hpo/bench/storage.ts [--trials 150] [--json out.json]`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import '../src/index.js';
import { copyStudy } from '../src/copy-study.js';
import { GPSampler } from '../src/gp-sampler.js';
import { RandomSampler } from '../src/random-sampler.js';
import { InMemoryStorage } from '../src/storage-memory.js';
import { createStudy, storageFromUrl } from '../src/study.js';
import { postgresUnavailable, startPostgres } from '../src/testing/postgres-server.js';
import type { Distribution, Storage } from '../src/types.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const perWorker = Number(arg('trials', '150'));
const worker = fileURLToPath(new URL('./storage-worker.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'nn-hpo-bench-'));
const results: Record<string, unknown> = {};

function runWorker(url: string, study: string, n: number, seed: number): Promise<[number, number]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', worker, url, study, String(n), String(seed)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', (code) => (code === 0 ? resolve(out.trim().split(' ').map(Number) as [number, number]) : reject(new Error(`bench worker exited with ${code}`))));
  });
}

/** Trials per second of `workers` processes together: all trials over the span from the first start to the last end. */
async function throughput(url: string, workers: number): Promise<number> {
  const name = `tp-${workers}-${Date.now()}`;
  const s = storageFromUrl(url);
  s.createStudy(name, ['minimize'], false);
  s.close?.();
  const spans = await Promise.all(Array.from({ length: workers }, (_, i) => runWorker(url, name, perWorker, i + 1)));
  const seconds = (Math.max(...spans.map((x) => x[1])) - Math.min(...spans.map((x) => x[0]))) / 1000;
  return (workers * perWorker) / seconds;
}

function inMemoryThroughput(): number {
  const study = createStudy({ sampler: new RandomSampler({ seed: 1 }), pruner: 'nop' });
  const start = performance.now();
  for (let i = 0; i < perWorker * 4; i++) {
    const t = study.ask();
    study.tell(t, t.suggestFloat('x', -1, 1) ** 2);
  }
  return (perWorker * 4) / ((performance.now() - start) / 1000);
}

const SPACE: Record<string, Distribution> = {
  x: { type: 'float', low: -5, high: 10, log: false, step: null },
  y: { type: 'float', low: 0, high: 15, log: false, step: null },
  lr: { type: 'float', low: 1e-4, high: 1, log: true, step: null },
};
const objective = (p: Record<string, unknown>) => ((p.y as number) - 0.13 * (p.x as number) ** 2 + 1.6 * (p.x as number) - 6) ** 2 + Math.log10(p.lr as number) ** 2;

/** Median milliseconds of `reps` GP suggestions on a study with `n` complete trials in `url`'s store. */
function gpLatency(url: string | null, n: number, reps = 5): number {
  const seedStudy = createStudy({ sampler: new RandomSampler({ seed: n }), pruner: 'nop', studyName: `gp-${n}` });
  for (let i = 0; i < n; i++) {
    const t = seedStudy.ask(SPACE);
    seedStudy.tell(t, objective(t.params));
  }
  const storage: Storage = url ? storageFromUrl(url) : new InMemoryStorage();
  const name = `gp-${n}-${Date.now()}`;
  copyStudy({ storage: seedStudy.storage, studyName: `gp-${n}` }, { storage, studyName: name });
  const study = createStudy({ storage, studyName: name, loadIfExists: true, sampler: new GPSampler({ seed: 1, nStartupTrials: 10 }), pruner: 'nop' });
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const start = performance.now();
    const t = study.ask(SPACE);
    times.push(performance.now() - start);
    study.tell(t, objective(t.params));
  }
  storage.close?.();
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

const stores: Array<[string, string]> = [['SQLite', `sqlite:///${join(dir, 'bench.db')}`]];
const server = postgresUnavailable() ? null : await startPostgres();
if (server) stores.unshift(['PostgreSQL', await server.createDatabase('bench')]);
else console.log(`(PostgreSQL rows skipped: ${postgresUnavailable()})`);
try {
  console.log(`ask/tell throughput, trials/s (all workers together; ${perWorker} trivial trials per worker process)`);
  console.log('| store | 1 worker | 4 workers | 8 workers |');
  console.log('|---|---|---|---|');
  for (const [label, url] of stores) {
    const row: number[] = [];
    for (const w of [1, 4, 8]) row.push(await throughput(url, w));
    results[`throughput ${label}`] = row;
    console.log(`| ${label} | ${row.map((v) => v.toFixed(0)).join(' | ')} |`);
  }
  const mem = inMemoryThroughput();
  results['throughput memory (in process)'] = mem;
  console.log(`| memory (in process, 1 worker) | ${mem.toFixed(0)} | – | – |`);

  console.log('\nGP suggestion latency, ms (median of 5 asks; 3 parameters; includes reading the trials from the store)');
  console.log('| store | 100 trials | 300 trials |');
  console.log('|---|---|---|');
  for (const [label, url] of [...stores, ['memory', null] as [string, null]]) {
    const row = [gpLatency(url, 100), gpLatency(url, 300)];
    results[`gp latency ${label}`] = row;
    console.log(`| ${label} | ${row.map((v) => v.toFixed(1)).join(' | ')} |`);
  }
} finally {
  server?.stop();
  rmSync(dir, { recursive: true, force: true });
}
const json = arg('json', '');
if (json) writeFileSync(json, JSON.stringify(results, null, 2));
