import { ErrorCode, NNError } from '@nn/core';
import { tensor, zeros } from '@nn/tensor';
import { describe, expect, it } from 'vitest';
import { Adadelta, Adagrad, Adam, AdamW, Adamax, NAdam, RMSprop, SGD } from './index.js';

const ALL = { SGD, Adagrad, RMSprop, Adadelta, Adam, AdamW, NAdam, Adamax } as const;
type Ctor = new (params?: unknown, options?: unknown) => unknown;

function invalid(fn: () => unknown, message: string | RegExp) {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(NNError);
  expect((error as NNError).code).toBe(ErrorCode.InvalidArgument);
  if (typeof message === 'string') expect((error as NNError).message).toBe(message);
  else expect((error as NNError).message).toMatch(message);
  return error as NNError;
}

describe('every optimizer validates lr, unknown names and eps', () => {
  for (const [name, Cls] of Object.entries(ALL) as [string, Ctor][]) {
    it(name, () => {
      invalid(() => new Cls([zeros([2])], { lr: -0.1 }), `${name}: lr must be a non-negative number or a schedule (an object with lrAt(step)), got -0.1`);
      invalid(() => new Cls([zeros([2])], { lr: '0.1' }), /lr must be a non-negative number or a schedule/);
      invalid(() => new Cls([zeros([2])], { lr: NaN }), /lr must be/);
      invalid(() => new Cls({ learningRate: 0.1 }), new RegExp(`^${name}: unknown option "learningRate"`));
      invalid(() => new Cls({ weight_decay: 0.1 }), /unknown option "weight_decay"; did you mean "weightDecay"\?/);
      invalid(() => new Cls({ weightDecay: -1 }), `${name}: weightDecay must be a non-negative number, got -1`);
      invalid(() => new Cls({ maximize: 1 }), `${name}: maximize must be true or false, got 1`);
      invalid(() => new Cls({ clipNorm: 0 }), `${name}: clipNorm must be a positive number, got 0`);
      invalid(() => new Cls({ clipValue: -1 }), `${name}: clipValue must be a positive number, got -1`);
      if (name !== 'SGD') invalid(() => new Cls({ eps: -1e-8 }), `${name}: eps must be a non-negative number, got -1e-8`);
      expect(() => new Cls({ lr: 0 })).not.toThrow();
      expect(() => new Cls()).not.toThrow();
    });
  }
});

describe('option-specific checks', () => {
  it('betas in [0, 1) for the Adam family, with the near miss for a typo', () => {
    for (const Cls of [Adam, AdamW, NAdam, Adamax] as Ctor[]) {
      invalid(() => new Cls({ betas: [0.9, 1] }), /betas\[1\] must be a number in \[0, 1\), got 1/);
      invalid(() => new Cls({ betas: [-0.1, 0.999] }), /betas\[0\] must be a number in \[0, 1\), got -0.1/);
      invalid(() => new Cls({ betas: 0.9 }), /betas must be a pair \[beta1, beta2\], got 0.9/);
      invalid(() => new Cls({ betas1: 0.9 }), /unknown option "betas1"; did you mean "betas"\?/);
    }
  });

  it('SGD: momentum, dampening, nesterov', () => {
    invalid(() => new SGD({ momentum: -0.9 }), 'SGD: momentum must be a non-negative number, got -0.9');
    invalid(() => new SGD({ dampening: 1.5 }), 'SGD: dampening must be a number in [0, 1], got 1.5');
    invalid(() => new SGD({ nesterov: true }), /SGD: nesterov needs momentum > 0 and dampening 0/);
    invalid(() => new SGD({ nesterov: true, momentum: 0.9, dampening: 0.1 }), /nesterov needs momentum > 0 and dampening 0/);
    invalid(() => new (SGD as Ctor)({ nestrov: true }), /unknown option "nestrov"; did you mean "nesterov"\?/);
  });

  it('RMSprop, Adadelta, Adagrad, NAdam', () => {
    invalid(() => new RMSprop({ alpha: 1.1 }), 'RMSprop: alpha must be a number in [0, 1], got 1.1');
    invalid(() => new RMSprop({ momentum: -1 }), 'RMSprop: momentum must be a non-negative number, got -1');
    invalid(() => new (RMSprop as Ctor)({ centered: 'yes' }), 'RMSprop: centered must be true or false, got "yes"');
    invalid(() => new Adadelta({ rho: 2 }), 'Adadelta: rho must be a number in [0, 1], got 2');
    invalid(() => new Adagrad({ lrDecay: -1 }), 'Adagrad: lrDecay must be a non-negative number, got -1');
    invalid(() => new Adagrad({ initialAccumulatorValue: -1 }), 'Adagrad: initialAccumulatorValue must be a non-negative number, got -1');
    invalid(() => new NAdam({ momentumDecay: -1 }), 'NAdam: momentumDecay must be a non-negative number, got -1');
    invalid(() => new (Adam as Ctor)({ amsgrad: 'true' }), 'Adam: amsgrad must be true or false, got "true"');
  });

  it('errors carry the optimizer and the option in details', () => {
    const e = invalid(() => new Adam({ lr: -1 }), /lr/);
    expect(e.details).toMatchObject({ optimizer: 'Adam', option: 'lr', value: -1 });
  });
});

describe('parameters and groups', () => {
  it('refuses non-tensors, an empty list, duplicates, a parameter in two groups', () => {
    invalid(() => new SGD([1, 2] as never), /SGD: parameters must be all tensors or all parameter groups/);
    invalid(() => new SGD([]), /SGD: got an empty parameter list; leave the parameters out/);
    const w = zeros([2]);
    invalid(() => new SGD([w, w]), /params\[1\] \(shape \[2\]\) appears twice in this group/);
    const opt = new SGD([w]);
    invalid(() => opt.addParamGroup({ params: [w] }), /params\[0\] \(shape \[2\]\) already belongs to another parameter group/);
    invalid(() => opt.addParamGroup({ params: [zeros([1])], lR: 0.1 } as never), /SGD.addParamGroup: unknown option "lR"; did you mean "lr"\?/);
    invalid(() => opt.addParamGroup({ params: [zeros([1])], lr: -2 }), /SGD: lr must be/);
    invalid(() => opt.addParamGroup({ lr: 0.1 } as never), /params is required/);
    invalid(() => opt.addParamGroup({ params: [tensor([1], [1], 'int32')] }), /only float32 tensors can be optimized/);
    invalid(() => new SGD([zeros([1])], { lr: 0.1 }).addParamGroup({ params: 3 as never }), /params must be a tensor or an array of tensors/);
    invalid(() => new (SGD as Ctor)({ lr: 0.1 }, { lr: 0.1 }), /the first argument must be the parameters/);
    invalid(() => new (SGD as Ctor)(3), /SGD: parameters must be an array of tensors or of parameter groups, got 3/);
    const single = zeros([2]);
    expect(new (SGD as Ctor)(single) as SGD).toMatchObject({ paramGroups: [{ params: [single] }] });
  });

  it('refuses a gradient whose shape differs from its parameter', () => {
    const w = zeros([2]);
    const opt = new SGD([w]);
    w.grad = tensor([1, 2, 3]);
    expect(() => opt.step()).toThrow(/gradient of shape \[3\] for a parameter of shape \[2\]/);
  });
});
