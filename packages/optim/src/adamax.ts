import type { JsonObject } from '@nn/core';
import { abs, add, assign, div, fullLike, maximum, mul, sub, type FusedUpdateScalars, type Tensor } from '@nn/tensor';
import { Optimizer, applyRule, stateTensors, type ClipOptions, type OptimizerSpec, type ParamState, type Params, type Resolved, type StateTensors } from './optimizer.js';
import { betas, bool, lr, nonNegative, type Lr } from './validate.js';

export interface AdamaxHyper {
  lr: Lr;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

export type AdamaxOptions = Partial<AdamaxHyper> & ClipOptions;

const spec: OptimizerSpec<AdamaxHyper> = {
  name: 'adamax',
  title: 'Adamax',
  defaults: { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false },
  checks: { lr, betas, eps: nonNegative, weightDecay: nonNegative, maximize: bool },
  momentum: 'beta1',
  state: { step: 'number', expAvg: 'array', expInf: 'array' },
};

/** Adamax's rule over tensors (the fused kernel's formula, Backend.fusedUpdate 'adamax'). */
function adamaxRule(w: Tensor, g: Tensor, st: StateTensors, k: FusedUpdateScalars): void {
  const { clr, beta1, beta2, eps, weightDecay: wd } = k;
  const d = wd === 0 ? g : add(g, mul(w, wd));
  assign(st.expAvg, add(mul(st.expAvg, beta1), mul(d, 1 - beta1)), { move: true });
  assign(st.expInf, maximum(mul(st.expInf, beta2), add(abs(d), eps)), { move: true });
  assign(w, sub(w, div(mul(st.expAvg, clr), st.expInf)), { move: true });
}

/** Adamax: Adam with the infinity norm: u = max(β2·u, |g| + eps);  w −= lr/(1−β1ᵗ) · m/u. */
export function adamaxUpdate(w: Tensor, g: Tensor, st: ParamState, hp: Resolved<AdamaxHyper>): void {
  const step = ((st.step as number) += 1);
  const [beta1, beta2] = hp.betas;
  const clr = hp.lr / (1 - beta1 ** step);
  applyRule('adamax', w, g, stateTensors(st), { clr, beta1, beta2, eps: hp.eps, weightDecay: hp.weightDecay }, adamaxRule);
}

/** Adamax, PyTorch's `torch.optim.Adamax`. */
export class Adamax extends Optimizer<AdamaxHyper> {
  constructor(params: Params<AdamaxHyper>, options?: AdamaxOptions);
  constructor(options?: AdamaxOptions);
  constructor(paramsOrOptions?: Params<AdamaxHyper> | AdamaxOptions, options?: AdamaxOptions) {
    super(spec, paramsOrOptions, options);
  }

  /** Rebuilds the optimizer from `getConfig()` output: the registry's entry point for JSON configs. */
  static fromConfig(config: JsonObject): Adamax {
    return new Adamax(config as AdamaxOptions);
  }

  protected initState(param: Tensor): ParamState {
    return { step: 0, expAvg: fullLike(param, 0), expInf: fullLike(param, 0) };
  }

  protected update(w: Tensor, g: Tensor, st: ParamState, hp: Resolved<AdamaxHyper>): void {
    adamaxUpdate(w, g, st, hp);
  }
}
