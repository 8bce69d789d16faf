import { describe, expect, it } from 'vitest';
import { editDistance, nearMisses } from './index.js';

describe('near misses', () => {
  it('computes edit distance case-insensitively', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('ReLU', 'relu')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('rleu', 'relu')).toBe(1);
  });
  it('suggests only plausible typos, best first', () => {
    expect(nearMisses('rlu', ['relu', 'elu', 'sigmoid', 'tanh'])).toEqual(['elu', 'relu']);
    expect(nearMisses('adamw', ['adam', 'sgd'])).toEqual(['adam']);
    expect(nearMisses('qqqq', ['relu'])).toEqual([]);
  });
});
