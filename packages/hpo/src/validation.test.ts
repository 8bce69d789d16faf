import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { floatDistribution, toInternal, validateDistribution } from './distributions.js';
import { GridSampler } from './grid-sampler.js';
import { paramImportances } from './plots/importance.js';
import { plotOptimizationHistory, plotSlice } from './plots/plots.js';
import { QMCSampler } from './qmc-sampler.js';
import { RandomSampler } from './random-sampler.js';
import { SQLiteStorage } from './storage-sqlite.js';
import { createStudy } from './study.js';
import { successiveHalving } from './successive-halving.js';
import { SuccessiveHalvingPruner } from './successive-halving-pruner.js';
import './index.js';

/** The validation messages not pinned next to the feature they guard. */
describe('validation messages', () => {
  it('study', async () => {
    expect(() => createStudy({ storage: {} as never })).toThrow('createStudy: storage must be a Storage, "memory" or a URL such as "sqlite:///study.db"');
    expect(() => createStudy({ pruner: { prune: 1 } as never })).toThrow('createStudy: pruner must be a Pruner (with prune), a registered name or a serialized pruner, got object');
    expect(() => createStudy({ storage: 'mongodb://db' })).toThrow('Unknown storage "mongodb"');
    const study = createStudy();
    expect(() => study.ask({ x: { type: 'nope' } as never })).toThrow('ask: fixedDistributions.x is not a distribution');
    expect(study.trials[0]).toMatchObject({ state: 'fail', error: 'the trial could not start: NNError: ask: fixedDistributions.x is not a distribution' });
    expect(() => study.enqueueTrial(null as never)).toThrow('enqueueTrial: params must be an object { name: value }');
    study.enqueueTrial({ x: 1 });
    expect(() => study.tell(1, 1)).toThrow('tell: trial 1 is waiting; ask() for it first');
    await expect(study.optimize(() => 1, { callbacks: [1] as never })).rejects.toThrow('optimize: callbacks must be an array of functions (study, trial) => void');
    await expect(study.optimize({ module: '' }, { nTrials: 1 })).rejects.toThrow('optimize: worker processes rebuild the storage from its config');
    expect(() => createStudy({ directions: ['minimize', 'minimize'] }).direction).toThrow('direction: the study has 2 objectives; use directions');
    expect(createStudy({ direction: 'maximize' }).direction).toBe('maximize');
  });

  it('samplers', () => {
    expect(() => new RandomSampler({ seed: 'x' as never })).toThrow('RandomSampler: seed must be a finite number, got "x"');
    expect(() => new RandomSampler({ sed: 1 } as never)).toThrow('RandomSampler: unknown option "sed"; did you mean "seed"?');
    expect(() => new RandomSampler().loadStateDict({})).toThrow('RandomSampler.loadStateDict: expected { rng: number[4] }');
    expect(() => new GridSampler({ searchSpace: { x: [1] } }).loadStateDict({})).toThrow('GridSampler.loadStateDict: expected { rng: number[4] }');
    expect(() => new QMCSampler().loadStateDict({})).toThrow('QMCSampler.loadStateDict: expected { scrambleSeed, independent }');
    const big = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`p${i}`, Array.from({ length: 10 }, (_, j) => j)]));
    expect(() => new GridSampler({ searchSpace: big })).toThrow('GridSampler: the grid has 100000000 combinations (over 10000000); use fewer points or a RandomSampler/QMCSampler');
    const grid = new GridSampler({ searchSpace: { x: [1] } });
    const view = { directions: ['minimize' as const], getTrials: () => [] };
    const trial = createStudy().ask().frozen();
    expect(() => grid.beforeTrial(view, trial)).toThrow('GridSampler: the study must implement setTrialSystemAttr to record grid points');
    expect(() => grid.sampleIndependent(view, trial, 'x', floatDistribution(0, 1))).toThrow('GridSampler: trial 0 has no grid point (was it enqueued without "x"?)');
  });

  it('pruners', () => {
    const view = { directions: ['minimize' as const], getTrials: () => [] };
    const trial = { ...createStudy().ask().frozen(), intermediateValues: { 3: 1 } };
    expect(() => new SuccessiveHalvingPruner({ minResource: 1 }).prune(view, trial)).toThrow('SuccessiveHalvingPruner: the study must implement setTrialSystemAttr to record rungs');
  });

  it('distributions', () => {
    expect(() => toInternal(floatDistribution(0, 1), 'a')).toThrow('toInternal: expected a number for a float distribution, got "a"');
    expect(() => validateDistribution(null as never, 'd')).toThrow('d: not a distribution: null');
  });

  it('plots and importances', () => {
    const study = createStudy({ directions: ['minimize', 'minimize'] });
    expect(() => paramImportances(study)).toThrow('paramImportances: the study has 2 objectives; pass target: (trial) => trial.values[i] to choose one');
    const single = createStudy();
    expect(() => plotOptimizationHistory(single, { target: 3 as never })).toThrow('plotOptimizationHistory: target must be a function (trial) => number');
    expect(() => plotSlice(single, { params: 'x' as never })).toThrow('plotSlice: params must be an array of parameter names');
    expect(() => paramImportances(single, { params: ['x'] })).toThrow('paramImportances: no complete trial has parameter "x" (parameters: none)');
  });

  it('successive halving runner', async () => {
    await expect(successiveHalving({ candidates: [1], minResource: 1, maxResource: 2, evaluate: () => 0, concurrency: 0 })).rejects.toThrow('successiveHalving: concurrency must be a positive integer, got 0');
  });

  it('SQLite refuses a file written by a newer schema', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nn-hpo-v-'));
    const path = join(dir, 'new.db');
    const db = new Database(path);
    db.exec("CREATE TABLE nn_hpo_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO nn_hpo_meta VALUES ('schema_version', '99');");
    db.close();
    expect(() => new SQLiteStorage({ path })).toThrow(/SQLiteStorage: .*new\.db was written by a newer @nn\/hpo \(schema 99; this version reads 1\); upgrade @nn\/hpo/);
    rmSync(dir, { recursive: true, force: true });
  });
});
