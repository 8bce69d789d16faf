import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exponentialDecay, inverseTimeDecay, naturalExpDecay } from './index.js';

const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12);

describe('exponentialDecay', () => {
  it('is lr * gamma^t per step by default', () => {
    const s = exponentialDecay({ lr: 2, gamma: 0.5 });
    expect([0, 1, 2, 3].map((t) => s.lrAt(t))).toEqual([2, 1, 0.5, 0.25]);
  });

  it("with decaySteps decays smoothly by gamma per decaySteps steps (Keras' ExponentialDecay)", () => {
    const s = exponentialDecay({ lr: 1, gamma: 0.25, decaySteps: 4 });
    close(s.lrAt(2), 0.5); // 0.25^(2/4)
    close(s.lrAt(4), 0.25);
    close(s.lrAt(6), 0.125);
  });

  it('with staircase changes only every decaySteps steps', () => {
    const s = exponentialDecay({ lr: 1, gamma: 0.5, decaySteps: 3, staircase: true });
    expect(Array.from({ length: 8 }, (_, t) => s.lrAt(t))).toEqual([1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25]);
  });
});

describe('inverseTimeDecay', () => {
  it('is lr / (1 + beta t)', () => {
    const s = inverseTimeDecay({ lr: 1, beta: 0.5 });
    expect([0, 1, 2, 6].map((t) => s.lrAt(t))).toEqual([1, 1 / 1.5, 0.5, 0.25]);
  });

  it('with decaySteps and staircase uses floor(t / decaySteps)', () => {
    const s = inverseTimeDecay({ lr: 1, beta: 1, decaySteps: 10, staircase: true });
    expect([0, 9, 10, 25].map((t) => s.lrAt(t))).toEqual([1, 1, 0.5, 1 / 3]);
  });
});

describe('naturalExpDecay', () => {
  it('is lr * exp(-beta t)', () => {
    const s = naturalExpDecay({ lr: 0.5, beta: 0.1 });
    close(s.lrAt(0), 0.5);
    close(s.lrAt(10), 0.5 / Math.E);
    close(s.lrAt(20), 0.5 / Math.E ** 2);
  });

  it('equals exponentialDecay with gamma = e^-beta', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 2, noNaN: true }), fc.integer({ min: 0, max: 200 }), (beta, t) => {
        const a = naturalExpDecay({ lr: 0.1, beta }).lrAt(t);
        const b = exponentialDecay({ lr: 0.1, gamma: Math.exp(-beta) }).lrAt(t);
        expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12);
      }),
    );
  });

  it('with staircase holds for decaySteps steps', () => {
    const s = naturalExpDecay({ lr: 1, beta: 1, decaySteps: 5, staircase: true });
    expect(s.lrAt(4)).toBe(1);
    close(s.lrAt(5), 1 / Math.E);
  });
});

describe('the decays', () => {
  it('never increase and stay positive', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 1, noNaN: true }), fc.integer({ min: 0, max: 500 }), (k, t) => {
        for (const s of [exponentialDecay({ lr: 1, gamma: 1 - k / 2 }), inverseTimeDecay({ lr: 1, beta: k }), naturalExpDecay({ lr: 1, beta: k })]) {
          expect(s.lrAt(t + 1)).toBeLessThanOrEqual(s.lrAt(t));
          expect(s.lrAt(t)).toBeGreaterThan(0);
        }
      }),
    );
  });
});
