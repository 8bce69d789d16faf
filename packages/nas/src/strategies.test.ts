import { describe, expect, it } from 'vitest';
import { choice, RandomArchitectures, RegularizedEvolution, ReinforceController, repeat, searchSpace, skipConnection, type Architecture } from './index.js';

const space = searchSpace({ n: choice([1, 2, 3]), layers: repeat('n', { units: choice([8, 16, 32]), act: choice(['relu', 'tanh']), skip: skipConnection() }) });

describe('ReinforceController', () => {
  it("gives a distribution per decision: the probabilities of each decision's values sum to one", () => {
    const c = new ReinforceController({ space, seed: 4, initRange: 1 });
    for (let i = 0; i < 5; i++) {
      const cand = c.ask();
      const dists = c.logProbabilities(cand);
      expect(dists).toHaveLength(space.indices(cand.architecture).length);
      for (const d of dists) expect(d.reduce((a, lp) => a + Math.exp(lp), 0)).toBeCloseTo(1, 6);
      c.tell(cand, i / 5);
    }
  });

  it('computes the REINFORCE gradient of a hand-checked case: d/db of −A·log p(c) is −A·(onehot(c) − p) through the tanh clip', () => {
    const one = searchSpace({ x: choice(['a', 'b', 'c']) });
    const T = 2;
    const C = 1.5;
    const ctl = new ReinforceController({ space: one, seed: 9, temperature: T, tanhConstant: C, entropyWeight: 0, initRange: 0.5 });
    const cand = { architecture: { x: 'b' } as Architecture };
    const A = 0.7;
    const logp = ctl.logProbabilities(cand)[0];
    const p = logp.map(Math.exp);
    const loss = ctl.loss(cand, A);
    // The loss is −A·log p(b): check its value first.
    expect(loss.item()).toBeCloseTo(-A * logp[1], 5);
    loss.backward();
    const [, bias] = ctl.parameters().slice(-3);
    // By hand: dL/dlogit_k = −A·(1[k=b] − p_k) and dlogit_k/dz_k = (C/T)·(1 − tanh²(z_k/T)), with the raw
    // scores z = h·W + b computed here from the controller's weights and its first LSTM output h.
    const params = ctl.parameters();
    const [kernel, b] = params.slice(-3, -1).map((t) => Array.from(t.dataSync()));
    const h = hiddenOutput(ctl);
    const z = [0, 1, 2].map((k) => h.reduce((s, hv, j) => s + hv * kernel[j * 3 + k], 0) + b[k]);
    const expected = z.map((zk, k) => -A * ((k === 1 ? 1 : 0) - p[k]) * (C / T) * (1 - Math.tanh(zk / T) ** 2));
    Array.from(bias.grad!.dataSync()).forEach((g, k) => expect(g).toBeCloseTo(expected[k], 6));
    // And the softmax of C·tanh(z/T) is the controller's p.
    const logits = z.map((zk) => C * Math.tanh(zk / T));
    const lse = Math.log(logits.reduce((s, l) => s + Math.exp(l), 0));
    logits.forEach((l, k) => expect(l - lse).toBeCloseTo(logp[k], 5));
  });

  it('learns: on a reward with one best architecture it concentrates its samples there', () => {
    const small = searchSpace({ a: choice([0, 1, 2, 3]), b: choice([0, 1, 2, 3]) });
    const reward = (x: Architecture) => (x.a === 3 ? 0.5 : 0) + (x.b === 2 ? 0.5 : 0);
    const c = new ReinforceController({ space: small, seed: 1, lr: 0.05 });
    const target = { architecture: { a: 3, b: 2 } };
    const pBest = () => Math.exp(c.logProbabilities(target).reduce((s, lp, k) => s + lp[[3, 2][k]], 0));
    expect(pBest()).toBeCloseTo(1 / 16, 1);
    const rewards: number[] = [];
    for (let i = 0; i < 120; i++) {
      const cand = c.ask();
      rewards.push(reward(cand.architecture));
      c.tell(cand, rewards[i]);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(rewards.slice(-30))).toBeGreaterThan(0.75);
    expect(pBest()).toBeGreaterThan(0.5);
  });

  it('round-trips its state: a restored controller asks and learns exactly as the original', () => {
    const a = new ReinforceController({ space, seed: 2 });
    for (let i = 0; i < 3; i++) a.tell(a.ask(), i);
    const state = JSON.parse(JSON.stringify(a.stateDict()));
    const b = new ReinforceController({ space, seed: 99 });
    b.loadStateDict(state);
    for (let i = 0; i < 3; i++) {
      const [ca, cb] = [a.ask(), b.ask()];
      expect(cb).toEqual(ca);
      a.tell(ca, 1 - i);
      b.tell(cb, 1 - i);
    }
    expect(b.logProbabilities(a.ask())).toEqual(a.logProbabilities(b.ask()));
    expect(() => b.loadStateDict({ ...state, weights: [[1]] })).toThrow('the weights do not fit this controller');
  });
});

