import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SQLiteStorage, loadStudy } from '@nn/hpo';
import { tune, type TuneResult } from './tune.js';

const dir = mkdtempSync(join(tmpdir(), 'nn-hpo-example-test-'));
const dbPath = join(dir, 'study.db');
const small = { dbPath, nTrials: 12, maxEpochs: 6, seed: 1, nStartupTrials: 4 };

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The stored study, read back through a fresh connection. */
function reload() {
  const storage = new SQLiteStorage({ path: dbPath });
  try {
    const study = loadStudy({ studyName: 'breast-cancer-mlp', storage });
    return { trials: study.trials, best: study.bestTrial };
  } finally {
    storage.close();
  }
}

describe('examples/hpo: tuning the breast-cancer MLP', () => {
  let first: TuneResult;

  it('runs a small GP + successive-halving study end to end', async () => {
    first = await tune(small);
    expect(first.ran).toBe(12);
    expect(first.trials.map((t) => t.number)).toEqual([...Array(12).keys()]);
    const states = first.trials.map((t) => t.state);
    expect(states.filter((s) => s === 'pruned').length).toBeGreaterThan(0);
    expect(states.filter((s) => s === 'complete').length).toBeGreaterThan(0);
    expect(states).not.toContain('fail');
    // A pruned trial stopped at the first rung (after epoch 2), a complete one ran all 6 epochs.
    for (const t of first.trials) expect(Object.keys(t.intermediateValues).length).toBe(t.state === 'pruned' ? 3 : 6);
    expect(Number.isFinite(first.best.values![0])).toBe(true);
    expect(Object.keys(first.best.params).sort()).toEqual(['activation', 'depth', 'dropout', 'lr', 'units']);
    expect(first.testAccuracy).toBeGreaterThan(0.9);
  });

  it('recorded every trial in SQLite, reloadable from a new connection', () => {
    const stored = reload();
    expect(stored.trials.map((t) => [t.number, t.state, t.params, t.values])).toEqual(first.trials.map((t) => [t.number, t.state, t.params, t.values]));
    expect(stored.best.number).toBe(first.best.number);
  });

  it('wrote the history and importance plots as SVG', () => {
    for (const path of [first.historySvg, first.importanceSvg]) {
      expect(existsSync(path)).toBe(true);
      expect(readFileSync(path, 'utf8')).toMatch(/^(<\?xml[^>]*>\s*)?<svg[\s\S]*<\/svg>\s*$/);
    }
    expect(readFileSync(first.importanceSvg, 'utf8')).toContain('lr');
  });

  it('resumes the stored study instead of starting over', async () => {
    const again = await tune({ ...small, nTrials: 14 });
    expect(again.ran).toBe(2);
    expect(again.trials.map((t) => t.number)).toEqual([...Array(14).keys()]);
    expect(again.trials.slice(0, 12).map((t) => t.params)).toEqual(first.trials.map((t) => t.params));
    expect(again.best.values![0]).toBeLessThanOrEqual(first.best.values![0]);
    expect(reload().trials).toHaveLength(14);
  });
});
