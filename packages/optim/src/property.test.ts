import { tensor, type Tensor } from '@nn/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Adadelta, Adagrad, Adam, AdamW, Adamax, NAdam, RMSprop, SGD, clipGradNorm, type Optimizer, type OptimizerStateDict } from './index.js';
import { decodeFloat32 } from './state-dict.js';

type Make = (params: Tensor[]) => Optimizer;
const OPTIMIZERS: [string, Make][] = [
  ['SGD nesterov', (ps) => new SGD(ps, { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01 })],
  ['SGD dampening', (ps) => new SGD(ps, { lr: 0.05, momentum: 0.5, dampening: 0.3 })],
  ['Adagrad', (ps) => new Adagrad(ps, { lr: 0.1, lrDecay: 0.01, initialAccumulatorValue: 0.1 })],
  ['RMSprop', (ps) => new RMSprop(ps, { lr: 0.01, centered: true, momentum: 0.5, clipNorm: 1 })],
  ['Adadelta', (ps) => new Adadelta(ps, { weightDecay: 0.1 })],
  ['Adam', (ps) => new Adam(ps, { lr: 0.01, amsgrad: true, clipValue: 0.5 })],
  ['AdamW', (ps) => new AdamW(ps, { lr: { lrAt: (t) => 0.01 / (1 + t), momentumAt: (t) => 0.9 - 0.01 * t } })],
  ['NAdam', (ps) => new NAdam(ps, { lr: 0.01, weightDecay: 0.01, decoupledWeightDecay: true })],
  ['Adamax', (ps) => new Adamax(ps, { lr: 0.01, maximize: true })],
];

const finite = fc.float({ min: -4, max: 4, noNaN: true, noDefaultInfinity: true });
const bits = (ts: Tensor[]) => ts.map((t) => Array.from(new Uint32Array(t.dataSync().buffer)));

/** Parameters of random sizes, and a gradient for each at every step. */
const run = fc
  .record({ sizes: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }), first: fc.integer({ min: 0, max: 4 }), second: fc.integer({ min: 1, max: 4 }), seed: fc.integer() })
  .chain(({ sizes, first, second, seed }) =>
    fc.record({
      sizes: fc.constant(sizes),
      first: fc.constant(first),
      seed: fc.constant(seed),
      init: fc.tuple(...sizes.map((n) => fc.array(finite, { minLength: n, maxLength: n }))),
      grads: fc.array(fc.tuple(...sizes.map((n) => fc.option(fc.array(finite, { minLength: n, maxLength: n }), { freq: 5 }))), { minLength: first + second, maxLength: first + second }),
    }),
  );

function steps(opt: Optimizer, params: Tensor[], grads: (number[] | null)[][]) {
  for (const gs of grads) {
    params.forEach((p, i) => (p.grad = gs[i] ? tensor(gs[i]!) : null));
    opt.step();
  }
}

describe('properties', () => {
  for (const [name, make] of OPTIMIZERS) {
    it(`${name}: save at any step, load into a fresh optimizer, go on == never stopped (bitwise)`, () => {
      fc.assert(
        fc.property(run, ({ init, grads, first }) => {
          const fresh = () => init.map((v) => tensor(v));
          const a = fresh();
          const straight = make(a);
          steps(straight, a, grads);

          const b = fresh();
          const before = make(b);
          steps(before, b, grads.slice(0, first));
          const sd = JSON.parse(JSON.stringify(before.stateDict())) as OptimizerStateDict;
          const c = b.map((t) => tensor(t.dataSync()));
          const after = make(c);
          // Extreme finite values can overflow a moment to Infinity/NaN: such a state is refused on load
          // (it is no checkpoint to resume from), naming the entry; every finite one resumes bitwise.
          const finiteState = Object.values(sd.state).every((st) => Object.values(st).every((v) => typeof v === 'number' || decodeFloat32(v.base64)!.every(Number.isFinite)));
          if (!finiteState) {
            expect(() => after.loadStateDict(sd)).toThrow(/optimizer state must be finite/);
            return;
          }
          after.loadStateDict(sd);
          steps(after, c, grads.slice(first));
          expect(bits(c)).toEqual(bits(a));
        }),
        { numRuns: 40 },
      );
    });
  }

  it('clipGradNorm: the clipped norm is at most maxNorm, the direction is kept, a small norm is untouched', () => {
    fc.assert(
      fc.property(fc.array(fc.array(finite, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 4 }), fc.float({ min: Math.fround(0.01), max: 10, noNaN: true }), (gs, maxNorm) => {
        const ps = gs.map((g) => {
          const p = tensor(g.map(() => 0));
          p.grad = tensor(g);
          return p;
        });
        const before = gs.flat().map(Math.fround);
        const norm = clipGradNorm(ps, maxNorm);
        expect(norm).toBeCloseTo(Math.hypot(...before), 4);
        const after = ps.flatMap((p) => Array.from(p.grad!.dataSync()));
        const clippedNorm = Math.hypot(...after);
        expect(clippedNorm).toBeLessThanOrEqual(maxNorm * (1 + 1e-5) + 1e-6);
        if (norm + 1e-6 <= maxNorm) expect(after).toEqual(before);
        const scale = norm > 0 ? clippedNorm / norm : 1;
        after.forEach((v, i) => expect(v).toBeCloseTo(before[i] * scale, 5));
      }),
      { numRuns: 200 },
    );
  });
});