/** The LSTM output at the first step (input: the learned start vector, zero states), as the controller computes it. */
function hiddenOutput(ctl: ReinforceController): number[] {
  const params = ctl.parameters();
  const start = params[3];
  return Array.from(ctl.cell.step(start, ctl.cell.initialStates(1)).output.dataSync());
}

describe('RegularizedEvolution', () => {
  it('keeps its population size and ages out the oldest member, not the worst', () => {
    const evo = new RegularizedEvolution({ space, seed: 3, populationSize: 5, sampleSize: 2 });
    const told: number[] = [];
    for (let i = 0; i < 12; i++) {
      const cand = evo.ask();
      // The oldest members get the best rewards: ageing must still remove them.
      const r = 100 - i;
      told.push(r);
      evo.tell(cand, r);
      expect(evo.population.length).toBe(Math.min(i + 1, 5));
    }
    expect(evo.population.map((m) => m.reward)).toEqual(told.slice(-5));
  });

  it('mutates exactly one decision of the tournament winner (or the decisions a changed count adds)', () => {
    const evo = new RegularizedEvolution({ space, seed: 7, populationSize: 3, sampleSize: 3 });
    const cands = [evo.ask(), evo.ask(), evo.ask()];
    cands.forEach((c, i) => evo.tell(c, i === 1 ? 1 : 0));
    const parent = cands[1].architecture;
    for (let i = 0; i < 20; i++) {
      const child = evo.ask().architecture;
      const pi = space.indices(parent);
      const ci = space.indices(child);
      if (child.n === parent.n) expect(ci.filter((d, k) => d.index !== pi[k].index)).toHaveLength(1);
      else expect(ci.slice(1, Math.min(ci.length, pi.length))).toEqual(pi.slice(1, Math.min(ci.length, pi.length)));
    }
  });

  it('round-trips its state', () => {
    const a = new RegularizedEvolution({ space, seed: 5, populationSize: 4 });
    for (let i = 0; i < 6; i++) a.tell(a.ask(), i % 3);
    const b = new RegularizedEvolution({ space, seed: 0, populationSize: 4 });
    b.loadStateDict(JSON.parse(JSON.stringify(a.stateDict())));
    expect(b.ask()).toEqual(a.ask());
    expect(() => new RegularizedEvolution({ space, populationSize: 2, sampleSize: 3 })).toThrow('sampleSize must be an integer in [1, populationSize=2]');
  });
});

describe('RandomArchitectures', () => {
  it('samples every value of every decision, reproducibly from its seed', () => {
    const a = new RandomArchitectures({ space, seed: 11 });
    const b = new RandomArchitectures({ space, seed: 11 });
    const seen = new Set<unknown>();
    for (let i = 0; i < 40; i++) {
      const ca = a.ask();
      expect(b.ask()).toEqual(ca);
      for (const l of ca.architecture.layers as Array<Record<string, unknown>>) seen.add(l.units);
    }
    expect(seen).toEqual(new Set([8, 16, 32]));
    expect(() => a.tell(a.ask(), Number.NaN)).toThrow('reward must be a finite number');
    expect(() => new RandomArchitectures({ space, sed: 1 } as never)).toThrow('unknown option sed');
  });
});
