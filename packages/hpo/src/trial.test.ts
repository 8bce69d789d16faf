import { describe, expect, it } from 'vitest';
import { RandomSampler } from './random-sampler.js';
import { createStudy } from './study.js';
import { lastStep } from './trial.js';

describe('Trial', () => {
  it('suggests floats, log floats, stepped floats, ints, log ints and categoricals inside their ranges', async () => {
    const study = createStudy({ sampler: new RandomSampler({ seed: 3 }) });
    await study.optimize((t) => {
      const lr = t.suggestFloat('lr', 1e-5, 1e-1, { log: true });
      const drop = t.suggestFloat('dropout', 0, 0.5, { step: 0.1 });
      const units = t.suggestInt('units', 16, 256, { log: true });
      const layers = t.suggestInt('layers', 1, 7, { step: 2 });
      const act = t.suggestCategorical('act', ['relu', 'tanh', null, true, 3]);
      expect(lr).toBeGreaterThanOrEqual(1e-5);
      expect(lr).toBeLessThanOrEqual(1e-1);
      expect([0, 0.1, 0.2, 0.3, 0.4, 0.5]).toContain(drop);
      expect(Number.isInteger(units) && units >= 16 && units <= 256).toBe(true);
      expect([1, 3, 5, 7]).toContain(layers);
      expect(['relu', 'tanh', null, true, 3]).toContain(act);
      return lr;
    }, { nTrials: 200, catch: false });
    const lrs = study.trials.map((t) => Math.log10(t.params.lr as number));
    // log-uniform: about a quarter of the draws in each decade
    expect(lrs.filter((x) => x < -4).length).toBeGreaterThan(30);
    expect(lrs.filter((x) => x > -2).length).toBeGreaterThan(30);
    expect(new Set(study.trials.map((t) => t.params.layers)).size).toBe(4);
    expect(new Set(study.trials.map((t) => t.params.act)).size).toBe(5);
    expect(study.trials[0].distributions.units).toEqual({ type: 'int', low: 16, high: 256, log: true, step: 1 });
  });

  it('conditional parameters exist only in the trials that asked for them', async () => {
    const study = createStudy({ sampler: new RandomSampler({ seed: 1 }) });
    await study.optimize((t) => {
      const kind = t.suggestCategorical('kind', ['svm', 'tree']);
      if (kind === 'svm') return t.suggestFloat('c', 1e-3, 1e3, { log: true });
      return t.suggestInt('depth', 1, 10);
    }, { nTrials: 30, catch: false });
    for (const t of study.trials) {
      expect(Object.keys(t.params).sort()).toEqual(t.params.kind === 'svm' ? ['c', 'kind'] : ['depth', 'kind']);
    }
  });

  it('returns the same value when a parameter is suggested again with the same range, and refuses a clash', () => {
    const study = createStudy();
    const t = study.ask();
    const x = t.suggestFloat('x', 0, 1);
    expect(t.suggestFloat('x', 0, 1)).toBe(x);
    expect(() => t.suggestFloat('x', 0, 2)).toThrow('suggestFloat("x"): trial 0 already suggested "x" as float [0, 1]; it cannot be suggested again as float [0, 2]');
    expect(() => t.suggestInt('x', 0, 1)).toThrow('suggestInt("x"): trial 0 already suggested "x" as float [0, 1]; it cannot be suggested again as int [0, 1]');
    study.tell(t, x);
    const u = study.ask();
    expect(() => u.suggestInt('x', 0, 1)).toThrow('suggestInt("x"): parameter "x" was suggested as float before and as int now; a parameter keeps its type within a study');
    expect(u.suggestFloat('x', 0, 5)).toBeLessThanOrEqual(5); // a moved range is fine (define-by-run)
    u.suggestCategorical('c', ['a', 'b']);
    study.tell(u, 1);
    expect(() => study.ask().suggestCategorical('c', ['a', 'z'])).toThrow('suggestCategorical("c"): parameter "c" was suggested with choices ["a","b"] before and ["a","z"] now');
  });

  it('single-point ranges need no sampler', () => {
    const t = createStudy().ask();
    expect(t.suggestFloat('a', 2, 2)).toBe(2);
    expect(t.suggestInt('b', 3, 3)).toBe(3);
    expect(t.suggestCategorical('c', ['only'])).toBe('only');
  });

  it('validates suggestions with messages naming the parameter', () => {
    const t = createStudy().ask();
    expect(() => t.suggestFloat('lr', 0, 1, { log: true })).toThrow('suggestFloat("lr"): low must be > 0 when log is true, got 0');
    expect(() => t.suggestFloat('lr', 1, 0)).toThrow('suggestFloat("lr"): low (1) must not be greater than high (0)');
    expect(() => t.suggestFloat('lr', 1e-3, 1, { log: true, step: 0.1 })).toThrow('suggestFloat("lr"): step and log cannot be used together');
    expect(() => t.suggestFloat('d', 0, 1, { step: -1 })).toThrow('suggestFloat("d"): step must be a positive number, got -1');
    expect(() => t.suggestInt('n', 0, 10.5)).toThrow('suggestInt("n"): high must be an integer, got 10.5');
    expect(() => t.suggestInt('n', 1, 64, { log: true, step: 2 })).toThrow('suggestInt("n"): step must be 1 when log is true, got 2');
    expect(() => t.suggestInt('n', 0, 64, { log: true })).toThrow('suggestInt("n"): low must be >= 1 when log is true, got 0');
    expect(() => t.suggestCategorical('a', [])).toThrow('suggestCategorical("a"): choices must be a non-empty array');
    expect(() => t.suggestCategorical('a', [[1]] as never)).toThrow('suggestCategorical("a"): choices[0] must be a number, string, boolean or null, got object');
    expect(() => t.suggestFloat('', 0, 1)).toThrow('suggestFloat: name must be a non-empty string, got ""');
    expect(() => t.report(Number('x'), -1)).toThrow('report: step must be a non-negative integer, got -1');
    expect(() => t.report('1' as never, 0)).toThrow('report: value must be a number, got string');
  });

  it('reports intermediate values; a repeated step keeps its first value', () => {
    const study = createStudy();
    const t = study.ask();
    t.report(0.9, 0);
    t.report(0.5, 2);
    t.report(0.1, 2);
    expect(t.intermediateValues).toEqual({ 0: 0.9, 2: 0.5 });
    expect(lastStep(t.frozen())).toBe(2);
    t.setUserAttr('note', 'hi');
    expect(t.userAttrs).toEqual({ note: 'hi' });
    study.tell(t, 1);
    expect(() => t.report(1, 3)).toThrow('report: trial 0 has already finished (complete)');
  });
});
