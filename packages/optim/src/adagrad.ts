import type { JsonObject } from '@nn/core';
import { Optimizer, type ClipOptions, type OptimizerSpec, type ParamState, type Params, type Resolved } from './optimizer.js';
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

/**
 * AdaGrad: G += g²;  w −= lr_t · g / (√G + eps), with lr_t = lr / (1 + (t−1)·lrDecay). Each coordinate's
 * step shrinks with the squared gradients it has seen: large for rare features, small for frequent ones.
 */
export function adagradUpdate(w: Float32Array, g: Float32Array, state: ParamState, hp: Resolved<AdagradHyper>): void {
  const step = ((state.step as number) += 1);
  const sum = state.sum as Float32Array;
  const { weightDecay: wd, eps, epsInsideSqrt } = hp;
  const clr = hp.lr / (1 + (step - 1) * hp.lrDecay);
  for (let i = 0, n = w.length; i < n; i++) {
    const d = wd === 0 ? g[i] : Math.fround(g[i] + wd * w[i]);
    const s = (sum[i] += d * d);
    w[i] -= (clr * d) / (epsInsideSqrt ? Math.sqrt(s + eps) : Math.sqrt(s) + eps);
  }
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

  protected initState(size: number, hp: Resolved<AdagradHyper>): ParamState {
    return { step: 0, sum: new Float32Array(size).fill(hp.initialAccumulatorValue) };
  }

  protected update(w: Float32Array, g: Float32Array, state: ParamState, hp: Resolved<AdagradHyper>): void {
    adagradUpdate(w, g, state, hp);
  }
}
