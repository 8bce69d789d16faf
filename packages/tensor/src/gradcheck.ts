import { noGrad } from './autograd.js';
import { valueAndGrad } from './grad.js';
import { tensor } from './ops/creation.js';
import type { Tensor } from './tensor.js';

export interface GradCheckOptions {
  /** Central-difference step. */
  eps?: number;
  /** Allowed |analytic − numeric| ≤ atol + rtol·|numeric|. */
  atol?: number;
  rtol?: number;
}

export interface GradCheckResult {
  ok: boolean;
  /** The worst entry: which input, flat index, both values. */
  worst: { input: number; index: number; analytic: number; numeric: number; error: number } | null;
}

/**
 * Compares autograd's gradient of the scalar `f` with central differences. The function is evaluated in
 * float32 (the backends' precision) but the differences are formed and compared in float64, with `f`'s
 * output summed in float64 — so use smooth test points away from kinks, and a step around 1e-2..1e-3.
 */
export function checkGradients(f: (...xs: Tensor[]) => Tensor, inputs: Tensor[], { eps = 1e-2, atol = 1e-3, rtol = 1e-2 }: GradCheckOptions = {}): GradCheckResult {
  const analytic = valueAndGrad(f)(...inputs).grads.map((g) => g.dataSync());
  const values = inputs.map((x) => Float64Array.from(x.dataSync()));
  const evalAt = (k: number, i: number, delta: number): number =>
    noGrad(() => {
      const args = inputs.map((x, j) => {
        if (j !== k) return x;
        const v = Float32Array.from(values[j]);
        v[i] = values[j][i] + delta;
        return tensor(v, x.shape);
      });
      return f(...args).dataSync().reduce((s, v) => s + v, 0);
    });
  let worst: GradCheckResult['worst'] = null;
  let ok = true;
  inputs.forEach((x, k) => {
    for (let i = 0; i < x.size; i++) {
      // The step actually taken in float32, so the quotient uses the true distance between the points.
      const up = Math.fround(values[k][i] + eps) - values[k][i];
      const down = values[k][i] - Math.fround(values[k][i] - eps);
      const numeric = (evalAt(k, i, up) - evalAt(k, i, -down)) / (up + down);
      const error = Math.abs(analytic[k][i] - numeric);
      if (error > atol + rtol * Math.abs(numeric)) ok = false;
      if (!worst || error > worst.error) worst = { input: k, index: i, analytic: analytic[k][i], numeric, error };
    }
  });
  return { ok, worst };
}
