import { registry, type Callback } from '@nn/core';
import { dense, sequential, type FitOptions, type Layer, type RegularizerLike, type ConstraintLike } from '@nn/layers';
import { describe, expectTypeOf, it } from 'vitest';
import {
  dropout, earlyStopping, l1, l1l2, l2, labelSmoothing, maxNorm, type ConstraintClass, type EarlyStopping, type L2, type MaxNorm, type RegularizerClass,
} from './index.js';

// Compile-time checks (tsc runs over test files too): the package's objects fit where user code puts them.
describe('types from user code', () => {
  it('fit the places layers and fit take them', () => {
    expectTypeOf(l2(0.01)).toMatchTypeOf<RegularizerLike>();
    expectTypeOf(l1l2({ l1: 0.01 })).toMatchTypeOf<RegularizerLike>();
    expectTypeOf(maxNorm(3, { axis: 0 })).toMatchTypeOf<ConstraintLike>();
    expectTypeOf(dropout(0.5)).toMatchTypeOf<Layer>();
    expectTypeOf(earlyStopping({ patience: 3 })).toMatchTypeOf<Callback>();
    // Never called: only its types matter here.
    const build = () => {
      const model = sequential([dense(4, { kernelRegularizer: l1(0.001), kernelConstraint: maxNorm(2) }), dropout(0.5), dense(1)]);
      model.compile({ optimizer: 'sgd', loss: labelSmoothing(0.1, 'binaryCrossentropy') });
      return model;
    };
    expectTypeOf(build).toBeFunction();
    const options: FitOptions = { callbacks: [earlyStopping({ restoreBestWeights: true })] };
    expectTypeOf(options.callbacks).toEqualTypeOf<(Callback | string)[] | undefined>();
  });

  it('type the regularizer and constraint kinds of the registry', () => {
    expectTypeOf(registry.get('regularizer', 'l2')).toEqualTypeOf<RegularizerClass>();
    expectTypeOf(registry.get('constraint', 'maxNorm')).toEqualTypeOf<ConstraintClass>();
    expectTypeOf(l2()).toEqualTypeOf<L2>();
    expectTypeOf(maxNorm()).toEqualTypeOf<MaxNorm>();
    expectTypeOf(earlyStopping().stoppedEpoch).toBeNumber();
    expectTypeOf<EarlyStopping['bestEpoch']>().toBeNumber();
    const misuse = () => {
      // @ts-expect-error l2 takes a number, not options
      l2({ l2: 0.1 });
      // @ts-expect-error mode is 'auto' | 'min' | 'max'
      earlyStopping({ mode: 'maximize' });
    };
    expectTypeOf(misuse).toBeFunction();
  });
});
