import type { JsonObject } from '@nn/core';
import { add, assign, div, fullLike, mul, sqrt, square, type FusedUpdateScalars, type Tensor } from '@nn/tensor';
import { Optimizer, applyRule, stateTensors, type ClipOptions, type OptimizerSpec, type ParamState, type Params, type Resolved, type StateTensors } from './optimizer.js';
import { betas, bool, lr, nonNegative, type Lr } from './validate.js';

export interface NAdamHyper {
  lr: Lr;
  betas: [number, number];
  eps: number;
  /** The course's form `√(v̂ + eps)` in the denominator instead of PyTorch's `√v̂ + eps` (default false). */
  epsInsideSqrt: boolean;
  weightDecay: number;
  /** Warms the momentum schedule up: μ_t = β1·(1 − ½·0.96^(t·momentumDecay)). */
  momentumDecay: number;
  /** Decay weights as AdamW does (w ·= 1 − lr·wd) instead of adding wd·w to the gradient (PyTorch ≥ 2.1's option). */
  decoupledWeightDecay: boolean;
  /**
   * Reproduce PyTorch ≤ 1.13, which multiplied μ_t into the product twice in the second term's
   * denominator (1 − Πμ·μ_t·μ_{t+1}); fixed in PyTorch 2.0. Default false (the paper's and today's form).
   */
  legacyMuProduct: boolean;
  maximize: boolean;
}

export type NAdamOptions = Partial<NAdamHyper> & ClipOptions;

const spec: OptimizerSpec<NAdamHyper> = {
  name: 'nadam',
  title: 'NAdam',
  defaults: { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, epsInsideSqrt: false, weightDecay: 0, momentumDecay: 4e-3, decoupledWeightDecay: false, legacyMuProduct: false, maximize: false },
  checks: { lr, betas, eps: nonNegative, epsInsideSqrt: bool, weightDecay: nonNegative, momentumDecay: nonNegative, decoupledWeightDecay: bool, legacyMuProduct: bool, maximize: bool },
  momentum: 'beta1',
  state: { step: 'number', muProduct: 'number', expAvg: 'array', expAvgSq: 'array' },
};

/** NAdam's rule over tensors (the fused kernel's formula, Backend.fusedUpdate 'nadam'). */
function nadamRule(w: Tensor, g: Tensor, st: StateTensors, k: FusedUpdateScalars): void {
  const { beta1, beta2, sg, sm, e, weightDecay: wd, shrink } = k;
  const wi = shrink === 1 ? w : mul(w, shrink);
  const d = wd === 0 ? g : add(g, mul(wi, wd));
  assign(st.expAvg, add(mul(st.expAvg, beta1), mul(d, 1 - beta1)), { move: true });
  assign(st.expAvgSq, add(mul(st.expAvgSq, beta2), mul(square(d), 1 - beta2)), { move: true });
  const denom = k.epsInsideSqrt ? sqrt(add(st.expAvgSq, e)) : add(sqrt(st.expAvgSq), e);
  assign(w, add(wi, div(add(mul(d, sg), mul(st.expAvg, sm)), denom)), { move: true });
}

/**
 * NAdam (Dozat): Adam with Nesterov momentum — the step uses the next momentum μ_{t+1} on m and the
 * current μ_t on g:  w −= lr·(1−μ_t)/(1−Πμ)·g/d + lr·μ_{t+1}/(1−Πμ·μ_{t+1})·m/d, d = √(v/(1−β2ᵗ)) + eps
 * (`epsInsideSqrt`, the course's form: d = √(v/(1−β2ᵗ) + eps)).
 */
export function nadamUpdate(w: Tensor, g: Tensor, st: ParamState, hp: Resolved<NAdamHyper>): void {
  const step = ((st.step as number) += 1);
  const [beta1, beta2] = hp.betas;
  const { lr: eta, eps, momentumDecay, epsInsideSqrt } = hp;
  const decoupled = hp.decoupledWeightDecay;
  const bc2 = 1 - beta2 ** step;
  const mu = beta1 * (1 - 0.5 * 0.96 ** (step * momentumDecay));
  const muNext = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * momentumDecay));
  // PyTorch keeps the product of the μ in a float32 tensor: round it the same way.
  const muProduct = (st.muProduct = Math.fround((st.muProduct as number) * mu));
  const muProductNext = hp.legacyMuProduct ? muProduct * mu * muNext : muProduct * muNext;
  const cg = (-eta * (1 - mu)) / (1 - muProduct);
  const cm = (-eta * muNext) / (1 - muProductNext);
  // (cg·g + cm·m) / (√(v/bc2) + eps) = s·(cg·g + cm·m) / (√v + eps·s), s = √bc2: one division per element;
  // inside the root, (cg·g + cm·m) / √(v/bc2 + eps) = s·(cg·g + cm·m) / √(v + eps·bc2).
  const s = Math.sqrt(bc2);
  const k = {
    beta1,
    beta2,
    sg: cg * s,
    sm: cm * s,
    e: epsInsideSqrt ? eps * bc2 : eps * s,
    weightDecay: decoupled ? 0 : hp.weightDecay,
    shrink: decoupled ? Math.fround(1 - eta * hp.weightDecay) : 1,
    epsInsideSqrt: +epsInsideSqrt,
  };
  applyRule('nadam', w, g, stateTensors(st), k, nadamRule);
}

/** NAdam, PyTorch's `torch.optim.NAdam` (momentumDecay; optional decoupled weight decay). */
export class NAdam extends Optimizer<NAdamHyper> {
  constructor(params: Params<NAdamHyper>, options?: NAdamOptions);
  constructor(options?: NAdamOptions);
  constructor(paramsOrOptions?: Params<NAdamHyper> | NAdamOptions, options?: NAdamOptions) {
    super(spec, paramsOrOptions, options);
  }

  /** Rebuilds the optimizer from `getConfig()` output: the registry's entry point for JSON configs. */
  static fromConfig(config: JsonObject): NAdam {
    return new NAdam(config as NAdamOptions);
  }

  protected initState(param: Tensor): ParamState {
    return { step: 0, muProduct: 1, expAvg: fullLike(param, 0), expAvgSq: fullLike(param, 0) };
  }

  protected update(w: Tensor, g: Tensor, st: ParamState, hp: Resolved<NAdamHyper>): void {
    nadamUpdate(w, g, st, hp);
  }
}
