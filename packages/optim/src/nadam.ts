import type { JsonObject } from '@nn/core';
import { Optimizer, type ClipOptions, type OptimizerSpec, type ParamState, type Params, type Resolved } from './optimizer.js';
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

/**
 * NAdam (Dozat): Adam with Nesterov momentum — the step uses the next momentum μ_{t+1} on m and the
 * current μ_t on g:  w −= lr·(1−μ_t)/(1−Πμ)·g/d + lr·μ_{t+1}/(1−Πμ·μ_{t+1})·m/d, d = √(v/(1−β2ᵗ)) + eps
 * (`epsInsideSqrt`, the course's form: d = √(v/(1−β2ᵗ) + eps)).
 */
export function nadamUpdate(w: Float32Array, g: Float32Array, st: ParamState, hp: Resolved<NAdamHyper>): void {
  const step = ((st.step as number) += 1);
  const m = st.expAvg as Float32Array;
  const v = st.expAvgSq as Float32Array;
  const [b1, b2] = hp.betas;
  const { lr: eta, eps, momentumDecay } = hp;
  const decoupled = hp.decoupledWeightDecay;
  const wd = decoupled ? 0 : hp.weightDecay;
  const shrink = decoupled ? Math.fround(1 - eta * hp.weightDecay) : 1;
  const bc2 = 1 - b2 ** step;
  const mu = b1 * (1 - 0.5 * 0.96 ** (step * momentumDecay));
  const muNext = b1 * (1 - 0.5 * 0.96 ** ((step + 1) * momentumDecay));
  // PyTorch keeps the product of the μ in a float32 tensor: round it the same way.
  const muProduct = (st.muProduct = Math.fround((st.muProduct as number) * mu));
  const muProductNext = hp.legacyMuProduct ? muProduct * mu * muNext : muProduct * muNext;
  const cg = (-eta * (1 - mu)) / (1 - muProduct);
  const cm = (-eta * muNext) / (1 - muProductNext);
  const k1 = 1 - b1;
  const k2 = 1 - b2;
  // (cg·g + cm·m) / (√(v/bc2) + eps) = s·(cg·g + cm·m) / (√v + eps·s), s = √bc2: one division per element;
  // inside the root, (cg·g + cm·m) / √(v/bc2 + eps) = s·(cg·g + cm·m) / √(v + eps·bc2).
  const s = Math.sqrt(bc2);
  const e = eps * s;
  const inside = hp.epsInsideSqrt;
  const eIn = eps * bc2;
  const sg = cg * s;
  const sm = cm * s;
  const n = w.length;
  if (wd === 0 && shrink === 1 && !inside) {
    // The common case, kept free of branches.
    for (let i = 0; i < n; i++) {
      const d = g[i];
      const mi = (m[i] = m[i] * b1 + k1 * d);
      const vi = (v[i] = v[i] * b2 + k2 * d * d);
      w[i] += (sg * d + sm * mi) / (Math.sqrt(vi) + e);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const wi = shrink === 1 ? w[i] : Math.fround(w[i] * shrink);
    const d = wd === 0 ? g[i] : Math.fround(g[i] + wd * wi);
    const mi = (m[i] = m[i] * b1 + k1 * d);
    const vi = (v[i] = v[i] * b2 + k2 * d * d);
    w[i] = wi + (sg * d + sm * mi) / (inside ? Math.sqrt(vi + eIn) : Math.sqrt(vi) + e);
  }
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

  protected initState(size: number): ParamState {
    return { step: 0, muProduct: 1, expAvg: new Float32Array(size), expAvgSq: new Float32Array(size) };
  }

  protected update(w: Float32Array, g: Float32Array, st: ParamState, hp: Resolved<NAdamHyper>): void {
    nadamUpdate(w, g, st, hp);
  }
}
