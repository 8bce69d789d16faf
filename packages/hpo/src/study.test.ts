import { NNError, registry, serialize } from '@nn/core';
import { describe, expect, it } from 'vitest';
import { GridSampler } from './grid-sampler.js';
import { NopPruner } from './nop-pruner.js';
import { RandomSampler } from './random-sampler.js';
import { createStudy, deleteStudy, getAllStudyNames, loadStudy } from './study.js';
import { InMemoryStorage } from './storage-memory.js';
import { TrialPruned, type Trial } from './trial.js';
import './index.js';

const quadratic = (t: Trial) => {
  const x = t.suggestFloat('x', -10, 10);
  const y = t.suggestInt('y', -5, 5);
  return (x - 2) ** 2 + y ** 2;
};

describe('Study', () => {
  it('optimizes, and reports the best trial, value and params', async () => {
    const study = createStudy({ sampler: new RandomSampler({ seed: 1 }) });
    await study.optimize(quadratic, { nTrials: 50 });
    expect(study.trials).toHaveLength(50);
    expect(study.trials.every((t) => t.state === 'complete')).toBe(true);
    const best = Math.min(...study.trials.map((t) => t.values![0]));
    expect(study.bestValue).toBe(best);
    expect(study.bestTrial.values).toEqual([best]);
    expect(study.bestParams).toEqual(study.bestTrial.params);
    expect(study.trials.map((t) => t.number)).toEqual([...Array(50).keys()]);
    expect(study.bestTrials).toEqual([study.bestTrial]);
  });

  it('maximizes', async () => {
    const study = createStudy({ direction: 'maximize', sampler: new RandomSampler({ seed: 2 }) });
    await study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 20 });
    expect(study.bestValue).toBe(Math.max(...study.trials.map((t) => t.values![0])));
  });

  it('is reproducible with a seeded sampler', async () => {
    const run = async () => {
      const s = createStudy({ sampler: new RandomSampler({ seed: 7 }) });
      await s.optimize(quadratic, { nTrials: 10 });
      return s.trials.map((t) => t.params);
    };
    expect(await run()).toEqual(await run());
  });

  it('resolves samplers, pruners and storages by registered name and serialized form', () => {
    const study = createStudy({ sampler: 'random', pruner: 'nop', storage: 'memory' });
    expect(study.sampler).toBeInstanceOf(RandomSampler);
    expect(study.pruner).toBeInstanceOf(NopPruner);
    const s2 = createStudy({ sampler: serialize(new RandomSampler({ seed: 3 })) });
    expect((s2.sampler as RandomSampler).seed).toBe(3);
    expect(() => createStudy({ sampler: 'randm' })).toThrow('Unknown sampler "randm". Did you mean "random"?');
    expect(registry.list('pruner')).toEqual(expect.arrayContaining(['median', 'hyperband', 'successiveHalving', 'nop']));
  });

  it('records failed trials (throw, NaN, wrong return) with the error and goes on', async () => {
    const study = createStudy({ sampler: new RandomSampler({ seed: 0 }) });
    await study.optimize(
      (t) => {
        const x = t.suggestFloat('x', 0, 1);
        if (t.number === 1) throw new Error('boom');
        if (t.number === 2) return Number.NaN;
        if (t.number === 3) return 'oops' as unknown as number;
        if (t.number === 4) return [1, 2];
        return x;
      },
      { nTrials: 6 },
    );
    const states = study.trials.map((t) => t.state);
    expect(states).toEqual(['complete', 'fail', 'fail', 'fail', 'fail', 'complete']);
    expect(study.trials[1].error).toBe('Error: boom');
    expect(study.trials[1].params).toHaveProperty('x');
    expect(study.trials[2].error).toBe('the objective returned NaN');
    expect(study.trials[3].error).toBe('the objective returned "oops"; expected a number');
    expect(study.trials[4].error).toBe('the objective returned 2 values; the study has 1 direction');
  });

  it('rethrows errors that catch does not tolerate, after recording them', async () => {
    class Tolerated extends Error {}
    const study = createStudy();
    let n = 0;
    const objective = () => {
      n++;
      if (n === 1) throw new Tolerated('fine');
      throw new TypeError('fatal');
    };
    await expect(study.optimize(objective, { nTrials: 5, catch: [Tolerated] })).rejects.toThrow('fatal');
    expect(study.trials.map((t) => [t.state, t.error])).toEqual([
      ['fail', 'Error: fine'],
      ['fail', 'TypeError: fatal'],
    ]);
    await expect(createStudy().optimize(() => { throw new Error('x'); }, { nTrials: 1, catch: false })).rejects.toThrow('x');
    const tolerant = createStudy();
    await tolerant.optimize(() => { throw new Error('x'); }, { nTrials: 3, catch: (e) => (e as Error).message === 'x' });
    expect(tolerant.trials).toHaveLength(3);
  });

  it('a callback that throws ends optimize once its running trials end, also with concurrency', async () => {
    const study = createStudy();
    const run = study.optimize(
      async (t) => {
        await new Promise((r) => setTimeout(r, 10));
        return t.suggestFloat('x', 0, 1);
      },
      {
        nTrials: 40,
        concurrency: 3,
        callbacks: [
          (_s, trial) => {
            if (trial.number === 0) throw new Error('callback failed');
          },
        ],
      },
    );
    await expect(run).rejects.toThrow('callback failed');
    // Nothing goes on behind the caller's back: no trial is left running, and none starts later.
    expect(study.trials.filter((t) => t.state === 'running')).toHaveLength(0);
    const n = study.trials.length;
    expect(n).toBeLessThanOrEqual(3);
    await new Promise((r) => setTimeout(r, 50));
    expect(study.trials).toHaveLength(n);
  });

  it('stops at the timeout and runs async objectives concurrently', async () => {
    const study = createStudy();
    let active = 0;
    let peak = 0;
    const t0 = Date.now();
    await study.optimize(
      async (t) => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 20));
        active--;
        return t.suggestFloat('x', 0, 1);
      },
      { nTrials: 12, concurrency: 4 },
    );
    expect(peak).toBe(4);
    expect(study.trials).toHaveLength(12);
    expect(Date.now() - t0).toBeLessThan(12 * 20);
    const timed = createStudy();
    await timed.optimize(async () => {
      await new Promise((r) => setTimeout(r, 30));
      return 1;
    }, { timeout: 0.1 });
    expect(timed.trials.length).toBeGreaterThanOrEqual(2);
    expect(timed.trials.length).toBeLessThanOrEqual(5);
  });

  it('supports ask/tell, including fixed distributions, pruned and failed states', () => {
    const study = createStudy();
    const t = study.ask({ x: { type: 'float', low: 0, high: 1, log: false, step: null } });
    expect(t.params).toHaveProperty('x');
    study.tell(t, 0.5);
    expect(study.bestValue).toBe(0.5);
    expect(() => study.tell(t, 0.1)).toThrow('tell: trial 0 has already finished (complete)');
    const p = study.ask();
    p.report(3, 0);
    p.report(2, 1);
    expect(study.tell(p, 'pruned')).toMatchObject({ state: 'pruned', values: [2] });
    const f = study.ask();
    expect(study.tell(f.number, 'fail', { error: new RangeError('bad') })).toMatchObject({ state: 'fail', error: 'RangeError: bad' });
    expect(() => study.tell(99, 1)).toThrow('storage: study 0 has no trial 99');
  });

  it('treats a TrialPruned thrown by the objective as pruned, with the last reported value', async () => {
    const study = createStudy({ pruner: new NopPruner() });
    await study.optimize((t) => {
      t.report(5, 0);
      t.report(4, 1);
      throw new TrialPruned();
    }, { nTrials: 1 });
    expect(study.trials[0]).toMatchObject({ state: 'pruned', values: [4], intermediateValues: { 0: 5, 1: 4 } });
  });

  it('multi-objective: the best trials are the Pareto front', () => {
    const study = createStudy({ directions: ['minimize', 'maximize'] });
    const points = [[1, 1], [2, 3], [3, 3], [0, 0], [2, 2]];
    for (const v of points) study.tell(study.ask(), v);
    expect(study.bestTrials.map((t) => t.number).sort()).toEqual([0, 1, 3]);
    expect(() => study.bestTrial).toThrow('bestTrial: the study has 2 objectives; use bestTrials (the Pareto front)');
    expect(() => study.ask().report(1, 0)).toThrow('report: intermediate values are not supported in multi-objective studies');
  });

  it('enqueued trials run first with their fixed params', async () => {
    const study = createStudy();
    study.enqueueTrial({ x: 0.25, y: 3 });
    await study.optimize(quadratic, { nTrials: 2 });
    expect(study.trials[0].params).toEqual({ x: 0.25, y: 3 });
    expect(study.trials[1].params).not.toEqual({ x: 0.25, y: 3 });
    study.enqueueTrial({ x: 50 });
    await expect(study.optimize(quadratic, { nTrials: 1, catch: false })).rejects.toThrow('suggestFloat("x"): the enqueued value 50 is not in float [-10, 10]');
  });

  it('resumes a study by name from the same storage, keeping the sampler state', async () => {
    const storage = new InMemoryStorage();
    const a = createStudy({ storage, studyName: 's', sampler: new RandomSampler({ seed: 5 }) });
    await a.optimize(quadratic, { nTrials: 3 });
    expect(() => createStudy({ storage, studyName: 's' })).toThrow('createStudy: a study named "s" already exists; pass loadIfExists: true to resume it');
    const b = createStudy({ storage, studyName: 's', loadIfExists: true, sampler: new RandomSampler({ seed: 5 }) });
    await b.optimize(quadratic, { nTrials: 3 });
    // The resumed sampler continued its stream: same as one uninterrupted run of 6.
    const c = createStudy({ sampler: new RandomSampler({ seed: 5 }) });
    await c.optimize(quadratic, { nTrials: 6 });
    expect(b.trials.map((t) => t.params)).toEqual(c.trials.map((t) => t.params));
    expect(loadStudy({ storage, studyName: 's' }).trials).toHaveLength(6);
    expect(() => loadStudy({ storage, studyName: 'nope' })).toThrow('loadStudy: no study named "nope" in this storage (it has: s)');
    // Resuming with another kind of sampler is fine: the saved state is for the random sampler only.
    const other = createStudy({ storage, studyName: 's', loadIfExists: true, sampler: new GridSampler({ searchSpace: { x: [1], y: [0] } }) });
    await other.optimize(quadratic, { nTrials: 1 });
    expect(other.trials[6].params).toEqual({ x: 1, y: 0 });
    expect(() => createStudy({ storage, studyName: 's', loadIfExists: true, direction: 'maximize' })).toThrow('createStudy: study "s" exists with directions ["minimize"], not ["maximize"]');
  });

  it('lists and deletes studies in a storage', () => {
    const storage = new InMemoryStorage();
    createStudy({ storage, studyName: 'a' });
    createStudy({ storage, studyName: 'b' });
    expect(getAllStudyNames(storage)).toEqual(['a', 'b']);
    deleteStudy({ storage, studyName: 'a' });
    expect(getAllStudyNames(storage)).toEqual(['b']);
    expect(() => deleteStudy({ storage, studyName: 'a' })).toThrow('deleteStudy: no study named "a" in this storage');
  });

  it('validates its options with messages naming them', async () => {
    expect(() => createStudy({ direction: 'down' as never })).toThrow('createStudy: direction must be "minimize" or "maximize", got "down"');
    expect(() => createStudy({ direction: 'minimize', directions: ['minimize'] })).toThrow('createStudy: give direction or directions, not both');
    expect(() => createStudy({ directions: [] })).toThrow('createStudy: directions must be a non-empty array');
    expect(() => createStudy({ smapler: 'random' } as never)).toThrow('createStudy: unknown option "smapler"; did you mean "sampler"?');
    expect(() => createStudy({ sampler: {} as never })).toThrow('createStudy: sampler must be a Sampler (with sampleIndependent)');
    expect(() => createStudy({ storage: 'nowhere' })).toThrow('createStudy: storage "nowhere" is not a URL');
    expect(() => createStudy({ studyName: '' })).toThrow('createStudy: studyName must be a non-empty string');
    const s = createStudy();
    await expect(s.optimize(quadratic, { nTrials: -1 })).rejects.toThrow('optimize: nTrials must be a non-negative integer, got -1');
    await expect(s.optimize(quadratic, { timeout: 0 })).rejects.toThrow('optimize: timeout must be a positive number of seconds, got 0');
    await expect(s.optimize(quadratic, { concurrency: 0 })).rejects.toThrow('optimize: concurrency must be a positive integer, got 0');
    await expect(s.optimize(quadratic, { ntrials: 1 } as never)).rejects.toThrow('optimize: unknown option "ntrials"; did you mean "nTrials"?');
    await expect(s.optimize(quadratic, { catch: 'all' as never })).rejects.toThrow('optimize: catch must be true, false, an array of error classes or a predicate');
    await expect(s.optimize(null as never)).rejects.toThrow('optimize: objective must be a function');
    expect(() => s.bestTrial).toThrow('bestTrial: no trial has completed yet (0 trials: 0 failed, 0 pruned, 0 running)');
    expect(() => s.tell('x' as never, 1)).toThrow('tell: expected a Trial or a trial number, got x');
    const elsewhere = createStudy({ studyName: 'elsewhere' }).ask();
    expect(() => s.tell(elsewhere, 1)).toThrow(/^tell: trial 0 belongs to study "elsewhere", not "no-name-/);
  });

  it('errors are NNErrors with a stable code', () => {
    try {
      createStudy({ direction: 'x' as never });
    } catch (e) {
      expect(e).toBeInstanceOf(NNError);
      expect((e as NNError).code).toBe('INVALID_ARGUMENT');
    }
  });

  it('grid sampler plugs in through the study', async () => {
    const study = createStudy({ sampler: new GridSampler({ searchSpace: { x: [1, 2] } }) });
    await study.optimize((t) => t.suggestInt('x', 0, 5), { nTrials: 10 });
    expect(study.trials.map((t) => t.params.x).sort()).toEqual([1, 2]);
  });
});
