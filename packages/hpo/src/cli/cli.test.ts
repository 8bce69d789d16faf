import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ensureBuilt } from '../testing/built-package.js';
import { postgresUnavailable, startPostgres, type PostgresServer } from '../testing/postgres-server.js';

const dir = mkdtempSync(join(tmpdir(), 'nn-hpo-cli-'));
const objective = join(dir, 'objective.mjs');
writeFileSync(
  objective,
  `export async function objective(trial) {
  const x = trial.suggestFloat('x', -2, 2);
  const act = trial.suggestCategorical('act', ['relu', 'tanh']);
  for (let step = 0; step < 3; step++) trial.report(x * x + 3 - step, step);
  await new Promise((r) => setTimeout(r, 10));
  if (act === 'tanh' && x > 1.5) throw new Error('diverged');
  return x * x;
}
`,
);

/** Runs the built bin; resolves with its exit code and output. */
function cli(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

beforeAll(() => ensureBuilt(), 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('nn-hpo (the built bin)', () => {
  it('is the package bin, runnable as a script', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(pkg.bin).toEqual({ 'nn-hpo': './dist/cli.js' });
    expect(readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const help = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: nn-hpo <command> [options]');
  });

  it('reports bad usage with exit code 2 and failures with 1', async () => {
    expect(await cli()).toMatchObject({ code: 2 });
    expect(await cli('frobnicate')).toMatchObject({ code: 2, err: expect.stringContaining('nn-hpo: unknown command "frobnicate"') });
    expect(await cli('trials', '--storage', 'sqlite:///x.db', '--stdy', 's')).toMatchObject({ code: 2, err: expect.stringContaining("nn-hpo trials: Unknown option '--stdy'") });
    expect(await cli('trials', '--storage', `sqlite:///${join(dir, 'none.db')}`)).toMatchObject({ code: 2, err: 'nn-hpo trials: --study is required\n' });
    expect(await cli('trials', '--storage', `sqlite:///${join(dir, 'none.db')}`, '--study', 'nope')).toMatchObject({ code: 1, err: 'nn-hpo trials: loadStudy: no study named "nope" in this storage\n' });
    const none = `sqlite:///${join(dir, 'none.db')}`;
    expect(await cli('worker', '--storage', none, '--study', 's', '--objective', objective, '--export', 'objective', '--n-trials', '0')).toMatchObject({ code: 2, err: 'nn-hpo worker: --n-trials must be a positive integer, got "0"\n' });
    expect(await cli('worker', '--storage', none, '--study', 's', '--objective', objective)).toMatchObject({ code: 1, err: `nn-hpo worker: worker: ${objective} has no function export "default" (exports: objective); pass --export NAME\n` });
    expect(await cli('worker', '--storage', none, '--study', 'typo', '--objective', objective, '--export', 'objective')).toMatchObject({ code: 1, err: 'nn-hpo worker: loadStudy: no study named "typo" in this storage\n' });
    expect(await cli('trials', '--storage', 'postgres://u@127.0.0.1:1/db', '--study', 's')).toMatchObject({ code: 1, err: 'nn-hpo trials: PostgresStorage (postgres://u@127.0.0.1:1/db): connection refused (is the server running and listening there?)\n' });
  });

  describe.skipIf(postgresUnavailable())('against PostgreSQL', () => {
    let server: PostgresServer;
    beforeAll(async () => {
      server = await startPostgres();
    }, 120_000);
    afterAll(() => server?.stop(), 60_000);

    it('create-study, two workers at once, trials, best, plot, copy to SQLite: end to end', async () => {
      const url = await server.createDatabase('cli');
      expect(await cli('create-study', '--storage', url, '--study', 'mlp', '--direction', 'minimize')).toEqual({ code: 0, out: 'mlp\n', err: '' });
      expect(await cli('create-study', '--storage', url, '--study', 'mlp')).toMatchObject({ code: 1, err: expect.stringContaining('a study named "mlp" already exists') });
      expect(await cli('create-study', '--storage', url, '--study', 'mlp', '--skip-if-exists')).toMatchObject({ code: 0 });

      const worker = (seed: string) => cli('worker', '--storage', url, '--study', 'mlp', '--objective', objective, '--export', 'objective', '--n-trials', '8', '--sampler', 'random', '--seed', seed, '--pruner', 'nop');
      const [a, b] = await Promise.all([worker('1'), worker('2')]);
      for (const w of [a, b]) {
        expect(w).toMatchObject({ code: 0, err: '' });
        expect(w.out.trim().split('\n')).toHaveLength(8);
        expect(w.out).toMatch(/^trial \d+ (complete [\d.e-]+|fail \(Error: diverged\)) \[1\/8\]$/m);
      }

      const json = await cli('trials', '--storage', url, '--study', 'mlp', '--format', 'json');
      expect(json.code).toBe(0);
      const trials = JSON.parse(json.out) as Array<{ number: number; state: string; values: number[] | null; params: { x: number; act: string }; intermediateValues: Record<string, number> }>;
      expect(trials.map((t) => t.number)).toEqual([...Array(16).keys()]);
      for (const t of trials) {
        expect(t.intermediateValues).toEqual({ 0: t.params.x * t.params.x + 3, 1: t.params.x * t.params.x + 3 - 1, 2: t.params.x * t.params.x + 3 - 2 });
        if (t.state === 'complete') expect(t.values).toEqual([t.params.x * t.params.x]);
        else expect([t.state, t.params.act, t.params.x > 1.5]).toEqual(['fail', 'tanh', true]);
      }

      const table = await cli('trials', '--storage', url, '--study', 'mlp');
      const lines = table.out.trimEnd().split('\n');
      expect(lines[0].split(/\s+/)).toEqual(['number', 'state', 'value', 'seconds', 'x', 'act']);
      expect(lines).toHaveLength(17);
      expect(lines[1]).toMatch(/^ +0 {2}(complete|fail {4}) /);

      const best = trials.filter((t) => t.state === 'complete').reduce((p, t) => (t.values![0] < p.values![0] ? t : p));
      const bestOut = await cli('best', '--storage', url, '--study', 'mlp', '--format', 'json');
      expect(JSON.parse(bestOut.out)).toEqual([trials[best.number]]);
      expect((await cli('best', '--storage', url, '--study', 'mlp')).out).toBe(`trial ${best.number}: value ${best.values![0]}\n  x = ${best.params.x}\n  act = "${best.params.act}"\n`);

      const plots = join(dir, 'plots');
      const plotted = await cli('plot', '--storage', url, '--study', 'mlp', '--out', plots);
      expect(plotted.code).toBe(0);
      for (const k of ['history', 'slice', 'parallel', 'importance', 'intermediate']) {
        const svg = readFileSync(join(plots, `${k}.svg`), 'utf8');
        expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
        expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
      }
      expect((await cli('plot', '--storage', url, '--study', 'mlp', '--kinds', 'histogram'))).toMatchObject({ code: 2, err: 'nn-hpo plot: --kinds: unknown plot "histogram" (plots: history, slice, parallel, importance, intermediate)\n' });

      const db = join(dir, 'copy.db');
      expect(await cli('copy', '--from', url, '--to', `sqlite:///${db}`, '--study', 'mlp', '--to-study', 'mlp2')).toEqual({ code: 0, out: 'copied mlp -> mlp2\n', err: '' });
      expect(existsSync(db)).toBe(true);
      const copied = await cli('trials', '--storage', `sqlite:///${db}`, '--study', 'mlp2', '--format', 'json');
      expect(JSON.parse(copied.out)).toEqual(trials);
      expect((await cli('studies', '--storage', url)).out).toBe('mlp\tminimize\t16 trials\t' + trials.filter((t) => t.state === 'complete').length + ' complete\n');
    }, 180_000);
  });
});
