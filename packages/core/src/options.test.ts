import { describe, expect, it } from 'vitest';
import {
  ErrorCode,
  NNError,
  bool,
  checkOptions,
  finite,
  inRange,
  integerAtLeast,
  invalidArgument,
  nonNegative,
  nonNegativeInteger,
  oneOfChoices,
  optionError,
  positive,
  positiveInteger,
  probability,
  showValue,
} from './index.js';

/** The error `fn` throws: an INVALID_ARGUMENT NNError with exactly `message`. */
function thrown(fn: () => unknown, message: string): NNError {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(NNError);
  expect((error as NNError).code).toBe(ErrorCode.InvalidArgument);
  expect((error as NNError).message).toBe(message);
  return error as NNError;
}

describe('showValue', () => {
  it('shows values briefly and never throws', () => {
    expect(showValue('a')).toBe('"a"');
    expect(showValue(3)).toBe('3');
    expect(showValue(undefined)).toBe('undefined');
    expect(showValue(null)).toBe('null');
    expect(showValue([1, 'b'])).toBe('[1, "b"]');
    expect(showValue({ lr: 0.1 })).toBe('{"lr":0.1}');
    expect(showValue(new Map())).toBe('a Map');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(showValue(circular)).toBe('an object');
    expect(showValue(Array.from({ length: 50 }, (_, i) => i))).toMatch(/^\[0, 1, .{60,}\.\.\.$/);
    expect(showValue(Array.from({ length: 50 }, (_, i) => i)).length).toBe(80);
  });
});

describe('invalidArgument and optionError', () => {
  it('name where, the option and the value', () => {
    const e = invalidArgument('f', 'went wrong', { option: 'x' });
    expect(e.message).toBe('f: went wrong');
    expect(e.details).toEqual({ where: 'f', option: 'x' });
    const o = optionError('f', 'x', 'must be odd', 2);
    expect(o.message).toBe('f: x must be odd, got 2');
    expect(o.details).toEqual({ where: 'f', option: 'x', value: 2 });
  });
});

describe('checkOptions', () => {
  const known = ['lr', 'gamma', 'weightDecay'];
  it('passes known names through and reads undefined as no options', () => {
    const o = { lr: 1 };
    expect(checkOptions('f', o, known)).toBe(o);
    expect(checkOptions('f', undefined, known)).toEqual({});
    expect(checkOptions('f', Object.create(null) as object, known)).toEqual({});
  });
  it('refuses an unknown name, with its near misses and the known names', () => {
    const e = thrown(() => checkOptions('f', { gama: 1 }, known), 'f: unknown option "gama"; did you mean "gamma"? (options: lr, gamma, weightDecay)');
    expect(e.details).toEqual({ where: 'f', option: 'gama', nearMisses: ['gamma'] });
    thrown(() => checkOptions('f', { momentum: 1 }, known), 'f: unknown option "momentum" (options: lr, gamma, weightDecay)');
    thrown(() => checkOptions('f', { ab: 1 }, ['aa', 'bb']), 'f: unknown option "ab"; did you mean "aa" or "bb"? (options: aa, bb)');
    thrown(() => checkOptions('f', { x: 1 }, []), 'f: unknown option "x" (it takes no options)');
  });
  it('points a snake_case name to its camelCase form', () => {
    const e = thrown(() => checkOptions('f', { weight_decay: 1 }, known), 'f: unknown option "weight_decay"; did you mean "weightDecay"? (options: lr, gamma, weightDecay)');
    expect(e.details.nearMisses).toEqual(['weightDecay']);
  });
  it('refuses what is not a plain object', () => {
    thrown(() => checkOptions('f', 3, known), 'f: expected an object of options { lr, gamma, weightDecay }, got 3');
    thrown(() => checkOptions('f', null, known), 'f: expected an object of options { lr, gamma, weightDecay }, got null');
    thrown(() => checkOptions('f', [1], known), 'f: expected an object of options { lr, gamma, weightDecay }, got [1]');
    const e = thrown(() => checkOptions('f', new Map([['lr', 1]]), known), 'f: expected an object of options { lr, gamma, weightDecay }, got a Map');
    expect(e.details.where).toBe('f');
  });
  it('checks required names, and names them with the noun given', () => {
    thrown(() => checkOptions('f', { gamma: 1 }, known, { required: ['lr'] }), 'f: option lr is required');
    const e = thrown(() => checkOptions('f', undefined, known, { required: ['lr'] }), 'f: option lr is required');
    expect(e.details).toEqual({ where: 'f', option: 'lr' });
    thrown(() => checkOptions('load', { lr: 1, bset: 2 }, ['lr', 'best'], { noun: 'field' }), 'load: unknown field "bset"; did you mean "best"? (fields: lr, best)');
    thrown(() => checkOptions('load', 3, ['lr'], { noun: 'field' }), 'load: expected an object of fields { lr }, got 3');
    thrown(() => checkOptions('load', {}, ['lr'], { noun: 'field', required: ['lr'] }), 'load: field lr is required');
  });
  it('lets an unknown name with an undefined value through only when asked', () => {
    thrown(() => checkOptions('f', { other: undefined }, known), 'f: unknown option "other" (options: lr, gamma, weightDecay)');
    expect(checkOptions('f', { other: undefined }, known, { ignoreUndefined: true })).toEqual({ other: undefined });
    thrown(() => checkOptions('f', { other: 1 }, known, { ignoreUndefined: true }), 'f: unknown option "other" (options: lr, gamma, weightDecay)');
  });
});

describe('validators', () => {
  it('return the value when it is valid', () => {
    expect(finite('f', 'x', -2.5)).toBe(-2.5);
    expect(nonNegative('f', 'x', 0)).toBe(0);
    expect(positive('f', 'x', 1e-9)).toBe(1e-9);
    expect(positiveInteger('f', 'x', 1)).toBe(1);
    expect(nonNegativeInteger('f', 'x', 0)).toBe(0);
    expect(integerAtLeast('f', 'x', 2, 2)).toBe(2);
    expect(inRange('f', 'x', 1, 0, 1)).toBe(1);
    expect(probability('f', 'x', 0)).toBe(0);
    expect(bool('f', 'x', false)).toBe(false);
    expect(oneOfChoices('f', 'mode', 'min', ['min', 'max'] as const)).toBe('min');
  });
  it('name where, the option and the value when it is not', () => {
    const e = thrown(() => nonNegative('Adam', 'lr', -1), 'Adam: lr must be a non-negative number, got -1');
    expect(e.details).toEqual({ where: 'Adam', option: 'lr', value: -1 });
    thrown(() => finite('f', 'x', Number.NaN), 'f: x must be a finite number, got NaN');
    thrown(() => finite('f', 'x', '1'), 'f: x must be a finite number, got "1"');
    thrown(() => nonNegative('f', 'x', Infinity), 'f: x must be a non-negative number, got Infinity');
    thrown(() => positive('f', 'x', 0), 'f: x must be a positive number, got 0');
    thrown(() => positiveInteger('f', 'x', 1.5), 'f: x must be a positive integer, got 1.5');
    thrown(() => positiveInteger('f', 'x', 0), 'f: x must be a positive integer, got 0');
    thrown(() => nonNegativeInteger('f', 'x', -1), 'f: x must be a non-negative integer, got -1');
    thrown(() => integerAtLeast('f', 'x', 1, 2), 'f: x must be an integer >= 2, got 1');
    thrown(() => inRange('f', 'x', 1.5, 0, 1), 'f: x must be a number in [0, 1], got 1.5');
    thrown(() => inRange('f', 'x', 0, 0, 1, true), 'f: x must be a number in (0, 1], got 0');
    thrown(() => inRange('f', 'x', 1, 0, 1, false, true), 'f: x must be a number in [0, 1), got 1');
    thrown(() => probability('f', 'p', 2), 'f: p must be a probability in [0, 1], got 2');
    thrown(() => bool('f', 'x', 1), 'f: x must be true or false, got 1');
  });
  it('oneOfChoices suggests a near miss', () => {
    const e = thrown(() => oneOfChoices('f', 'mode', 'mni', ['min', 'max'] as const), 'f: unknown mode "mni"; did you mean "min"? (expected "min", "max")');
    expect(e.details).toEqual({ where: 'f', option: 'mode', value: 'mni', nearMisses: ['min'] });
    thrown(() => oneOfChoices('f', 'mode', 3, ['min', 'max'] as const), 'f: unknown mode 3 (expected "min", "max")');
  });
});
