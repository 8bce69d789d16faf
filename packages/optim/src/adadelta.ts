import type { JsonObject } from '@nn/core';
import { Optimizer, type ClipOptions, type OptimizerSpec, type ParamState, type Params, type Resolved } from './optimizer.js';
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

/**
 * AdaDelta: v = ρ·v + (1−ρ)·g²;  Δ = √(u + eps)/√(v + eps) · g;  u = ρ·u + (1−ρ)·Δ²;  w −= lr·Δ.
 * The ratio of RMS values gives the step its units, which is why lr defaults to 1.
 */
export function adadeltaUpdate(w: Float32Array, g: Float32Array, state: ParamState, hp: Resolved<AdadeltaHyper>): void {
  (state.step as number)++;
  const { lr: eta, rho, eps, weightDecay: wd } = hp;
  const sq = state.squareAvg as Float32Array;
  const acc = state.accDelta as Float32Array;
  const keep = 1 - rho;
  for (let i = 0, n = w.length; i < n; i++) {
    const d = wd === 0 ? g[i] : Math.fround(g[i] + wd * w[i]);
    const v = (sq[i] = sq[i] * rho + keep * d * d);
    // √(u+eps)/√(v+eps) as one root of the ratio: a single sqrt and division per element.
    const delta = Math.fround(Math.sqrt((acc[i] + eps) / (v + eps)) * d);
    acc[i] = acc[i] * rho + keep * delta * delta;
    w[i] -= eta * delta;
  }
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

  protected initState(size: number): ParamState {
    return { step: 0, squareAvg: new Float32Array(size), accDelta: new Float32Array(size) };
  }

  protected update(w: Float32Array, g: Float32Array, state: ParamState, hp: Resolved<AdadeltaHyper>): void {
    adadeltaUpdate(w, g, state, hp);
  }
}
