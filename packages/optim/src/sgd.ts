import type { JsonObject } from '@nn/core';
import { Optimizer, type ClipOptions, type OptimizerSpec, type ParamState, type Params, type Resolved } from './optimizer.js';
import { bool, lr, nonNegative, optionError, unitInterval, type Lr } from './validate.js';

export interface SGDHyper {
  lr: Lr;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
}

export type SGDOptions = Partial<SGDHyper> & ClipOptions;

const spec: OptimizerSpec<SGDHyper> = {
  name: 'sgd',
  title: 'SGD',
  defaults: { lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false },
  checks: { lr, momentum: nonNegative, dampening: unitInterval, weightDecay: nonNegative, nesterov: bool, maximize: bool },
  momentum: 'momentum',
  state: { momentumBuffer: 'array' },
  crossCheck: (where, hp) => {
    if (hp.nesterov && (hp.momentum <= 0 || hp.dampening !== 0)) throw optionError(where, 'nesterov', 'needs momentum > 0 and dampening 0', { momentum: hp.momentum, dampening: hp.dampening });
  },
};

/**
 * SGD's update for one parameter, PyTorch's formulation:
 * d = g + wd·w;  b = μ·b + (1−τ)·d (b = d at the first step);  d = nesterov ? d + μ·b : b;  w −= lr·d.
 */
export function sgdUpdate(w: Float32Array, g: Float32Array, state: ParamState, hp: Resolved<SGDHyper>): void {
  const { lr: eta, momentum: mu, dampening, weightDecay: wd, nesterov } = hp;
  const n = w.length;
  if (mu === 0) {
    for (let i = 0; i < n; i++) w[i] -= eta * (wd === 0 ? g[i] : Math.fround(g[i] + wd * w[i]));
    return;
  }
  let buf = state.momentumBuffer as Float32Array | undefined;
  if (!buf) {
    // PyTorch starts the buffer at the first (decayed) gradient, without dampening.
    buf = state.momentumBuffer = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const d = wd === 0 ? g[i] : Math.fround(g[i] + wd * w[i]);
      buf[i] = d;
      w[i] -= eta * (nesterov ? Math.fround(d + mu * d) : d);
    }
    return;
  }
  const keep = 1 - dampening;
  if (wd === 0 && !nesterov) {
    // The common case (plain momentum), kept free of branches.
    for (let i = 0; i < n; i++) w[i] -= eta * (buf[i] = buf[i] * mu + keep * g[i]);
    return;
  }
  for (let i = 0; i < n; i++) {
    const d = wd === 0 ? g[i] : Math.fround(g[i] + wd * w[i]);
    const b = (buf[i] = buf[i] * mu + keep * d);
    w[i] -= eta * (nesterov ? Math.fround(d + mu * b) : b);
  }
}

/**
 * Stochastic gradient descent with momentum, dampening, Nesterov momentum and (coupled) weight decay,
 * PyTorch's `torch.optim.SGD`. The course's Nesterov "look-ahead" gradient is the same method after a
 * change of variables; PyTorch's form needs no second gradient evaluation.
 */
export class SGD extends Optimizer<SGDHyper> {
  constructor(params: Params<SGDHyper>, options?: SGDOptions);
  constructor(options?: SGDOptions);
  constructor(paramsOrOptions?: Params<SGDHyper> | SGDOptions, options?: SGDOptions) {
    super(spec, paramsOrOptions, options);
  }

  /** Rebuilds the optimizer from `getConfig()` output: the registry's entry point for JSON configs. */
  static fromConfig(config: JsonObject): SGD {
    return new SGD(config as SGDOptions);
  }

  protected initState(): ParamState {
    return {};
  }

  protected update(w: Float32Array, g: Float32Array, state: ParamState, hp: Resolved<SGDHyper>): void {
    sgdUpdate(w, g, state, hp);
  }
}

