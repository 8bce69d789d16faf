import type { JsonObject } from '@nn/core';
import { Optimizer, type ClipOptions, type OptimizerSpec, type ParamState, type Params, type Resolved } from './optimizer.js';
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

/**
 * Adam's update, with bias correction: m = β1·m + (1−β1)·g;  v = β2·v + (1−β2)·g²;
 * w −= lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + eps), or with `epsInsideSqrt` the course's
 * w −= lr · m̂ / √(v̂ + eps), m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ). Weight decay is either coupled (g += wd·w, Adam's L2) or
 * decoupled (w ·= 1 − lr·wd before the step, AdamW), which does not get rescaled by √v.
 */
export function adamUpdate(w: Float32Array, g: Float32Array, st: ParamState, hp: Resolved<AdamHyper>, decoupled: boolean): void {
  const step = ((st.step as number) += 1);
  const m = st.expAvg as Float32Array;
  const v = st.expAvgSq as Float32Array;
  const vmax = hp.amsgrad ? ((st.maxExpAvgSq as Float32Array | undefined) ?? (st.maxExpAvgSq = new Float32Array(w.length))) : null;
  const [b1, b2] = hp.betas;
  const { lr: eta, eps } = hp;
  const wd = decoupled ? 0 : hp.weightDecay;
  const shrink = decoupled ? Math.fround(1 - eta * hp.weightDecay) : 1;
  // lr/bc1 · m / (√v/√bc2 + eps) = a · m / (√v + e): one division per element instead of two;
  // inside the root, lr/bc1 · m / √(v/bc2 + eps) = a · m / √(v + eps·bc2).
  const bc2 = 1 - b2 ** step;
  const bc2Sqrt = Math.sqrt(bc2);
  const a = (eta / (1 - b1 ** step)) * bc2Sqrt;
  const e = eps * bc2Sqrt;
  const inside = hp.epsInsideSqrt;
  const eIn = eps * bc2;
  const k1 = 1 - b1;
  const k2 = 1 - b2;
  const n = w.length;
  if (!vmax && wd === 0 && shrink === 1 && !inside) {
    // The common case, kept free of branches: this loop is the cost of a training step's update.
    for (let i = 0; i < n; i++) {
      const d = g[i];
      const mi = (m[i] = m[i] * b1 + k1 * d);
      const vi = (v[i] = v[i] * b2 + k2 * d * d);
      w[i] -= (a * mi) / (Math.sqrt(vi) + e);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const wi = shrink === 1 ? w[i] : Math.fround(w[i] * shrink);
    const d = wd === 0 ? g[i] : Math.fround(g[i] + wd * wi);
    const mi = (m[i] = m[i] * b1 + k1 * d);
    let vi = (v[i] = v[i] * b2 + k2 * d * d);
    if (vmax) vi = vmax[i] = vmax[i] > vi ? vmax[i] : vi;
    w[i] = wi - (a * mi) / (inside ? Math.sqrt(vi + eIn) : Math.sqrt(vi) + e);
  }
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

  protected initState(size: number): ParamState {
    return { step: 0, expAvg: new Float32Array(size), expAvgSq: new Float32Array(size) };
  }

  protected update(w: Float32Array, g: Float32Array, st: ParamState, hp: Resolved<AdamHyper>): void {
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

  protected initState(size: number): ParamState {
    return { step: 0, expAvg: new Float32Array(size), expAvgSq: new Float32Array(size) };
  }

  protected update(w: Float32Array, g: Float32Array, st: ParamState, hp: Resolved<AdamHyper>): void {
    adamUpdate(w, g, st, hp, true);
  }
}
