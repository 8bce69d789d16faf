// The fused optimizer updates: one pass over parameter, gradient and state, four float32 lanes at a time,
// updating all of them in place. The formulas are Backend.fusedUpdate's (src/backend.ts); the cpu loops
// (src/cpu/optimizers.ts) compute them in float64 and round each store, these in float32 throughout, so
// results agree to a few float32 ulp, not bit for bit. Per-step constants (bias corrections, 1 − β, the
// epsilon's place) come from the host: src/wasm/fused-update.ts documents each argument.
//
// Each rule's body is an @inline function of the element offset and `wide`: true loads and stores four
// floats, false one float splat into a vector, so the tail runs the same arithmetic as the vectors. Options
// that change which state exists are constant arguments of @inline loops (one specialized loop each);
// weight decay is a mask, so `wd = 0` leaves the gradient exactly as it was (as the cpu kernel skips it).

@inline function ld(p: usize, wide: bool): v128 {
  return wide ? v128.load(p) : f32x4.splat(load<f32>(p));
}

@inline function st(p: usize, v: v128, wide: bool): void {
  if (wide) v128.store(p, v);
  else store<f32>(p, f32x4.extract_lane(v, 0));
}

/** A lane mask: all ones where `on`, else zero. */
@inline function mask(on: bool): v128 {
  return i32x4.splat(on ? -1 : 0);
}

/** g + wd·w where `decay` is set, g itself where not. */
@inline function decayed(g: v128, w: v128, wd: v128, decay: v128): v128 {
  return v128.bitselect(f32x4.add(g, f32x4.mul(wd, w)), g, decay);
}

/** a·x + b·y, the moving averages' update. */
@inline function mix(a: v128, x: v128, b: v128, y: v128): v128 {
  return f32x4.add(f32x4.mul(a, x), f32x4.mul(b, y));
}

/** a·x + (b·y)·y: the second-moment update, with the cpu kernel's association. */
@inline function mixSq(a: v128, x: v128, b: v128, y: v128): v128 {
  return f32x4.add(f32x4.mul(a, x), f32x4.mul(f32x4.mul(b, y), y));
}

/** √(v + e1) + e2: the host passes eps as e1 (inside the root) or e2 (outside) and 0 as the other. */
@inline function root(v: v128, e1: v128, e2: v128): v128 {
  return f32x4.add(f32x4.sqrt(f32x4.add(v, e1)), e2);
}

// ---- SGD ----------------------------------------------------------------------------------------------------

/** Without a momentum buffer (0), starting it (1: b = d, no dampening), or running it (2). */
export const enum SgdMode { Plain, First, Running }

@inline function sgdAt(o: usize, w: usize, g: usize, buf: usize, mode: i32, lr: v128, mu: v128, keep: v128, wd: v128, decay: v128, nesterov: v128, wide: bool): void {
  const wv = ld(w + o, wide);
  const d = decayed(ld(g + o, wide), wv, wd, decay);
  let step = d;
  if (mode != SgdMode.Plain) {
    const b = mode == SgdMode.First ? d : mix(ld(buf + o, wide), mu, keep, d);
    st(buf + o, b, wide);
    step = v128.bitselect(f32x4.add(d, f32x4.mul(mu, b)), b, nesterov);
  }
  st(w + o, f32x4.sub(wv, f32x4.mul(lr, step)), wide);
}

@inline function sgdLoop(w: usize, g: usize, buf: usize, n: i32, mode: i32, lr: v128, mu: v128, keep: v128, wd: v128, decay: v128, nesterov: v128): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) sgdAt(<usize>i << 2, w, g, buf, mode, lr, mu, keep, wd, decay, nesterov, true);
  for (; i < n; i++) sgdAt(<usize>i << 2, w, g, buf, mode, lr, mu, keep, wd, decay, nesterov, false);
}

/** SGD: b = mu·b + keep·d (b = d when `mode` is First); w −= lr·(nesterov ? d + mu·b : b), or lr·d without b. */
export function sgdUpdate(w: usize, g: usize, buf: usize, n: i32, mode: i32, lr: f64, mu: f64, keep: f64, wd: f64, nesterov: bool): void {
  const l = f32x4.splat(<f32>lr), m = f32x4.splat(<f32>mu), k = f32x4.splat(<f32>keep), decay = f32x4.splat(<f32>wd);
  const on = mask(wd != 0), nest = mask(nesterov);
  if (mode == SgdMode.Plain) sgdLoop(w, g, buf, n, SgdMode.Plain, l, m, k, decay, on, nest);
  else if (mode == SgdMode.First) sgdLoop(w, g, buf, n, SgdMode.First, l, m, k, decay, on, nest);
  else sgdLoop(w, g, buf, n, SgdMode.Running, l, m, k, decay, on, nest);
}

