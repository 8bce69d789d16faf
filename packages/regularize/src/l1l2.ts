import { ErrorCode, NNError, nonNegative, registry, type JsonObject } from '@nn/core';
import { abs, add, mul, square, sum, type Tensor } from '@nn/tensor';
import { optionsObject, type Regularizer } from './kinds.js';

/** Keras' default coefficient, used when a regularizer is named by string (`kernelRegularizer: 'l2'`). */
export const DEFAULT_FACTOR = 0.01;

/**
 * `l1 * sum(|W|) + l2 * sum(W^2)`, Keras' L1L2. Note the L2 term has no 1/2: its gradient is `2 * l2 * W`,
 * so `l2(lambda / 2)` is what matches SGD's (coupled) `weightDecay: lambda`.
 */
export class L1L2 implements Regularizer {
  readonly l1: number;
  readonly l2: number;

  constructor({ l1 = DEFAULT_FACTOR, l2 = DEFAULT_FACTOR }: { l1?: number; l2?: number } = {}) {
    this.l1 = nonNegative('l1l2', 'l1', l1);
    this.l2 = nonNegative('l1l2', 'l2', l2);
  }

  static fromConfig(config: JsonObject): L1L2 {
    optionsObject('l1l2 config', config, ['l1', 'l2']);
    return new L1L2(config as { l1?: number; l2?: number });
  }

  penalty(weight: Tensor): Tensor {
    // Both terms always present so the result is a scalar tensor on the weight's graph even when a factor is 0.
    return add(mul(sum(abs(weight)), this.l1), mul(sum(square(weight)), this.l2));
  }

  getConfig(): { l1: number; l2: number } {
    return { l1: this.l1, l2: this.l2 };
  }
}

/** `l1 * sum(|W|)`: pushes weights to exactly zero (sparse models). */
export class L1 implements Regularizer {
  readonly l1: number;

  constructor(l1: number = DEFAULT_FACTOR) {
    this.l1 = nonNegative('l1', 'lambda', l1);
  }

  static fromConfig(config: JsonObject): L1 {
    optionsObject('l1 config', config, ['l1']);
    return new L1((config.l1 as number | undefined) ?? DEFAULT_FACTOR);
  }

  penalty(weight: Tensor): Tensor {
    return mul(sum(abs(weight)), this.l1);
  }

  getConfig(): { l1: number } {
    return { l1: this.l1 };
  }
}

/** `l2 * sum(W^2)` (Keras' L2, no 1/2), gradient `2 * l2 * W`. */
export class L2 implements Regularizer {
  readonly l2: number;

  constructor(l2: number = DEFAULT_FACTOR) {
    this.l2 = nonNegative('l2', 'lambda', l2);
  }

  static fromConfig(config: JsonObject): L2 {
    optionsObject('l2 config', config, ['l2']);
    return new L2((config.l2 as number | undefined) ?? DEFAULT_FACTOR);
  }

  penalty(weight: Tensor): Tensor {
    return mul(sum(square(weight)), this.l2);
  }

  getConfig(): { l2: number } {
    return { l2: this.l2 };
  }
}

function factor(what: string, lambda: unknown): number | undefined {
  if (lambda === undefined) return undefined;
  if (typeof lambda === 'object' && lambda !== null) {
    throw new NNError(ErrorCode.InvalidArgument, `${what}(lambda): takes a number (e.g. ${what}(0.01)), got an object; for both penalties use l1l2({ l1, l2 })`);
  }
  return nonNegative(what, 'lambda', lambda);
}

/** An L1 penalty `lambda * sum(|W|)` (Keras' `l1`, default 0.01). */
export const l1 = (lambda?: number): L1 => new L1(factor('l1', lambda));
/** An L2 penalty `lambda * sum(W^2)` (Keras' `l2`, default 0.01). */
export const l2 = (lambda?: number): L2 => new L2(factor('l2', lambda));
/** Both penalties; a coefficient left out is 0.01, as Keras' `l1_l2()`. */
export const l1l2 = (options?: { l1?: number; l2?: number }): L1L2 => new L1L2(optionsObject('l1l2', options, ['l1', 'l2']));

registry.register('regularizer', 'l1', L1);
registry.register('regularizer', 'l2', L2);
registry.register('regularizer', 'l1l2', L1L2);
// Keras' spelling, so `kernelRegularizer: 'l1_l2'` from a Keras tutorial works as written.
registry.register('regularizer', 'l1_l2', L1L2);
