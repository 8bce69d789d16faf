import type { JsonObject } from '@nn/core';
import { add, assign, div, fullLike, mul, sqrt, square, sub, type FusedUpdateScalars, type Tensor } from '@nn/tensor';
import { Optimizer, applyRule, stateTensors, type ClipOptions, type OptimizerSpec, type ParamState, type Params, type Resolved, type StateTensors } from './optimizer.js';
import { bool, lr, nonNegative, unitInterval, type Lr } from './validate.js';

export interface RMSpropHyper {
  lr: Lr;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  /** The course's form `g / sqrt(v + eps)` instead of PyTorch's `g / (sqrt(v) + eps)` (default false). */
  epsInsideSqrt: boolean;
  maximize: boolean;
}

export type RMSpropOptions = Partial<RMSpropHyper> & ClipOptions;

const spec: OptimizerSpec<RMSpropHyper> = {
  name: 'rmsprop',
  title: 'RMSprop',
  defaults: { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, epsInsideSqrt: false, maximize: false },
  checks: { lr, alpha: unitInterval, eps: nonNegative, weightDecay: nonNegative, momentum: nonNegative, centered: bool, epsInsideSqrt: bool, maximize: bool },
  momentum: 'momentum',
  state: { step: 'number', squareAvg: 'array', gradAvg: 'array', momentumBuffer: 'array' },
};

/** RMSprop's rule over tensors (the fused kernel's formula, Backend.fusedUpdate 'rmsprop'). */
function rmspropRule(w: Tensor, g: Tensor, st: StateTensors, k: FusedUpdateScalars): void {
  const { lr, alpha, eps, weightDecay: wd, momentum } = k;
  const d = wd === 0 ? g : add(g, mul(w, wd));
  assign(st.squareAvg, add(mul(st.squareAvg, alpha), mul(square(d), 1 - alpha)), { move: true });
  let c = st.squareAvg;
  if (k.centered) {
    assign(st.gradAvg, add(mul(st.gradAvg, alpha), mul(d, 1 - alpha)), { move: true });
    c = sub(c, square(st.gradAvg));
  }
  const avg = k.epsInsideSqrt ? sqrt(add(c, eps)) : add(sqrt(c), eps);
  if (momentum > 0) {
    assign(st.momentumBuffer, add(mul(st.momentumBuffer, momentum), div(d, avg)), { move: true });
    assign(w, sub(w, mul(st.momentumBuffer, lr)), { move: true });
  } else {
    assign(w, sub(w, div(mul(d, lr), avg)), { move: true });
  }
}

/**
 * RMSprop: v = α·v + (1−α)·g²;  centered: v̂ = v − ḡ² with ḡ = α·ḡ + (1−α)·g;  with momentum μ:
 * b = μ·b + g/(√v̂ + eps), w −= lr·b; without: w −= lr·g/(√v̂ + eps).
 */
export function rmspropUpdate(w: Tensor, g: Tensor, state: ParamState, hp: Resolved<RMSpropHyper>): void {
  (state.step as number)++;
  const { lr, alpha, eps, weightDecay, momentum, centered, epsInsideSqrt } = hp;
  if (centered && !state.gradAvg) state.gradAvg = fullLike(w, 0);
  if (momentum > 0 && !state.momentumBuffer) state.momentumBuffer = fullLike(w, 0);
  const k = { lr, alpha, eps, weightDecay, momentum, centered: +centered, epsInsideSqrt: +epsInsideSqrt };
  applyRule('rmsprop', w, g, stateTensors(state), k, rmspropRule);
}

/** RMSprop, PyTorch's `torch.optim.RMSprop` (alpha, eps outside the root, centered, momentum, weightDecay). */
export class RMSprop extends Optimizer<RMSpropHyper> {
  constructor(params: Params<RMSpropHyper>, options?: RMSpropOptions);
  constructor(options?: RMSpropOptions);
  constructor(paramsOrOptions?: Params<RMSpropHyper> | RMSpropOptions, options?: RMSpropOptions) {
    super(spec, paramsOrOptions, options);
  }

  /** Rebuilds the optimizer from `getConfig()` output: the registry's entry point for JSON configs. */
  static fromConfig(config: JsonObject): RMSprop {
    return new RMSprop(config as RMSpropOptions);
  }

  protected initState(param: Tensor): ParamState {
    return { step: 0, squareAvg: fullLike(param, 0) };
  }

  protected update(w: Tensor, g: Tensor, state: ParamState, hp: Resolved<RMSpropHyper>): void {
    rmspropUpdate(w, g, state, hp);
  }
}
