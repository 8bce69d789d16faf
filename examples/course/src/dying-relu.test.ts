import { describe, expect, it } from 'vitest';
import { dyingRelu } from './dying-relu.js';

describe('the dying ReLU', () => {
  it('a quarter of the first layer is dead at init on non-negative inputs; a too-high lr kills most of the rest', async () => {
    const r = await dyingRelu();
    expect(r.deadAtInit).toBe(16); // both weights negative: probability 1/4 of 64 units
    expect(r.deadAfter).toBeGreaterThan(40); // 53 of 64 with seed 0
    expect(r.accuracy).toBeLessThan(0.6); // the net is left near chance
  });

  it('a dead unit gets exactly zero gradient: its weights never move again', async () => {
    const r = await dyingRelu();
    expect(r.frozen).toBe(r.deadAfter);
  });

  it('at a sane lr the dead count stays where init left it', async () => {
    const r = await dyingRelu({ lr: 0.1 });
    expect(r.deadAfter).toBe(r.deadAtInit);
  });

  it("leaky ReLU's negative slope keeps every unit learning", async () => {
    const r = await dyingRelu({ activation: 'leakyRelu' });
    expect(r.deadAfter).toBeGreaterThan(0); // all its pre-activations are negative…
    expect(r.frozen).toBe(0); // …but the slope 0.01 still moves the weights
  });
});
