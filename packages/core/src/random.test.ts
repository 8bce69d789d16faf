import { describe, expect, it } from 'vitest';
import { Xoshiro128 } from './index.js';

class Words extends Xoshiro128 {
  constructor(words: number[]) {
    super();
    this.setWords(words);
  }
  get state(): number[] {
    return Array.from(this.s);
  }
}

describe('Xoshiro128', () => {
  it('gives the reference xoshiro128** stream (state 1, 2, 3, 4)', () => {
    const g = new Words([1, 2, 3, 4]);
    expect(Array.from({ length: 6 }, () => g.nextUint32())).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });
  it('never holds the all-zero state, and takes words modulo 2^32', () => {
    expect(new Words([0, 0, 0, 0]).state).toEqual([1, 0, 0, 0]);
    expect(new Words([2 ** 32 + 5, -1, 0, 0]).state).toEqual([5, 2 ** 32 - 1, 0, 0]);
  });
  it('draws floats in [0, 1) from two words, 53 bits', () => {
    const a = new Words([1, 2, 3, 4]);
    const b = new Words([1, 2, 3, 4]);
    const x = a.nextFloat();
    expect(x).toBe(((b.nextUint32() >>> 5) * 2 ** 26 + (b.nextUint32() >>> 6)) / 2 ** 53);
    for (let i = 0; i < 1000; i++) {
      const u = a.nextFloat();
      expect(u >= 0 && u < 1).toBe(true);
    }
  });
});
