import { describe, expect, it } from 'vitest';
import { RandomSampler } from '../random-sampler.js';
import { createStudy, type Study } from '../study.js';
import { paramImportances, type ImportanceEvaluator } from './importance.js';
import { plotOptimizationHistory, plotParallelCoordinate, plotParamImportances, plotSlice } from './plots.js';

/** Tags balance and attributes are quoted: enough to know a browser will parse it. */
function expectWellFormed(svg: string): void {
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)([^>]*?)(\/?)>/g)) {
    const [, close, name, attrs, self] = m;
    expect(attrs).not.toMatch(/=[^"\s]/);
    const names = [...attrs.matchAll(/([\w:-]+)="/g)].map((a) => a[1]);
    expect(new Set(names).size, `duplicate attribute in <${name}${attrs}>`).toBe(names.length);
    if (self) continue;
    if (close) expect(stack.pop()).toBe(name);
    else stack.push(name);
  }
  expect(stack).toEqual([]);
  expect(svg).not.toMatch(/NaN|undefined|Infinity/);
}

async function sampleStudy(n = 60): Promise<Study> {
  const study = createStudy({ sampler: new RandomSampler({ seed: 11 }) });
  await study.optimize((t) => {
    const lr = t.suggestFloat('lr', 1e-5, 1e-1, { log: true });
    const units = t.suggestInt('units', 8, 256, { log: true });
    const act = t.suggestCategorical('act', ['relu', 'tanh', 'gelu']);
    const noise = t.suggestFloat('noise', 0, 1);
    if (t.number === 3) throw new Error('diverged');
    return (Math.log10(lr) + 3) ** 2 + 0.05 * Math.log2(units) + (act === 'tanh' ? 0.3 : 0) + 0 * noise;
  }, { nTrials: n });
  return study;
}

describe('plots', () => {
  it('optimization history: one point per complete trial and a best-so-far line', async () => {
    const study = await sampleStudy();
    const svg = plotOptimizationHistory(study, { title: 'History <lr>' });
    expectWellFormed(svg);
    expect(svg.match(/<circle /g)).toHaveLength(59);
    expect(svg).toContain('History &lt;lr&gt;');
    expect(svg).toMatch(/<path d="M[^"]+" fill="none" stroke="#d62728"/);
    expectWellFormed(plotOptimizationHistory(study, { logY: true }));
    expectWellFormed(plotOptimizationHistory(createStudy()));
  });

  it('slice: one panel per parameter, log axes for log parameters, categories by name', async () => {
    const study = await sampleStudy();
    const svg = plotSlice(study);
    expectWellFormed(svg);
    expect(svg.match(/<circle /g)).toHaveLength(59 * 4);
    for (const label of ['>1e-5<', '>0.001<', '>relu<', '>gelu<', '>units<', '>noise<']) expect(svg).toContain(label);
    expectWellFormed(plotSlice(study, { params: ['lr'] }));
    expect(() => plotSlice(study, { params: ['nope'] })).toThrow('plotSlice: no complete trial has parameter "nope" (parameters: act, lr, noise, units)');
  });

  it('parallel coordinates: one line per complete trial that has every plotted parameter', async () => {
    const study = createStudy({ sampler: new RandomSampler({ seed: 2 }) });
    await study.optimize((t) => {
      const kind = t.suggestCategorical('kind', ['a', 'b']);
      const x = t.suggestFloat('x', 0, 1);
      return kind === 'a' ? t.suggestFloat('only_a', 0, 1) + x : x;
    }, { nTrials: 30 });
    const withA = study.trials.filter((t) => 'only_a' in t.params).length;
    const svg = plotParallelCoordinate(study);
    expectWellFormed(svg);
    expect(svg.match(/<polyline /g)).toHaveLength(withA);
    expect(plotParallelCoordinate(study, { params: ['x'] }).match(/<polyline /g)).toHaveLength(30);
  });

  it('multi-objective studies need a target', async () => {
    const study = createStudy({ directions: ['minimize', 'maximize'] });
    const t = study.ask();
    t.suggestFloat('x', 0, 1);
    study.tell(t, [1, 2]);
    expect(() => plotOptimizationHistory(study)).toThrow('plotOptimizationHistory: the study has 2 objectives; pass target: (trial) => trial.values[i] to choose one');
    expectWellFormed(plotOptimizationHistory(study, { target: (tr) => tr.values![1], targetName: 'accuracy' }));
  });

  it('validates options', async () => {
    const study = await sampleStudy(5);
    expect(() => plotSlice(study, { witdh: 3 } as never)).toThrow('plotSlice: unknown option "witdh"; did you mean "width"?');
    expect(() => plotOptimizationHistory(study, { width: 10 })).toThrow('plotOptimizationHistory: width and height must be numbers >= 100, got 10 x undefined');
    expect(() => plotParamImportances(study, { evaluator: {} as never })).toThrow('paramImportances: evaluator must have evaluate(trials, params, values, direction)');
  });
});

describe('parameter importance', () => {
  it('ranks the parameter that drives the objective first and an unused one near zero', async () => {
    const study = createStudy({ sampler: new RandomSampler({ seed: 5 }) });
    await study.optimize((t) => {
      const big = t.suggestFloat('big', 0, 1);
      const small = t.suggestFloat('small', 0, 1);
      t.suggestFloat('unused', 0, 1);
      const c = t.suggestCategorical('c', ['a', 'b']);
      return 10 * big + 4 * small + (c === 'a' ? 4 : 0);
    }, { nTrials: 200 });
    const imp = paramImportances(study);
    expect(Object.keys(imp)).toEqual(['big', 'c', 'small', 'unused']);
    expect(Object.values(imp).reduce((a, b) => a + b)).toBeCloseTo(1);
    expect(imp.unused).toBeLessThan(0.04);
    expect(imp.big).toBeGreaterThan(0.5);
    const svg = plotParamImportances(study);
    expectWellFormed(svg);
    expect(svg.match(/<rect [^>]*fill="#1f77b4"/g)).toHaveLength(4);
  });

  it('accepts a custom evaluator', async () => {
    const study = await sampleStudy(10);
    const evaluator: ImportanceEvaluator = { evaluate: (_t, params) => Object.fromEntries(params.map((p) => [p, p === 'units' ? 3 : 1])) };
    expect(paramImportances(study, { evaluator })).toEqual({ units: 0.5, act: 1 / 6, lr: 1 / 6, noise: 1 / 6 });
  });
});