// ---- Adagrad ------------------------------------------------------------------------------------------------

@inline function adagradAt(o: usize, w: usize, g: usize, sum: usize, clr: v128, wd: v128, decay: v128, e1: v128, e2: v128, wide: bool): void {
  const wv = ld(w + o, wide);
  const d = decayed(ld(g + o, wide), wv, wd, decay);
  const s = f32x4.add(ld(sum + o, wide), f32x4.mul(d, d));
  st(sum + o, s, wide);
  st(w + o, f32x4.sub(wv, f32x4.div(f32x4.mul(clr, d), root(s, e1, e2))), wide);
}

/** Adagrad: sum += d²; w −= clr·d / (√(sum + e1) + e2). */
export function adagradUpdate(w: usize, g: usize, sum: usize, n: i32, clr: f64, wd: f64, e1: f64, e2: f64): void {
  const c = f32x4.splat(<f32>clr), decay = f32x4.splat(<f32>wd), on = mask(wd != 0);
  const a = f32x4.splat(<f32>e1), b = f32x4.splat(<f32>e2);
  let i = 0;
  for (; i + 4 <= n; i += 4) adagradAt(<usize>i << 2, w, g, sum, c, decay, on, a, b, true);
  for (; i < n; i++) adagradAt(<usize>i << 2, w, g, sum, c, decay, on, a, b, false);
}

// ---- RMSprop ------------------------------------------------------------------------------------------------

@inline function rmspropAt(o: usize, w: usize, g: usize, sq: usize, ga: usize, buf: usize, centered: bool, momentum: bool, lr: v128, alpha: v128, keep: v128, mu: v128, wd: v128, decay: v128, e1: v128, e2: v128, wide: bool): void {
  const wv = ld(w + o, wide);
  const d = decayed(ld(g + o, wide), wv, wd, decay);
  const v = mixSq(ld(sq + o, wide), alpha, keep, d);
  st(sq + o, v, wide);
  let c = v;
  if (centered) {
    const a = mix(ld(ga + o, wide), alpha, keep, d);
    st(ga + o, a, wide);
    c = f32x4.sub(v, f32x4.mul(a, a));
  }
  const avg = root(c, e1, e2);
  if (momentum) {
    const b = f32x4.add(f32x4.mul(ld(buf + o, wide), mu), f32x4.div(d, avg));
    st(buf + o, b, wide);
    st(w + o, f32x4.sub(wv, f32x4.mul(lr, b)), wide);
  } else {
    st(w + o, f32x4.sub(wv, f32x4.div(f32x4.mul(lr, d), avg)), wide);
  }
}

@inline function rmspropLoop(w: usize, g: usize, sq: usize, ga: usize, buf: usize, n: i32, centered: bool, momentum: bool, lr: v128, alpha: v128, keep: v128, mu: v128, wd: v128, decay: v128, e1: v128, e2: v128): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) rmspropAt(<usize>i << 2, w, g, sq, ga, buf, centered, momentum, lr, alpha, keep, mu, wd, decay, e1, e2, true);
  for (; i < n; i++) rmspropAt(<usize>i << 2, w, g, sq, ga, buf, centered, momentum, lr, alpha, keep, mu, wd, decay, e1, e2, false);
}

/**
 * RMSprop: v = alpha·v + keep·d²; c = centered ? v − a² (a = alpha·a + keep·d) : v; avg = √(c + e1) + e2;
 * with momentum b = mu·b + d/avg, w −= lr·b; else w −= lr·d/avg. `ga` and `buf` are read only when used.
 */
export function rmspropUpdate(w: usize, g: usize, sq: usize, ga: usize, buf: usize, n: i32, centered: bool, momentum: bool, lr: f64, alpha: f64, keep: f64, mu: f64, wd: f64, e1: f64, e2: f64): void {
  const l = f32x4.splat(<f32>lr), al = f32x4.splat(<f32>alpha), k = f32x4.splat(<f32>keep), m = f32x4.splat(<f32>mu);
  const decay = f32x4.splat(<f32>wd), on = mask(wd != 0), a = f32x4.splat(<f32>e1), b = f32x4.splat(<f32>e2);
  if (centered) {
    if (momentum) rmspropLoop(w, g, sq, ga, buf, n, true, true, l, al, k, m, decay, on, a, b);
    else rmspropLoop(w, g, sq, ga, buf, n, true, false, l, al, k, m, decay, on, a, b);
  } else if (momentum) rmspropLoop(w, g, sq, ga, buf, n, false, true, l, al, k, m, decay, on, a, b);
  else rmspropLoop(w, g, sq, ga, buf, n, false, false, l, al, k, m, decay, on, a, b);
}

