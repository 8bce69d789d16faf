// The wasm backend's fused optimizer updates: maps a rule's host-side scalars (Backend.fusedUpdate's
// FusedUpdateScalars) onto the f32x4 kernels of assembly/optim.ts. Constants the kernels would otherwise
// recompute per element (1 − β, which side of the root eps goes) are worked out here once, in float64, and
// rounded to float32 by the kernel.
import { ErrorCode, NNError } from '@nn/core';
import type { FusedUpdateRule, FusedUpdateScalars } from '../backend.js';
import type { Kernels } from './instance.js';

type State = Readonly<Record<string, number>>;
type Update = (k: Kernels, w: number, g: number, st: State, n: number, s: FusedUpdateScalars) => void;

/** The address of a state tensor the rule cannot run without. */
function need(rule: FusedUpdateRule, st: State, key: string): number {
  const p = st[key];
  if (p === undefined) throw new NNError(ErrorCode.InvalidArgument, `fusedUpdate (${rule}): the state has no '${key}' tensor`, { rule, key });
  return p;
}

// The kernels compute √(v + e1) + e2: eps goes inside the root (e1) or after it (e2), 0 in the other place.
// Two functions rather than a pair, so that an update allocates nothing.
const e1 = (eps: number, inside: number): number => (inside ? eps : 0);
const e2 = (eps: number, inside: number): number => (inside ? 0 : eps);

/** SgdMode in assembly/optim.ts. */
const SGD_PLAIN = 0;
const SGD_FIRST = 1;
const SGD_RUNNING = 2;

const updates: Record<FusedUpdateRule, Update> = {
  sgd(k, w, g, st, n, s) {
    const buf = s.momentum === 0 ? undefined : st.momentumBuffer;
    const mode = buf === undefined ? SGD_PLAIN : s.first ? SGD_FIRST : SGD_RUNNING;
    k.sgdUpdate(w, g, buf ?? 0, n, mode, s.lr, s.momentum, 1 - s.dampening, s.weightDecay, s.nesterov ? 1 : 0);
  },
  adagrad(k, w, g, st, n, s) {
    k.adagradUpdate(w, g, need('adagrad', st, 'sum'), n, s.clr, s.weightDecay, e1(s.eps, s.epsInsideSqrt), e2(s.eps, s.epsInsideSqrt));
  },
  rmsprop(k, w, g, st, n, s) {
    const ga = s.centered ? st.gradAvg : undefined;
    const buf = s.momentum > 0 ? st.momentumBuffer : undefined;
    k.rmspropUpdate(w, g, need('rmsprop', st, 'squareAvg'), ga ?? 0, buf ?? 0, n, ga === undefined ? 0 : 1, buf === undefined ? 0 : 1, s.lr, s.alpha, 1 - s.alpha, s.momentum, s.weightDecay, e1(s.eps, s.epsInsideSqrt), e2(s.eps, s.epsInsideSqrt));
  },
  adadelta(k, w, g, st, n, s) {
    k.adadeltaUpdate(w, g, need('adadelta', st, 'squareAvg'), need('adadelta', st, 'accDelta'), n, s.lr, s.rho, 1 - s.rho, s.eps, s.weightDecay);
  },
  adam(k, w, g, st, n, s) {
    const vmax = s.amsgrad ? st.maxExpAvgSq : undefined;
    k.adamUpdate(w, g, need('adam', st, 'expAvg'), need('adam', st, 'expAvgSq'), vmax ?? 0, n, vmax === undefined ? 0 : 1, s.a, s.beta1, 1 - s.beta1, s.beta2, 1 - s.beta2, s.shrink, s.weightDecay, e1(s.e, s.epsInsideSqrt), e2(s.e, s.epsInsideSqrt));
  },
  nadam(k, w, g, st, n, s) {
    k.nadamUpdate(w, g, need('nadam', st, 'expAvg'), need('nadam', st, 'expAvgSq'), n, s.sg, s.sm, s.beta1, 1 - s.beta1, s.beta2, 1 - s.beta2, s.shrink, s.weightDecay, e1(s.e, s.epsInsideSqrt), e2(s.e, s.epsInsideSqrt));
  },
  adamax(k, w, g, st, n, s) {
    k.adamaxUpdate(w, g, need('adamax', st, 'expAvg'), need('adamax', st, 'expInf'), n, s.clr, s.beta1, 1 - s.beta1, s.beta2, s.eps, s.weightDecay);
  },
};

/**
 * Runs `rule`'s f32x4 kernel over the parameter at `w`, the gradient at `g` and the state tensors at
 * `state` (byte addresses, `n` floats each), in place. False for a rule without a kernel.
 */
export function wasmFusedUpdate(k: Kernels, rule: FusedUpdateRule, w: number, g: number, state: State, n: number, scalars: FusedUpdateScalars): boolean {
  if (!Object.prototype.hasOwnProperty.call(updates, rule)) return false;
  updates[rule](k, w, g, state, n, scalars);
  return true;
}
