import type { JsonObject } from '@nn/core';
import { add, assign, div, fullLike, mul, sqrt, square, sub, type FusedUpdateScalars, type Tensor } from '@nn/tensor';
import { Optimizer, applyRule, stateTensors, type ClipOptions, type OptimizerSpec, type ParamState, type Params, type Resolved, type StateTensors } from './optimizer.js';
import { bool, lr, nonNegative, unitInterval, type Lr } from './validate.js';

export interface AdadeltaHyper {
  lr: Lr;
  rho: number;
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

export type AdadeltaOptions = Partial<AdadeltaHyper> & ClipOptions;

const spec: OptimizerSpec<AdadeltaHyper> = {
  name: 'adadelta',
  title: 'Adadelta',
  defaults: { lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false },
  checks: { lr, rho: unitInterval, eps: nonNegative, weightDecay: nonNegative, maximize: bool },
  state: { step: 'number', squareAvg: 'array', accDelta: 'array' },
};

/** Adadelta's rule over tensors (the fused kernel's formula, Backend.fusedUpdate 'adadelta'). */
function adadeltaRule(w: Tensor, g: Tensor, st: StateTensors, k: FusedUpdateScalars): void {
  const { lr, rho, eps, weightDecay: wd } = k;
  const d = wd === 0 ? g : add(g, mul(w, wd));
  assign(st.squareAvg, add(mul(st.squareAvg, rho), mul(square(d), 1 - rho)), { move: true });
  const delta = mul(sqrt(div(add(st.accDelta, eps), add(st.squareAvg, eps))), d);
  assign(st.accDelta, add(mul(st.accDelta, rho), mul(square(delta), 1 - rho)), { move: true });
  assign(w, sub(w, mul(delta, lr)), { move: true });
}

/**
 * AdaDelta: v = ρ·v + (1−ρ)·g²;  Δ = √(u + eps)/√(v + eps) · g;  u = ρ·u + (1−ρ)·Δ²;  w −= lr·Δ.
 * The ratio of RMS values gives the step its units, which is why lr defaults to 1.
 */
export function adadeltaUpdate(w: Tensor, g: Tensor, state: ParamState, hp: Resolved<AdadeltaHyper>): void {
  (state.step as number)++;
  const { lr, rho, eps, weightDecay } = hp;
  applyRule('adadelta', w, g, stateTensors(state), { lr, rho, eps, weightDecay }, adadeltaRule);
}

/** AdaDelta, PyTorch's `torch.optim.Adadelta` (rho, eps, weightDecay; lr scales the step, default 1). */
export class Adadelta extends Optimizer<AdadeltaHyper> {
  constructor(params: Params<AdadeltaHyper>, options?: AdadeltaOptions);
  constructor(options?: AdadeltaOptions);
  constructor(paramsOrOptions?: Params<AdadeltaHyper> | AdadeltaOptions, options?: AdadeltaOptions) {
    super(spec, paramsOrOptions, options);
  }

  /** Rebuilds the optimizer from `getConfig()` output: the registry's entry point for JSON configs. */
  static fromConfig(config: JsonObject): Adadelta {
    return new Adadelta(config as AdadeltaOptions);
  }

  protected initState(param: Tensor): ParamState {
    return { step: 0, squareAvg: fullLike(param, 0), accDelta: fullLike(param, 0) };
  }

  protected update(w: Tensor, g: Tensor, state: ParamState, hp: Resolved<AdadeltaHyper>): void {
    adadeltaUpdate(w, g, state, hp);
  }
}
