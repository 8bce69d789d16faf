import { NNError } from '@nn/core';
import { describe, expect, it } from 'vitest';
import * as nn from './index.js';

/** What a hostile or careless caller passes must come back as a named NNError, never a raw RangeError/TypeError. */
const named = (fn: () => unknown, code: string, message: RegExp): void => {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(NNError);
  expect((caught as NNError).code).toBe(code);
  expect((caught as NNError).message).toMatch(message);
};

describe('raw errors become named ones', () => {
  it('refuses a tensor too large to hold before allocating it', () => {
    const small = nn.zeros([2]);
    const before = nn.memory().buffers;
    named(() => nn.zeros([1e6, 1e6]), 'SIZE_LIMIT', /^full: shape \[1000000,1000000\] has 1\.000e\+12 elements, more than the 2147483647/);
    named(() => nn.rand([1e5, 1e5]), 'SIZE_LIMIT', /shape \[100000,100000\]/);
    named(() => nn.reshape(small, [2 ** 31, 1]), 'SIZE_LIMIT', /^reshape/);
    expect(nn.memory().buffers).toBe(before);
  });

  it('names the op and the argument for operands that are not tensors', () => {
    const x = nn.ones([2, 2]);
    named(() => nn.matmul('a' as unknown as nn.Tensor, x), 'INVALID_ARGUMENT', /^matmul: a must be a Tensor, got string "a"$/);
    named(() => nn.matmul(x, [[1]] as unknown as nn.Tensor), 'INVALID_ARGUMENT', /^matmul: b must be a Tensor, got an array/);
    named(() => nn.softmax(null as unknown as nn.Tensor), 'INVALID_ARGUMENT', /^softmax: x must be a Tensor, got null$/);
    named(() => nn.logSoftmax(undefined as unknown as nn.Tensor), 'INVALID_ARGUMENT', /^logSoftmax: x must be a Tensor, got undefined/);
    named(() => nn.sum({} as unknown as nn.Tensor), 'INVALID_ARGUMENT', /^sum: x must be a Tensor, got an object$/);
    named(() => nn.argmax(3 as unknown as nn.Tensor), 'INVALID_ARGUMENT', /^argmax: x must be a Tensor, got number 3/);
    named(() => nn.reshape(null as unknown as nn.Tensor, [1]), 'INVALID_ARGUMENT', /^reshape: x must be a Tensor/);
    named(() => nn.concat([x, 'b' as unknown as nn.Tensor]), 'INVALID_ARGUMENT', /^concat: xs\[1\] must be a Tensor/);
    named(() => nn.zeros(null as unknown as number[]), 'INVALID_ARGUMENT', /^full: expected a shape/);
  });
});
