import { deserialize, serialize } from '@nn/core';
import { describe, expect, it } from 'vitest';
import { RandomSampler } from './random-sampler.js';
import { createStudy } from './study.js';
import { describeSamplerContract, runStudy } from './testing/sampler-contract.js';
import { TPESampler } from './tpe-sampler.js';
import type { Trial } from './trial.js';

describeSamplerContract('TPESampler', (seed) => new TPESampler({ seed, nStartupTrials: 5 }), 30);
describeSamplerContract('TPESampler (multivariate)', (seed) => new TPESampler({ seed, nStartupTrials: 5, multivariate: true }), 30);

const sphere = (t: Trial) => {
  let s = 0;
  for (let i = 0; i < 5; i++) s += (t.suggestFloat(`x${i}`, -5, 5) - 1.3) ** 2;
  return s;
};

describe('TPESampler', () => {
  it('beats random search on a 5-D sphere in 100 trials (median of 5 seeds)', async () => {
    const med = (v: number[]) => v.sort((a, b) => a - b)[2];
    const tpe: number[] = [];
    const random: number[] = [];
    for (let seed = 0; seed < 5; seed++) {
      tpe.push((await runStudy(new TPESampler({ seed }), sphere, 100)).bestValue);
      random.push((await runStudy(new RandomSampler({ seed }), sphere, 100)).bestValue);
    }
    expect(med(tpe)).toBeLessThan(med(random) / 2);
  });

  it('is random for the startup trials, then concentrates on the good region', async () => {
    const study = await runStudy(new TPESampler({ seed: 1, nStartupTrials: 10 }), (t) => (t.suggestFloat('x', 0, 1) - 0.8) ** 2, 60);
    const late = study.trials.slice(40).map((t) => t.params.x as number);
    const close = late.filter((x) => Math.abs(x - 0.8) < 0.15).length;
    expect(close / late.length).toBeGreaterThan(0.6);
  });

  it('ranks pruned trials by progress when few trials completed', async () => {
    // Only two trials complete; five are pruned at different steps. With gamma = 4 the two complete ones
    // and the two pruned ones that got furthest are "good"; samples then concentrate near their x.
    const study = createStudy({ sampler: new TPESampler({ seed: 3, nStartupTrials: 0, gamma: () => 4 }), pruner: 'nop' });
    const plan: [number, number | null][] = [
      [0.1, 5],
      [0.12, null],
      [0.9, 1],
      [0.85, 2],
      [0.15, null],
      [0.8, 1],
      [0.11, 9],
    ];
    for (const [x, prunedAt] of plan) {
      study.enqueueTrial({ x });
      const t = study.ask();
      t.suggestFloat('x', 0, 1);
      if (prunedAt === null) study.tell(t, x);
      else {
        t.report(x, prunedAt);
        study.tell(t, 'pruned');
      }
    }
    const xs: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = study.ask();
      xs.push(t.suggestFloat('x', 0, 1));
      study.tell(t, 'fail');
    }
    expect(xs.filter((x) => x < 0.4).length).toBeGreaterThan(14);
  });

  it('rejects unknown options by name', () => {
    expect(() => new TPESampler({ nEiCandidate: 3 } as never)).toThrow(/did you mean "nEiCandidates"/);
  });

  it('round-trips through serialize/deserialize, and refuses to serialize custom functions', () => {
    const s = new TPESampler({ seed: 4, multivariate: true, nEiCandidates: 12 });
    const back = deserialize<TPESampler>(JSON.parse(JSON.stringify(serialize(s))));
    expect(back).toBeInstanceOf(TPESampler);
    expect(back.getConfig()).toEqual(s.getConfig());
    expect(() => serialize(new TPESampler({ gamma: () => 3 }))).toThrow(/custom gamma or weights function cannot be serialized/);
  });
});
