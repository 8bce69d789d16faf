import type { JsonObject } from '@nn/core';
import { Optimizer, type ClipOptions, type OptimizerSpec, type ParamState, type Params, type Resolved } from './optimizer.js';
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

/** Adamax: Adam with the infinity norm: u = max(β2·u, |g| + eps);  w −= lr/(1−β1ᵗ) · m/u. */
export function adamaxUpdate(w: Float32Array, g: Float32Array, st: ParamState, hp: Resolved<AdamaxHyper>): void {
  const step = ((st.step as number) += 1);
  const m = st.expAvg as Float32Array;
  const u = st.expInf as Float32Array;
  const [b1, b2] = hp.betas;
  const { eps, weightDecay: wd } = hp;
  const clr = hp.lr / (1 - b1 ** step);
  const k1 = 1 - b1;
  for (let i = 0, n = w.length; i < n; i++) {
    const d = wd === 0 ? g[i] : Math.fround(g[i] + wd * w[i]);
    const mi = (m[i] = m[i] * b1 + k1 * d);
    // PyTorch takes the max of the two float32 values: round both before comparing.
    const decayed = Math.fround(u[i] * b2);
    const a = Math.fround(Math.abs(d) + eps);
    const ui = (u[i] = decayed > a ? decayed : a);
    w[i] -= (clr * mi) / ui;
  }
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

  protected initState(size: number): ParamState {
    return { step: 0, expAvg: new Float32Array(size), expInf: new Float32Array(size) };
  }

  protected update(w: Float32Array, g: Float32Array, st: ParamState, hp: Resolved<AdamaxHyper>): void {
    adamaxUpdate(w, g, st, hp);
  }
}