// ---- Adadelta -----------------------------------------------------------------------------------------------

@inline function adadeltaAt(o: usize, w: usize, g: usize, sq: usize, acc: usize, lr: v128, rho: v128, keep: v128, eps: v128, wd: v128, decay: v128, wide: bool): void {
  const wv = ld(w + o, wide);
  const d = decayed(ld(g + o, wide), wv, wd, decay);
  const v = mixSq(ld(sq + o, wide), rho, keep, d);
  st(sq + o, v, wide);
  const u = ld(acc + o, wide);
  // √(u+eps)/√(v+eps) as one root of the ratio, as the cpu kernel.
  const delta = f32x4.mul(f32x4.sqrt(f32x4.div(f32x4.add(u, eps), f32x4.add(v, eps))), d);
  st(acc + o, mixSq(u, rho, keep, delta), wide);
  st(w + o, f32x4.sub(wv, f32x4.mul(lr, delta)), wide);
}

/** Adadelta: v = rho·v + keep·d²; δ = √((u + eps)/(v + eps))·d; u = rho·u + keep·δ²; w −= lr·δ. */
export function adadeltaUpdate(w: usize, g: usize, sq: usize, acc: usize, n: i32, lr: f64, rho: f64, keep: f64, eps: f64, wd: f64): void {
  const l = f32x4.splat(<f32>lr), r = f32x4.splat(<f32>rho), k = f32x4.splat(<f32>keep), e = f32x4.splat(<f32>eps);
  const decay = f32x4.splat(<f32>wd), on = mask(wd != 0);
  let i = 0;
  for (; i + 4 <= n; i += 4) adadeltaAt(<usize>i << 2, w, g, sq, acc, l, r, k, e, decay, on, true);
  for (; i < n; i++) adadeltaAt(<usize>i << 2, w, g, sq, acc, l, r, k, e, decay, on, false);
}

// ---- Adam, AdamW, AMSGrad and NAdam -------------------------------------------------------------------------

/**
 * The moments' update shared by Adam and NAdam, at element offset `o`: writes m and v (and vmax with
 * `amsgrad`), then the parameter, `wi + (nadam ? (sg·d + sm·m) : −a·m) / (√(v̂ + e1) + e2)` with
 * wi = shrink·w (AdamW's decoupled decay; shrink is 1 otherwise, and w·1 is w exactly).
 */
@inline function adamAt(o: usize, w: usize, g: usize, m: usize, v: usize, vmax: usize, amsgrad: bool, nadam: bool, a: v128, sg: v128, b1: v128, k1: v128, b2: v128, k2: v128, shrink: v128, wd: v128, decay: v128, e1: v128, e2: v128, wide: bool): void {
  const wi = f32x4.mul(ld(w + o, wide), shrink);
  const d = decayed(ld(g + o, wide), wi, wd, decay);
  const mi = mix(ld(m + o, wide), b1, k1, d);
  st(m + o, mi, wide);
  let vi = mixSq(ld(v + o, wide), b2, k2, d);
  st(v + o, vi, wide);
  if (amsgrad) {
    // The cpu kernel's vmax > v ? vmax : v (a NaN v stays NaN).
    const top = ld(vmax + o, wide);
    vi = v128.bitselect(top, vi, f32x4.gt(top, vi));
    st(vmax + o, vi, wide);
  }
  const denom = root(vi, e1, e2);
  // `a` is NAdam's sm (sg and sm carry the step's sign), Adam's step size otherwise.
  const out = nadam ? f32x4.add(wi, f32x4.div(f32x4.add(f32x4.mul(sg, d), f32x4.mul(a, mi)), denom)) : f32x4.sub(wi, f32x4.div(f32x4.mul(a, mi), denom));
  st(w + o, out, wide);
}

@inline function adamLoop(w: usize, g: usize, m: usize, v: usize, vmax: usize, n: i32, amsgrad: bool, nadam: bool, a: v128, sg: v128, b1: v128, k1: v128, b2: v128, k2: v128, shrink: v128, wd: v128, decay: v128, e1: v128, e2: v128): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) adamAt(<usize>i << 2, w, g, m, v, vmax, amsgrad, nadam, a, sg, b1, k1, b2, k2, shrink, wd, decay, e1, e2, true);
  for (; i < n; i++) adamAt(<usize>i << 2, w, g, m, v, vmax, amsgrad, nadam, a, sg, b1, k1, b2, k2, shrink, wd, decay, e1, e2, false);
}

