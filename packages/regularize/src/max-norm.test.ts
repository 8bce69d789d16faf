import { deserialize, registry, serialize } from '@nn/core';
import { tensor } from '@nn/tensor';
import { describe, expect, it } from 'vitest';
import { MaxNorm, maxNorm } from './index.js';

// A dense kernel [in=3, out=2]: column 0 has norm 5, column 1 norm 1.
const kernel = () =>
  tensor([
    [3, 0.6],
    [4, 0.8],
    [0, 0],
  ]);

const close = (got: ArrayLike<number>, want: number[], digits = 6) => {
  expect(got.length).toBe(want.length);
  want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, digits));
};

describe('maxNorm', () => {
  it('caps each column (the input axis of a dense kernel) at the max norm, in place', () => {
    const w = kernel();
    const before = w;
    maxNorm(2).apply(w);
    expect(w).toBe(before);
    // column 0: 2/5 of itself; column 1 (norm 1 <= 2) keeps its values up to Keras' 1e-7 epsilon.
    close(w.dataSync(), [1.2, 0.6, 1.6, 0.8, 0, 0]);
    const colNorm = (j: number) => Math.hypot(...[0, 1, 2].map((i) => w.dataSync()[i * 2 + j]));
    expect(colNorm(0)).toBeCloseTo(2, 6);
    expect(colNorm(1)).toBeCloseTo(1, 6);
  });

  it("uses Keras' formula w * clip(n, 0, max) / (eps + n)", () => {
    const w = tensor([[1], [0]]);
    new MaxNorm(5).apply(w);
    expect(w.dataSync()[0]).toBe(Math.fround(1 / (1 + 1e-7)));
    const zero = tensor([[0, 0]]);
    maxNorm(1).apply(zero);
    expect(Array.from(zero.dataSync())).toEqual([0, 0]);
  });

  it('axis 1 caps rows; negative axes count from the end; several axes cap the whole tensor', () => {
    const rows = kernel();
    maxNorm(1, { axis: 1 }).apply(rows);
    // row norms: hypot(3, .6) = 3.0594, hypot(4, .8) = 4.0792, 0
    const r0 = Math.hypot(3, 0.6);
    const r1 = Math.hypot(4, 0.8);
    close(rows.dataSync(), [3 / r0, 0.6 / r0, 4 / r1, 0.8 / r1, 0, 0]);
    const neg = kernel();
    maxNorm(1, { axis: -1 }).apply(neg);
    close(neg.dataSync(), Array.from(rows.dataSync()));
    const all = kernel();
    maxNorm(1, { axis: [0, 1] }).apply(all);
    const n = Math.hypot(3, 4, 0.6, 0.8);
    close(all.dataSync(), [3 / n, 0.6 / n, 4 / n, 0.8 / n, 0, 0]);
  });

  it('works on rank-1 (bias) and rank-3 weights', () => {
    const b = tensor([6, 8]);
    maxNorm(5).apply(b);
    close(b.dataSync(), [3, 4]);
    // [2, 2, 2]: axis 1 → norms over pairs (x[i,0,k], x[i,1,k])
    const w = tensor([
      [
        [3, 1],
        [4, 0],
      ],
      [
        [0, 0.3],
        [0, 0.4],
      ],
    ]);
    maxNorm(1, { axis: 1 }).apply(w);
    close(w.dataSync(), [3 / 5, 1, 4 / 5, 0, 0, 0.3, 0, 0.4]);
  });

  it('defaults to Keras: value 2, axis 0; registered as "maxNorm" (and "max_norm")', () => {
    expect(new MaxNorm().getConfig()).toEqual({ maxValue: 2, axis: 0 });
    expect(registry.get('constraint', 'maxNorm')).toBe(MaxNorm);
    expect(registry.get('constraint', 'max_norm')).toBe(MaxNorm);
    expect(registry.get('constraint', 'maxNorm').fromConfig({}).getConfig()).toEqual({ maxValue: 2, axis: 0 });
  });

  it('round-trips through JSON', () => {
    const c = maxNorm(3, { axis: [0, -1] });
    const json = JSON.parse(JSON.stringify(serialize(c)));
    expect(json).toEqual({ kind: 'constraint', name: 'maxNorm', config: { maxValue: 3, axis: [0, -1] }, format: 1 });
    const back = deserialize<MaxNorm>(json);
    expect(back).toBeInstanceOf(MaxNorm);
    expect(back.getConfig()).toEqual(c.getConfig());
  });

  it('refuses bad values and axes', () => {
    expect(() => maxNorm(-1)).toThrow(/maxNorm: value must be a non-negative number, got -1/);
    expect(() => maxNorm(1, { axis: 0.5 })).toThrow(/axis must be an integer/);
    expect(() => maxNorm(1, { axis: 2 }).apply(kernel())).toThrow(/axis 2 is out of range for a weight of shape \[3,2\]/);
    expect(() => maxNorm(1, { axes: 0 } as never)).toThrow(/maxNorm: unknown option "axes"; did you mean "axis"\?/);
    expect(() => MaxNorm.fromConfig({ max_value: 3 })).toThrow(/unknown option "max_value"; did you mean "maxValue"\?/);
  });
});
