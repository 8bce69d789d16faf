import type { JsonObject } from '@nn/core';
import { Optimizer, type ClipOptions, type OptimizerSpec, type ParamState, type Params, type Resolved } from './optimizer.js';
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

/**
 * RMSprop: v = α·v + (1−α)·g²;  centered: v̂ = v − ḡ² with ḡ = α·ḡ + (1−α)·g;  with momentum μ:
 * b = μ·b + g/(√v̂ + eps), w −= lr·b; without: w −= lr·g/(√v̂ + eps).
 */
export function rmspropUpdate(w: Float32Array, g: Float32Array, state: ParamState, hp: Resolved<RMSpropHyper>): void {
  (state.step as number)++;
  const { lr: eta, alpha, eps, weightDecay: wd, momentum: mu, centered, epsInsideSqrt } = hp;
  const sq = state.squareAvg as Float32Array;
  const ga = centered ? ((state.gradAvg as Float32Array | undefined) ?? (state.gradAvg = new Float32Array(w.length))) : null;
  const buf = mu > 0 ? ((state.momentumBuffer as Float32Array | undefined) ?? (state.momentumBuffer = new Float32Array(w.length))) : null;
  const keep = 1 - alpha;
  const n = w.length;
  if (!ga && !buf && wd === 0 && !epsInsideSqrt) {
    // The common case, kept free of branches.
    for (let i = 0; i < n; i++) {
      const d = g[i];
      const v = (sq[i] = sq[i] * alpha + keep * d * d);
      w[i] -= (eta * d) / (Math.sqrt(v) + eps);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const d = wd === 0 ? g[i] : Math.fround(g[i] + wd * w[i]);
    const v = (sq[i] = sq[i] * alpha + keep * d * d);
    let c = v;
    if (ga) {
      const a = (ga[i] = ga[i] * alpha + keep * d);
      c = v - a * a;
    }
    const avg = epsInsideSqrt ? Math.sqrt(c + eps) : Math.sqrt(c) + eps;
    if (buf) w[i] -= eta * (buf[i] = buf[i] * mu + d / avg);
    else w[i] -= (eta * d) / avg;
  }
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

  protected initState(size: number): ParamState {
    return { step: 0, squareAvg: new Float32Array(size) };
  }

  protected update(w: Float32Array, g: Float32Array, state: ParamState, hp: Resolved<RMSpropHyper>): void {
    rmspropUpdate(w, g, state, hp);
  }
}
