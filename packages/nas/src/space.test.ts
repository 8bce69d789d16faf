import { RNG } from '@nn/hpo';
import { tensor } from '@nn/tensor';
import { describe, expect, it } from 'vitest';
import { choice, cnnSpace, digitsMlpSpace, mlpSpace, repeat, searchSpace, skipConnection } from './index.js';

describe('searchSpace', () => {
  const space = searchSpace({ n: choice([1, 2, 3]), layers: repeat('n', { units: choice([8, 16]), skip: skipConnection() }), lr: choice(['a', 'b']) });

  it('makes the number of layer decisions depend on the layer count, and skips only to earlier outputs', () => {
    const rng = new RNG(3);
    for (let i = 0; i < 50; i++) {
      const a = space.sample(rng);
      const layers = a.layers as Array<Record<string, unknown>>;
      expect(layers).toHaveLength(a.n as number);
      layers.forEach((l, k) => {
        expect([8, 16]).toContain(l.units);
        expect([null, ...(k >= 1 ? ['input'] : []), ...Array.from({ length: Math.max(0, k - 1) }, (_, j) => j)]).toContain(l.skip);
      });
      expect(space.indices(a).length).toBe(2 + 2 * layers.length);
    }
  });

  it('enumerates every architecture once: by hand 2 + 2·4 + 2·4·2·6... = counted per layer count', () => {
    // n=1: units 2 × skip 1; n=2: (2)·(2·2); n=3: (2)·(2·2)·(2·3); times lr 2.
    const all = [...space.enumerate()];
    expect(all).toHaveLength((2 + 2 * 4 + 2 * 4 * 6) * 2);
    expect(new Set(all.map((a) => space.key(a))).size).toBe(all.length);
    expect([...digitsMlpSpace().enumerate()]).toHaveLength(420);
  });

  it('refuses architectures outside the space and malformed spaces, naming the decision', () => {
    expect(() => space.indices({ n: 1, layers: [{ units: 12, skip: null }], lr: 'a' })).toThrow('architecture.layers.0.units is 12; expected one of [8,16]');
    expect(() => space.indices({ n: 2, layers: [{ units: 8, skip: null }], lr: 'a' })).toThrow('architecture.layers.1.units is undefined');
    expect(() => space.indices({ n: 1, layers: [{ units: 8, skip: null }], lr: 'a', extra: 1 })).toThrow('unknown decisions: extra');
    expect(() => searchSpace({ layers: repeat('n', { u: choice([1]) }), n: choice([1]) })).toThrow('must be a choice declared before it');
    expect(() => choice([1, 1])).toThrow('values[1] (1) repeats values[0]');
    expect(() => searchSpace({ n: choice([1.5]), l: repeat('n', { u: choice([1]) }) })).toThrow('non-negative integers');
  });

  it('ready spaces build models that run: sequential without skips, functional with them', () => {
    const mlp = mlpSpace({ inputShape: [5], outputUnits: 3 });
    const rng = new RNG(1);
    let functional = 0;
    for (let i = 0; i < 12; i++) {
      const a = mlp.sample(rng);
      const m = mlp.build(a);
      if (m.constructor.name === 'Functional') functional++;
      expect(m.predict(tensor([[1, 2, 3, 4, 5], [0, 0, 0, 0, 1]])).shape).toEqual([2, 3]);
    }
    expect(functional).toBeGreaterThan(0);
    const seq = mlp.build({ numLayers: 2, layers: [{ units: 16, activation: 'relu', normalization: 'none', dropout: 0, skip: null }, { units: 32, activation: 'tanh', normalization: 'batch', dropout: 0.2, skip: null }] });
    expect(seq.constructor.name).toBe('Sequential');
    seq.predict(tensor([[1, 2, 3, 4, 5]]));
    expect(seq.countParams()).toBe(5 * 16 + 16 + 16 * 32 + 32 + 2 * 32 + 2 * 32 + 32 * 3 + 3);

    const cnn = cnnSpace({ inputShape: [6, 6, 1], outputUnits: 4 });
    const a = cnn.sample(new RNG(5));
    expect(cnn.build(a).predict(tensor(new Float32Array(2 * 36), [2, 6, 6, 1])).shape).toEqual([2, 4]);
    expect(() => mlpSpace({ inputShape: [8, 8], outputUnits: 2 })).toThrow('mlpSpace: inputShape must be [features]');
  });
});
