import { expect, it } from 'vitest';
import * as nn from '../index.js';
import './index.js';

// exp and sigmoid run a vector polynomial on wasm (assembly/elementwise.ts, expV), not the float64 libm.
it('exp and sigmoid on wasm stay within 3 float32 ulps of the float64 value over [-87, 88], with the edges exact', () => {
  const xs = Float32Array.from({ length: 20001 }, (_, i) => -87 + (175 * i) / 20000);
  const edges = Float32Array.from([-1000, -100, 89, 1000, -Infinity, Infinity, NaN, 0, -0]);
  nn.setBackend('wasm');
  let e: Float32Array, s: Float32Array, ee: Float32Array;
  try {
    e = nn.exp(nn.tensor(xs)).dataSync();
    s = nn.sigmoid(nn.tensor(xs)).dataSync();
    ee = nn.exp(nn.tensor(edges)).dataSync();
  } finally {
    nn.setBackend('cpu');
  }
  const ulp = (v: number) => Math.abs(Math.fround(v) - Math.fround(Math.fround(v) * (1 + 2 ** -23))) || 2 ** -149;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    const want = [Math.exp(x), 1 / (1 + Math.exp(-x))];
    [e[i], s[i]].forEach((got, k) => {
      if (!(Math.abs(got - want[k]) <= 3 * ulp(want[k]))) expect.fail(`${k ? 'sigmoid' : 'exp'}(${x}) = ${got}, want ${want[k]}`);
    });
  }
  expect(Array.from(ee)).toEqual([0, 0, Infinity, Infinity, 0, Infinity, NaN, 1, 1]);
});
