import type { JsonObject } from '@nn/core';
import { add, assign, div, fullLike, mul, sqrt, square, sub, type FusedUpdateScalars, type Tensor } from '@nn/tensor';
import { Optimizer, applyRule, stateTensors, type ClipOptions, type OptimizerSpec, type ParamState, type Params, type Resolved, type StateTensors } from './optimizer.js';
import { bool, lr, nonNegative, type Lr } from './validate.js';

export interface AdagradHyper {
  lr: Lr;
  lrDecay: number;
  weightDecay: number;
  initialAccumulatorValue: number;
  eps: number;
  /** The course's form `g / sqrt(G + eps)` instead of PyTorch's `g / (sqrt(G) + eps)` (default false). */
  epsInsideSqrt: boolean;
  maximize: boolean;
}

export type AdagradOptions = Partial<AdagradHyper> & ClipOptions;

const spec: OptimizerSpec<AdagradHyper> = {
  name: 'adagrad',
  title: 'Adagrad',
  defaults: { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, epsInsideSqrt: false, maximize: false },
  checks: { lr, lrDecay: nonNegative, weightDecay: nonNegative, initialAccumulatorValue: nonNegative, eps: nonNegative, epsInsideSqrt: bool, maximize: bool },
  state: { step: 'number', sum: 'array' },
};

/** Adagrad's rule over tensors (the fused kernel's formula, Backend.fusedUpdate 'adagrad'). */
function adagradRule(w: Tensor, g: Tensor, st: StateTensors, k: FusedUpdateScalars): void {
  const d = k.weightDecay === 0 ? g : add(g, mul(w, k.weightDecay));
  assign(st.sum, add(st.sum, square(d)), { move: true });
  const denom = k.epsInsideSqrt ? sqrt(add(st.sum, k.eps)) : add(sqrt(st.sum), k.eps);
  assign(w, sub(w, div(mul(d, k.clr), denom)), { move: true });
}

/**
 * AdaGrad: G += g²;  w −= lr_t · g / (√G + eps), with lr_t = lr / (1 + (t−1)·lrDecay). Each coordinate's
 * step shrinks with the squared gradients it has seen: large for rare features, small for frequent ones.
 */
export function adagradUpdate(w: Tensor, g: Tensor, state: ParamState, hp: Resolved<AdagradHyper>): void {
  const step = ((state.step as number) += 1);
  const { weightDecay, eps, epsInsideSqrt } = hp;
  const clr = hp.lr / (1 + (step - 1) * hp.lrDecay);
  applyRule('adagrad', w, g, stateTensors(state), { clr, weightDecay, eps, epsInsideSqrt: +epsInsideSqrt }, adagradRule);
}

/** AdaGrad, PyTorch's `torch.optim.Adagrad` (lrDecay, weightDecay, initialAccumulatorValue, eps outside the root). */
export class Adagrad extends Optimizer<AdagradHyper> {
  constructor(params: Params<AdagradHyper>, options?: AdagradOptions);
  constructor(options?: AdagradOptions);
  constructor(paramsOrOptions?: Params<AdagradHyper> | AdagradOptions, options?: AdagradOptions) {
    super(spec, paramsOrOptions, options);
  }

  /** Rebuilds the optimizer from `getConfig()` output: the registry's entry point for JSON configs. */
  static fromConfig(config: JsonObject): Adagrad {
    return new Adagrad(config as AdagradOptions);
  }

  protected initState(param: Tensor, hp: Resolved<AdagradHyper>): ParamState {
    return { step: 0, sum: fullLike(param, hp.initialAccumulatorValue) };
  }

  protected update(w: Tensor, g: Tensor, state: ParamState, hp: Resolved<AdagradHyper>): void {
    adagradUpdate(w, g, state, hp);
  }
}
