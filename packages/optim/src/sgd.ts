import type { JsonObject } from '@nn/core';
import { add, assign, fullLike, mul, sub, type FusedUpdateScalars, type Tensor } from '@nn/tensor';
import { Optimizer, applyRule, stateTensors, type ClipOptions, type OptimizerSpec, type ParamState, type Params, type Resolved, type StateTensors } from './optimizer.js';
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

/** SGD's rule over tensors (the fused kernel's formula, Backend.fusedUpdate 'sgd'). */
function sgdRule(w: Tensor, g: Tensor, st: StateTensors, k: FusedUpdateScalars): void {
  const { lr: eta, momentum: mu, dampening, weightDecay: wd, nesterov, first } = k;
  const d = wd === 0 ? g : add(g, mul(w, wd));
  const buf = st.momentumBuffer;
  if (!buf) {
    assign(w, sub(w, mul(d, eta)), { move: true });
    return;
  }
  assign(buf, first ? d : add(mul(buf, mu), mul(d, 1 - dampening)), { move: !first });
  assign(w, sub(w, mul(nesterov ? add(d, mul(buf, mu)) : buf, eta)), { move: true });
}

/**
 * SGD's update for one parameter, PyTorch's formulation:
 * d = g + wd·w;  b = μ·b + (1−τ)·d (b = d at the first step);  d = nesterov ? d + μ·b : b;  w −= lr·d.
 */
export function sgdUpdate(w: Tensor, g: Tensor, state: ParamState, hp: Resolved<SGDHyper>): void {
  const { lr, momentum, dampening, weightDecay, nesterov } = hp;
  const first = momentum > 0 && !state.momentumBuffer;
  // PyTorch starts the buffer at the first (decayed) gradient, without dampening.
  if (first) state.momentumBuffer = fullLike(w, 0);
  const k = { lr, momentum, dampening, weightDecay, nesterov: +nesterov, first: +first };
  applyRule('sgd', w, g, momentum > 0 ? stateTensors(state) : {}, k, sgdRule);
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

  protected update(w: Tensor, g: Tensor, state: ParamState, hp: Resolved<SGDHyper>): void {
    sgdUpdate(w, g, state, hp);
  }
}

