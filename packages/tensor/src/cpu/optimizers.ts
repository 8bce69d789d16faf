// The cpu backend's fused optimizer updates: one pass over parameter, gradient and state, in float64 with
// float32 stores, as PyTorch's cpu kernels round. These loops are the reference for every backend's
// `fusedUpdate` (formulas in backend.ts, FusedUpdateScalars) and are pinned by @nn/optim's golden tests.
import type { FusedUpdateRule, FusedUpdateScalars } from '../backend.js';

type State = Readonly<Record<string, Float32Array>>;
type Kernel = (w: Float32Array, g: Float32Array, st: State, n: number, k: FusedUpdateScalars) => void;

function sgd(w: Float32Array, g: Float32Array, st: State, n: number, k: FusedUpdateScalars): void {
  const { lr: eta, momentum: mu, dampening, weightDecay: wd, nesterov, first } = k;
  const buf = st.momentumBuffer;
  if (mu === 0 || !buf) {
    for (let i = 0; i < n; i++) w[i] -= eta * (wd === 0 ? g[i] : Math.fround(g[i] + wd * w[i]));
    return;
  }
  if (first) {
    // PyTorch starts the buffer at the first (decayed) gradient, without dampening.
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

function adagrad(w: Float32Array, g: Float32Array, st: State, n: number, k: FusedUpdateScalars): void {
  const { clr, weightDecay: wd, eps, epsInsideSqrt } = k;
  const sum = st.sum;
  for (let i = 0; i < n; i++) {
    const d = wd === 0 ? g[i] : Math.fround(g[i] + wd * w[i]);
    const s = (sum[i] += d * d);
    w[i] -= (clr * d) / (epsInsideSqrt ? Math.sqrt(s + eps) : Math.sqrt(s) + eps);
  }
}

function rmsprop(w: Float32Array, g: Float32Array, st: State, n: number, k: FusedUpdateScalars): void {
  const { lr: eta, alpha, eps, weightDecay: wd, momentum: mu, epsInsideSqrt } = k;
  const sq = st.squareAvg;
  const ga = k.centered ? st.gradAvg : null;
  const buf = mu > 0 ? st.momentumBuffer : null;
  const keep = 1 - alpha;
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

function adadelta(w: Float32Array, g: Float32Array, st: State, n: number, k: FusedUpdateScalars): void {
  const { lr: eta, rho, eps, weightDecay: wd } = k;
  const sq = st.squareAvg;
  const acc = st.accDelta;
  const keep = 1 - rho;
  for (let i = 0; i < n; i++) {
    const d = wd === 0 ? g[i] : Math.fround(g[i] + wd * w[i]);
    const v = (sq[i] = sq[i] * rho + keep * d * d);
    // √(u+eps)/√(v+eps) as one root of the ratio: a single sqrt and division per element.
    const delta = Math.fround(Math.sqrt((acc[i] + eps) / (v + eps)) * d);
    acc[i] = acc[i] * rho + keep * delta * delta;
    w[i] -= eta * delta;
  }
}

function adam(w: Float32Array, g: Float32Array, st: State, n: number, k: FusedUpdateScalars): void {
  const { a, e, beta1: b1, beta2: b2, weightDecay: wd, shrink, epsInsideSqrt } = k;
  const m = st.expAvg;
  const v = st.expAvgSq;
  const vmax = k.amsgrad ? st.maxExpAvgSq : null;
  const k1 = 1 - b1;
  const k2 = 1 - b2;
  if (!vmax && wd === 0 && shrink === 1 && !epsInsideSqrt) {
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
    w[i] = wi - (a * mi) / (epsInsideSqrt ? Math.sqrt(vi + e) : Math.sqrt(vi) + e);
  }
}

function nadam(w: Float32Array, g: Float32Array, st: State, n: number, k: FusedUpdateScalars): void {
  const { beta1: b1, beta2: b2, sg, sm, e, weightDecay: wd, shrink, epsInsideSqrt } = k;
  const m = st.expAvg;
  const v = st.expAvgSq;
  const k1 = 1 - b1;
  const k2 = 1 - b2;
  if (wd === 0 && shrink === 1 && !epsInsideSqrt) {
    // The common case, kept free of branches.
    for (let i = 0; i < n; i++) {
      const d = g[i];
      const mi = (m[i] = m[i] * b1 + k1 * d);
      const vi = (v[i] = v[i] * b2 + k2 * d * d);
      w[i] += (sg * d + sm * mi) / (Math.sqrt(vi) + e);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const wi = shrink === 1 ? w[i] : Math.fround(w[i] * shrink);
    const d = wd === 0 ? g[i] : Math.fround(g[i] + wd * wi);
    const mi = (m[i] = m[i] * b1 + k1 * d);
    const vi = (v[i] = v[i] * b2 + k2 * d * d);
    w[i] = wi + (sg * d + sm * mi) / (epsInsideSqrt ? Math.sqrt(vi + e) : Math.sqrt(vi) + e);
  }
}

function adamax(w: Float32Array, g: Float32Array, st: State, n: number, k: FusedUpdateScalars): void {
  const { clr, beta1: b1, beta2: b2, eps, weightDecay: wd } = k;
  const m = st.expAvg;
  const u = st.expInf;
  const k1 = 1 - b1;
  for (let i = 0; i < n; i++) {
    const d = wd === 0 ? g[i] : Math.fround(g[i] + wd * w[i]);
    const mi = (m[i] = m[i] * b1 + k1 * d);
    // PyTorch takes the max of the two float32 values: round both before comparing.
    const decayed = Math.fround(u[i] * b2);
    const a = Math.fround(Math.abs(d) + eps);
    const ui = (u[i] = decayed > a ? decayed : a);
    w[i] -= (clr * mi) / ui;
  }
}

const kernels: Record<FusedUpdateRule, Kernel> = { sgd, adagrad, rmsprop, adadelta, adam, nadam, adamax };

/** The cpu backend's `fusedUpdate`: every built-in rule, in place. */
export function fusedUpdate(rule: FusedUpdateRule, param: Float32Array, grad: Float32Array, state: State, size: number, scalars: FusedUpdateScalars): boolean {
  if (!Object.prototype.hasOwnProperty.call(kernels, rule)) return false;
  kernels[rule](param, grad, state, size, scalars);
  return true;
}
