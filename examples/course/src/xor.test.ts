import { describe, expect, it } from 'vitest';
import { bestLinearAccuracy, handBuiltXor, linearAccuracy, trainHidden, trainLinear } from './xor.js';

describe('XOR needs a hidden layer', () => {
  it('no linear classifier gets more than 3 of the 4 points right', () => {
    expect(bestLinearAccuracy()).toBe(0.75);
    expect(bestLinearAccuracy(5, 0.25)).toBe(0.75);
    expect(linearAccuracy(1, 1, -0.5)).toBe(0.75); // OR: wrong only on (1, 1)
  });

  it('logistic regression trained to convergence sits at the coin toss: outputs 1/2, loss ln 2', async () => {
    const r = await trainLinear();
    expect(r.loss).toBeCloseTo(Math.LN2, 3);
    for (const o of r.outputs) expect(o).toBeCloseTo(0.5, 2);
    expect(r.accuracy).toBeLessThanOrEqual(0.75);
  });

  it("the course's hand-built relu network computes XOR exactly", () => {
    expect(handBuiltXor()).toEqual([0, 1, 1, 0]);
  });

  it('one trained hidden layer of 4 tanh units solves it', async () => {
    const r = await trainHidden();
    expect(r.accuracy).toBe(1);
    expect(r.loss).toBeLessThan(0.05);
  });
});
