import { describe, expect, it } from 'vitest';
import type { BinaryOp } from '../backend.js';
import { binary } from './elementwise.js';

const OPS: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual'];

describe('cpu binary with a one-element operand (the flat loop)', () => {
  it('equals the strided walk over the same operand written out in full, for every op and scalar shape', () => {
    const a = Float32Array.from([1.5, -2, 0, 3, NaN, -0.25]);
    for (const v of [0.5, -1, 0, NaN]) {
      const full = new Float32Array(6).fill(v);
      for (const op of OPS) {
        const want = binary(op, a, [2, 3], full, [2, 3], [2, 3]);
        for (const shape of [[], [1], [1, 1]]) expect(binary(op, a, [2, 3], Float32Array.of(v), shape, [2, 3]), `${op} ${v} ${JSON.stringify(shape)}`).toEqual(want);
      }
    }
  });

  it('broadcasts a one-element a over b as before (only b takes the flat loop)', () => {
    expect(Array.from(binary('sub', Float32Array.of(1), [], Float32Array.from([1, 2, 3]), [3], [3]))).toEqual([0, -1, -2]);
    // a [1, 3] and a one-element b of rank 3: the output has a's elements in a's order.
    expect(Array.from(binary('div', Float32Array.from([2, 4, 8]), [1, 3], Float32Array.of(2), [1, 1, 1], [1, 1, 3]))).toEqual([1, 2, 4]);
  });
});
