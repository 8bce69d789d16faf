import { describe, expect, it } from 'vitest';
import { choleskyWithJitter, inverseFromCholesky, solveLower, solveUpperT } from './linalg.js';

describe('linalg', () => {
  // A = [[4, 2, 2], [2, 5, 3], [2, 3, 6]] = L Lᵀ with L = [[2, 0, 0], [1, 2, 0], [1, 1, 2]].
  const A = Float64Array.from([4, 2, 2, 2, 5, 3, 2, 3, 6]);

  it('factors a small SPD matrix exactly', () => {
    const { L, jitter } = choleskyWithJitter(A, 3);
    expect(jitter).toBe(0);
    expect(Array.from(L)).toEqual([2, 0, 0, 1, 2, 0, 1, 1, 2]);
  });

  it('solves and inverts through the factor', () => {
    const { L } = choleskyWithJitter(A, 3);
    const b = Float64Array.from([1, 2, 3]);
    const x = solveUpperT(L, 3, solveLower(L, 3, b));
    for (let i = 0; i < 3; i++) expect(A[i * 3] * x[0] + A[i * 3 + 1] * x[1] + A[i * 3 + 2] * x[2]).toBeCloseTo(b[i], 14);
    const inv = inverseFromCholesky(L, 3);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += A[i * 3 + k] * inv[k * 3 + j];
        expect(s).toBeCloseTo(i === j ? 1 : 0, 14);
      }
    }
  });

  it('adds jitter to a singular matrix (duplicate points) instead of failing', () => {
    const singular = Float64Array.from([1, 1, 1, 1]);
    const { L, jitter } = choleskyWithJitter(singular, 2);
    expect(jitter).toBeGreaterThan(0);
    expect(jitter).toBeLessThan(1e-3);
    expect(L.every(Number.isFinite)).toBe(true);
  });
});