/**
 * Adam/AdamW/AMSGrad: w ·= shrink; m = b1·m + k1·d; v = b2·v + k2·d²; v̂ = amsgrad ? (vmax = max(vmax, v)) : v;
 * w −= a·m / (√(v̂ + e1) + e2). `vmax` is read only with `amsgrad`.
 */
export function adamUpdate(w: usize, g: usize, m: usize, v: usize, vmax: usize, n: i32, amsgrad: bool, a: f64, b1: f64, k1: f64, b2: f64, k2: f64, shrink: f64, wd: f64, e1: f64, e2: f64): void {
  const av = f32x4.splat(<f32>a), zero = f32x4.splat(0), s = f32x4.splat(<f32>shrink), decay = f32x4.splat(<f32>wd), on = mask(wd != 0);
  const B1 = f32x4.splat(<f32>b1), K1 = f32x4.splat(<f32>k1), B2 = f32x4.splat(<f32>b2), K2 = f32x4.splat(<f32>k2);
  const E1 = f32x4.splat(<f32>e1), E2 = f32x4.splat(<f32>e2);
  if (amsgrad) adamLoop(w, g, m, v, vmax, n, true, false, av, zero, B1, K1, B2, K2, s, decay, on, E1, E2);
  else adamLoop(w, g, m, v, vmax, n, false, false, av, zero, B1, K1, B2, K2, s, decay, on, E1, E2);
}

/** NAdam: w ·= shrink; m and v as Adam's; w += (sg·d + sm·m) / (√(v + e1) + e2). */
export function nadamUpdate(w: usize, g: usize, m: usize, v: usize, n: i32, sg: f64, sm: f64, b1: f64, k1: f64, b2: f64, k2: f64, shrink: f64, wd: f64, e1: f64, e2: f64): void {
  const s = f32x4.splat(<f32>shrink), decay = f32x4.splat(<f32>wd), on = mask(wd != 0);
  const B1 = f32x4.splat(<f32>b1), K1 = f32x4.splat(<f32>k1), B2 = f32x4.splat(<f32>b2), K2 = f32x4.splat(<f32>k2);
  const E1 = f32x4.splat(<f32>e1), E2 = f32x4.splat(<f32>e2);
  adamLoop(w, g, m, v, 0, n, false, true, f32x4.splat(<f32>sm), f32x4.splat(<f32>sg), B1, K1, B2, K2, s, decay, on, E1, E2);
}

// ---- Adamax -------------------------------------------------------------------------------------------------

@inline function adamaxAt(o: usize, w: usize, g: usize, m: usize, u: usize, clr: v128, b1: v128, k1: v128, b2: v128, eps: v128, wd: v128, decay: v128, wide: bool): void {
  const wv = ld(w + o, wide);
  const d = decayed(ld(g + o, wide), wv, wd, decay);
  const mi = mix(ld(m + o, wide), b1, k1, d);
  st(m + o, mi, wide);
  const shrunk = f32x4.mul(ld(u + o, wide), b2);
  const a = f32x4.add(f32x4.abs(d), eps);
  // The cpu kernel's decayed > a ? decayed : a.
  const ui = v128.bitselect(shrunk, a, f32x4.gt(shrunk, a));
  st(u + o, ui, wide);
  st(w + o, f32x4.sub(wv, f32x4.div(f32x4.mul(clr, mi), ui)), wide);
}

/** Adamax: m = b1·m + k1·d; u = max(b2·u, |d| + eps); w −= clr·m/u. */
export function adamaxUpdate(w: usize, g: usize, m: usize, u: usize, n: i32, clr: f64, b1: f64, k1: f64, b2: f64, eps: f64, wd: f64): void {
  const c = f32x4.splat(<f32>clr), B1 = f32x4.splat(<f32>b1), K1 = f32x4.splat(<f32>k1), B2 = f32x4.splat(<f32>b2);
  const e = f32x4.splat(<f32>eps), decay = f32x4.splat(<f32>wd), on = mask(wd != 0);
  let i = 0;
  for (; i + 4 <= n; i += 4) adamaxAt(<usize>i << 2, w, g, m, u, c, B1, K1, B2, e, decay, on, true);
  for (; i < n; i++) adamaxAt(<usize>i << 2, w, g, m, u, c, B1, K1, B2, e, decay, on, false);
}
