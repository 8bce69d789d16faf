import type { JsonObject } from '@nn/core';
import { add, assign, div, fullLike, maximum, mul, sqrt, square, sub, type FusedUpdateScalars, type Tensor } from '@nn/tensor';
import { Optimizer, applyRule, stateTensors, type ClipOptions, type OptimizerSpec, type ParamState, type Params, type Resolved, type StateTensors } from './optimizer.js';
import { betas, bool, lr, nonNegative, type Lr } from './validate.js';

export interface AdamHyper {
  lr: Lr;
  /** Decay rates of the first and second moment estimates. The course's slides use beta2 = 0.99. */
  betas: [number, number];
  eps: number;
  /** The course's form `m̂ / √(v̂ + eps)` instead of PyTorch's `m̂ / (√v̂ + eps)` (default false). */
  epsInsideSqrt: boolean;
  weightDecay: number;
  /** Use the running maximum of the second moment (AMSGrad), so the effective step never grows. */
  amsgrad: boolean;
  maximize: boolean;
}

export type AdamOptions = Partial<AdamHyper> & ClipOptions;

const state = { step: 'number', expAvg: 'array', expAvgSq: 'array', maxExpAvgSq: 'array' } as const;
const checks = { lr, betas, eps: nonNegative, epsInsideSqrt: bool, weightDecay: nonNegative, amsgrad: bool, maximize: bool };

const adamSpec: OptimizerSpec<AdamHyper> = {
  name: 'adam',
  title: 'Adam',
  defaults: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, epsInsideSqrt: false, weightDecay: 0, amsgrad: false, maximize: false },
  checks,
  momentum: 'beta1',
  state,
};

const adamWSpec: OptimizerSpec<AdamHyper> = { ...adamSpec, name: 'adamw', title: 'AdamW', defaults: { ...adamSpec.defaults, weightDecay: 1e-2 } };

/** Adam's rule over tensors (the fused kernel's formula, Backend.fusedUpdate 'adam'). */
function adamRule(w: Tensor, g: Tensor, st: StateTensors, k: FusedUpdateScalars): void {
  const { a, e, beta1, beta2, weightDecay: wd, shrink } = k;
  const wi = shrink === 1 ? w : mul(w, shrink);
  const d = wd === 0 ? g : add(g, mul(wi, wd));
  assign(st.expAvg, add(mul(st.expAvg, beta1), mul(d, 1 - beta1)), { move: true });
  assign(st.expAvgSq, add(mul(st.expAvgSq, beta2), mul(square(d), 1 - beta2)), { move: true });
  let v = st.expAvgSq;
  if (k.amsgrad) v = assign(st.maxExpAvgSq, maximum(st.maxExpAvgSq, v), { move: true });
  const denom = k.epsInsideSqrt ? sqrt(add(v, e)) : add(sqrt(v), e);
  assign(w, sub(wi, div(mul(st.expAvg, a), denom)), { move: true });
}

/**
 * Adam's update, with bias correction: m = β1·m + (1−β1)·g;  v = β2·v + (1−β2)·g²;
 * w −= lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + eps), or with `epsInsideSqrt` the course's
 * w −= lr · m̂ / √(v̂ + eps), m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ). Weight decay is either coupled (g += wd·w, Adam's L2) or
 * decoupled (w ·= 1 − lr·wd before the step, AdamW), which does not get rescaled by √v.
 */
export function adamUpdate(w: Tensor, g: Tensor, st: ParamState, hp: Resolved<AdamHyper>, decoupled: boolean): void {
  const step = ((st.step as number) += 1);
  if (hp.amsgrad && !st.maxExpAvgSq) st.maxExpAvgSq = fullLike(w, 0);
  const [beta1, beta2] = hp.betas;
  const { lr: eta, eps, epsInsideSqrt } = hp;
  // lr/bc1 · m / (√v/√bc2 + eps) = a · m / (√v + e): one division per element instead of two;
  // inside the root, lr/bc1 · m / √(v/bc2 + eps) = a · m / √(v + eps·bc2).
  const bc2 = 1 - beta2 ** step;
  const bc2Sqrt = Math.sqrt(bc2);
  const k = {
    a: (eta / (1 - beta1 ** step)) * bc2Sqrt,
    e: epsInsideSqrt ? eps * bc2 : eps * bc2Sqrt,
    beta1,
    beta2,
    weightDecay: decoupled ? 0 : hp.weightDecay,
    shrink: decoupled ? Math.fround(1 - eta * hp.weightDecay) : 1,
    amsgrad: +hp.amsgrad,
    epsInsideSqrt: +epsInsideSqrt,
  };
  const state = stateTensors(st);
  if (!hp.amsgrad) delete state.maxExpAvgSq;
  applyRule('adam', w, g, state, k, adamRule);
}

/** Adam (Kingma & Ba) with bias correction, optional AMSGrad and coupled L2 weight decay, as `torch.optim.Adam`. */
export class Adam extends Optimizer<AdamHyper> {
  constructor(params: Params<AdamHyper>, options?: AdamOptions);
  constructor(options?: AdamOptions);
  constructor(paramsOrOptions?: Params<AdamHyper> | AdamOptions, options?: AdamOptions) {
    super(adamSpec, paramsOrOptions, options);
  }

  /** Rebuilds the optimizer from `getConfig()` output: the registry's entry point for JSON configs. */
  static fromConfig(config: JsonObject): Adam {
    return new Adam(config as AdamOptions);
  }

  protected initState(param: Tensor, hp: Resolved<AdamHyper>): ParamState {
    // AMSGrad's running max is part of the state from the start, so a loaded state without it is refused.
    return { step: 0, expAvg: fullLike(param, 0), expAvgSq: fullLike(param, 0), ...(hp.amsgrad ? { maxExpAvgSq: fullLike(param, 0) } : {}) };
  }

  protected update(w: Tensor, g: Tensor, st: ParamState, hp: Resolved<AdamHyper>): void {
    adamUpdate(w, g, st, hp, false);
  }
}

/**
 * AdamW (Loshchilov & Hutter): Adam with decoupled weight decay (w ·= 1 − lr·wd each step), as
 * `torch.optim.AdamW`; weightDecay defaults to 0.01.
 */
export class AdamW extends Optimizer<AdamHyper> {
  constructor(params: Params<AdamHyper>, options?: AdamOptions);
  constructor(options?: AdamOptions);
  constructor(paramsOrOptions?: Params<AdamHyper> | AdamOptions, options?: AdamOptions) {
    super(adamWSpec, paramsOrOptions, options);
  }

  /** Rebuilds the optimizer from `getConfig()` output: the registry's entry point for JSON configs. */
  static fromConfig(config: JsonObject): AdamW {
    return new AdamW(config as AdamOptions);
  }

  protected initState(param: Tensor, hp: Resolved<AdamHyper>): ParamState {
    // AMSGrad's running max is part of the state from the start, so a loaded state without it is refused.
    return { step: 0, expAvg: fullLike(param, 0), expAvgSq: fullLike(param, 0), ...(hp.amsgrad ? { maxExpAvgSq: fullLike(param, 0) } : {}) };
  }

  protected update(w: Tensor, g: Tensor, st: ParamState, hp: Resolved<AdamHyper>): void {
    adamUpdate(w, g, st, hp, true);
  }
}
