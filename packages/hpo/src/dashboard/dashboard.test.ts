import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStorage } from '../storage-postgres.js';
import { createStudy } from '../study.js';
import { CLI, ensureBuilt } from '../testing/built-package.js';
import { postgresUnavailable, startPostgres, type PostgresServer } from '../testing/postgres-server.js';
import { TrialPruned, type Trial } from '../trial.js';
import '../index.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const why = postgresUnavailable() ?? (existsSync(CHROMIUM) ? null : `no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
if (why) console.warn(`skipping the dashboard test: ${why}`);

describe.skipIf(why)('nn-hpo dashboard (built bin, in Chromium)', () => {
  let server: PostgresServer;
  let dashboard: ChildProcess | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    ensureBuilt();
    server = await startPostgres();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    dashboard?.kill('SIGTERM');
    server?.stop();
  }, 60_000);

  it('shows the studies, the trial table and the plots, and refreshes while a worker adds trials', async () => {
    const url = await server.createDatabase('dash');
    const storage = new PostgresStorage({ url });
    const study = createStudy({ storage, studyName: 'curves', sampler: 'random', pruner: 'nop' });
    const objective = (t: Trial) => {
      const x = t.suggestFloat('x', 0, 1);
      t.suggestCategorical('act', ['relu', 'tanh']);
      for (let step = 0; step < 4; step++) {
        t.report(x + 1 / (step + 1), step);
        if (t.number % 3 === 2 && step === 1) throw new TrialPruned();
      }
      return x;
    };
    await study.optimize(objective, { nTrials: 6 });
    createStudy({ storage, studyName: 'other', direction: 'maximize' });

    dashboard = spawn(process.execPath, [CLI, 'dashboard', '--storage', url, '--port', '0', '--refresh', '0.5'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const address = await new Promise<string>((resolve, reject) => {
      let out = '';
      dashboard!.stdout!.on('data', (d) => {
        out += d;
        const m = /nn-hpo dashboard on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
        if (m) resolve(m[1]);
      });
      dashboard!.on('exit', (code) => reject(new Error(`dashboard exited with ${code}`)));
    });

    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking'] });
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(address);
    await page.waitForSelector('#trials tbody tr');
    expect(await page.locator('nav a').allTextContents()).toEqual(['curves6 trials, 4 complete, 0 running', 'other0 trials, 0 complete, 0 running']);
    expect(await page.locator('#study-name').textContent()).toBe('curves (minimize)');
    expect(await page.locator('#trials thead th').allTextContents()).toEqual(['number', 'state', 'value', 'seconds', 'x', 'act']);
    expect(await page.locator('#trials tbody tr').count()).toBe(6);
    expect(await page.locator('#trials tbody tr.pruned').count()).toBe(2);
    const best = study.bestTrial;
    expect(await page.locator('#best').textContent()).toBe(`best: trial ${best.number}, value ${best.values![0]}, ${JSON.stringify(best.params)}`);
    // Every plot rendered as SVG, laid out by the browser (a non-empty box), with the trials' marks in it.
    for (const k of ['history', 'intermediate', 'slice', 'parallel', 'importance']) {
      await page.locator(`#plot-${k} svg`).waitFor();
      const box = await page.evaluate(`(() => { const r = document.querySelector('#plot-${k} svg').getBoundingClientRect(); return [r.width, r.height]; })()`);
      expect((box as number[]).every((v) => v > 100)).toBe(true);
    }
    expect(await page.locator('#plot-history svg circle').count()).toBe(4);
    expect(await page.locator('#plot-intermediate svg path.curve.pruned').count()).toBe(2);
    expect(await page.locator('#plot-intermediate svg path.curve.complete').count()).toBe(4);

    // A worker goes on: the open page picks the new trials up by itself.
    await study.optimize(objective, { nTrials: 3 });
    await page.waitForFunction("document.querySelectorAll('#trials tbody tr').length === 9", undefined, { timeout: 20_000 });
    await page.waitForFunction("document.querySelectorAll('#plot-history svg circle').length === 6", undefined, { timeout: 20_000 });

    // Another study, by clicking it.
    await page.locator('nav a', { hasText: 'other' }).click();
    await page.waitForFunction("document.querySelector('#study-name').textContent === 'other (maximize)'");
    expect(await page.locator('#trials tbody tr').count()).toBe(0);
    expect(await page.locator('#plot-history svg').textContent()).toContain('no complete trials yet');
    expect(errors).toEqual([]);
    storage.close();
  }, 180_000);
});
