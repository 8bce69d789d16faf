import type { JsonObject } from '@nn/core';
import { assign, mul, sign, sub, type Tensor } from '@nn/tensor';
import { Optimizer, lrOption, type Lr, type ParamState, type Resolved } from '@nn/optim';

export interface SignSGDOptions {
  lr?: Lr;
  clipValue?: number;
}

/** signSGD (Bernstein et al. 2018): `w ← w − lr·sign(g)`, written over tensor ops so it runs on any backend. */
export class SignSGD extends Optimizer<{ lr: Lr }> {
  constructor(params?: Tensor[] | SignSGDOptions, options?: SignSGDOptions) {
    super({ name: 'signSgd', title: 'SignSGD', defaults: { lr: 0.01 }, checks: { lr: lrOption }, state: {} }, params as never, options);
  }

  protected initState(): ParamState {
    return {};
  }

  protected update(w: Tensor, g: Tensor, _state: ParamState, hp: Resolved<{ lr: Lr }>): void {
    assign(w, sub(w, mul(sign(g), hp.lr)), { move: true });
  }

  static fromConfig(config: JsonObject): SignSGD {
    return new SignSGD(config as SignSGDOptions);
  }
}
