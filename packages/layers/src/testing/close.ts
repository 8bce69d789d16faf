import { expect } from 'vitest';
import type { Tensor } from '@nn/tensor';

type Nested = number | Nested[];

const flat = (v: Nested | Tensor | Float32Array): number[] =>
  typeof v === 'number' ? [v] : v instanceof Float32Array ? Array.from(v) : Array.isArray(v) ? v.flatMap((e) => flat(e)) : Array.from((v as Tensor).dataSync());

/** Every value within `tol` of the reference, absolutely or relatively (whichever is looser). */
export function expectClose(actual: Nested | Tensor | Float32Array, expected: Nested, tol = 1e-5, what = ''): void {
  const a = flat(actual);
  const e = flat(expected);
  expect(a.length, `${what}: length`).toBe(e.length);
  for (let i = 0; i < e.length; i++) {
    const err = Math.abs(a[i] - e[i]);
    if (err > tol * Math.max(1, Math.abs(e[i]))) expect.fail(`${what}[${i}]: got ${a[i]}, expected ${e[i]} (error ${err})`);
  }
}
