import { describe, expect, it } from 'vitest';
import { GridSampler } from './grid-sampler.js';
import { createStudy } from './study.js';
import { InMemoryStorage } from './storage-memory.js';

describe('GridSampler', () => {
  it('covers every combination exactly once, then stops the study', async () => {
    const sampler = new GridSampler({ searchSpace: { lr: [0.1, 0.01, 0.001], units: [32, 64], act: ['relu', 'tanh'] }, seed: 1 });
    expect(sampler.size).toBe(12);
    const study = createStudy({ sampler });
    await study.optimize((t) => {
      t.suggestFloat('lr', 1e-4, 1, { log: true });
      t.suggestInt('units', 16, 128);
      t.suggestCategorical('act', ['relu', 'tanh']);
      return 0;
    }, { nTrials: 100 });
    expect(study.trials).toHaveLength(12);
    const seen = study.trials.map((t) => JSON.stringify([t.params.lr, t.params.units, t.params.act]));
    expect(new Set(seen).size).toBe(12);
    // A later optimize call starts nothing: the grid is done.
    await study.optimize(() => 0, { nTrials: 5 });
    expect(study.trials).toHaveLength(12);
  });

  it('covers the grid once with concurrent trials too', async () => {
    const study = createStudy({ sampler: new GridSampler({ searchSpace: { a: [1, 2, 3, 4, 5], b: [0, 1] } }) });
    await study.optimize(async (t) => {
      await new Promise((r) => setTimeout(r, 5));
      return t.suggestInt('a', 0, 9) + t.suggestInt('b', 0, 1);
    }, { concurrency: 3 });
    expect(study.trials).toHaveLength(10);
    expect(new Set(study.trials.map((t) => `${t.params.a},${t.params.b}`)).size).toBe(10);
  });

  it('discretizes ranges: log ranges on a log scale, ints and steps fully', () => {
    const g = new GridSampler({
      searchSpace: {
        lr: { low: 1e-4, high: 1e-1, log: true, n: 4 },
        units: { type: 'int', low: 32, high: 256, log: true, n: 4 },
        layers: { type: 'int', low: 1, high: 3 },
        drop: { low: 0, high: 0.4, step: 0.2 },
        act: { type: 'categorical', choices: ['relu', 'gelu'] },
      },
    });
    expect(g.grid).toEqual({ act: ['relu', 'gelu'], drop: [0, 0.2, 0.4], layers: [1, 2, 3], lr: [1e-4, 1e-3, 1e-2, 1e-1], units: [32, 64, 128, 256] });
    expect(g.size).toBe(2 * 3 * 3 * 4 * 4);
  });

  it('refuses a grid value that cannot be a value of the suggested parameter, instead of returning it', () => {
    // An axis without type: 'int' is a float range: suggestInt must not hand out 1.5.
    const ints = createStudy({ sampler: new GridSampler({ searchSpace: { units: { low: 0.5, high: 2.5, n: 3 } } }) });
    expect(() => ints.ask().suggestInt('units', 0, 3)).toThrow('GridSampler: the grid value');
    expect(() => ints.ask().suggestInt('units', 0, 3)).toThrow("of \"units\" is not a value of int [0, 3]; give the axis type: 'int'");
    const cats = createStudy({ sampler: new GridSampler({ searchSpace: { act: [1, 2] } }) });
    expect(() => cats.ask().suggestCategorical('act', ['relu', 'tanh'])).toThrow('of "act" is not a value of categorical ["relu","tanh"]');
    // Whole-number values of a float axis are fine for suggestInt, as are the listed values.
    const ok = createStudy({ sampler: new GridSampler({ searchSpace: { units: { low: 0, high: 8, n: 3 } } }) });
    expect([0, 4, 8]).toContain(ok.ask().suggestInt('units', 0, 8));
  });

  it('visits in a seeded order, reproducibly', async () => {
    const order = async (seed: number) => {
      const s = createStudy({ sampler: new GridSampler({ searchSpace: { x: [1, 2, 3, 4, 5, 6] }, seed }) });
      await s.optimize((t) => t.suggestInt('x', 1, 6));
      return s.trials.map((t) => t.params.x);
    };
    expect(await order(1)).toEqual(await order(1));
    expect(await order(1)).not.toEqual(await order(2));
  });

  it('resumes a grid across optimize calls and storage reloads without repeating', async () => {
    const storage = new InMemoryStorage();
    const space = { searchSpace: { x: [1, 2, 3, 4] } };
    const a = createStudy({ storage, studyName: 'g', sampler: new GridSampler(space) });
    await a.optimize((t) => t.suggestInt('x', 1, 4), { nTrials: 2 });
    const b = createStudy({ storage, studyName: 'g', loadIfExists: true, sampler: new GridSampler(space) });
    await b.optimize((t) => t.suggestInt('x', 1, 4));
    expect(b.trials.map((t) => t.params.x).sort()).toEqual([1, 2, 3, 4]);
  });

  it('validates its grid with messages naming the parameter', () => {
    expect(() => new GridSampler(undefined as never)).toThrow('GridSampler: options { searchSpace } are required');
    expect(() => new GridSampler({ searchSpace: {} })).toThrow('GridSampler: searchSpace must be a non-empty object');
    expect(() => new GridSampler({ searchSpace: { x: [] } })).toThrow('GridSampler: searchSpace.x: choices must be a non-empty array');
    expect(() => new GridSampler({ searchSpace: { lr: { low: 0, high: 1, log: true } } })).toThrow('GridSampler: searchSpace.lr: low must be > 0 when log is true, got 0');
    expect(() => new GridSampler({ searchSpace: { lr: { low: 0, high: 1, n: 0 } } })).toThrow('GridSampler: searchSpace.lr: n must be a positive integer, got 0');
    expect(() => new GridSampler({ searchSpace: { lr: { low: 0, high: 1, points: 3 } as never } })).toThrow('GridSampler: searchSpace.lr: unknown option "points"');
    expect(() => new GridSampler({ searchSpace: { x: { type: 'bool', low: 0, high: 1 } as never } })).toThrow('GridSampler: searchSpace.x: type must be "float", "int" or "categorical", got "bool"');
    expect(() => new GridSampler({ searchSpace: { x: [1] }, seeed: 1 } as never)).toThrow('GridSampler: unknown option "seeed"; did you mean "seed"?');
    const study = createStudy({ sampler: new GridSampler({ searchSpace: { x: [1] } }) });
    expect(() => study.ask().suggestFloat('y', 0, 1)).toThrow('GridSampler: parameter "y" is not in the grid (grid parameters: x); add it to searchSpace');
  });
});
