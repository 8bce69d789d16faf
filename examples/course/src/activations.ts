import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, NNError } from '@nn/core';
import {
  elu, gelu, grad, hardSigmoid, leakyRelu, mish, relu, selu, sigmoid, sign, softplus, step, sum, swish, tanh, tensor, type Tensor,
} from '@nn/tensor';
import { plotCurves } from './svg.js';

/** Every activation of the course, as the tensor op that computes it, with its formula for the picture. */
export const ACTIVATIONS: Record<string, { f: (x: Tensor) => Tensor; formula: string }> = {
  step: { f: step, formula: 'step(x) = 1 for x > 0, else 0' },
  sign: { f: sign, formula: 'sign(x)' },
  sigmoid: { f: sigmoid, formula: 'σ(x) = 1/(1 + e^−x)' },
  tanh: { f: tanh, formula: 'tanh(x)' },
  relu: { f: relu, formula: 'relu(x) = max(0, x)' },
  leakyRelu: { f: (x) => leakyRelu(x, 0.01), formula: 'leakyRelu(x) = max(0.01x, x)' },
  elu: { f: (x) => elu(x, 1), formula: 'elu(x) = x for x > 0, else e^x − 1' },
  selu: { f: selu, formula: 'selu(x) = λ·elu_α(x), λ ≈ 1.0507, α ≈ 1.6733' },
  softplus: { f: softplus, formula: 'softplus(x) = ln(1 + e^x)' },
  swish: { f: (x) => swish(x, 1), formula: 'swish(x) = x·σ(x)' },
  gelu: { f: gelu, formula: 'gelu(x) = x·Φ(x)' },
  mish: { f: mish, formula: 'mish(x) = x·tanh(softplus(x))' },
  hardSigmoid: { f: hardSigmoid, formula: 'hardSigmoid(x) = min(max(x/6 + 1/2, 0), 1)' },
};

export interface ActivationCurve {
  xs: number[];
  /** f(x) */
  ys: number[];
  /** f'(x), by autograd: the gradient the backward pass really uses (0 at a kink, as in PyTorch). */
  dys: number[];
}

/** f and f' of activation `name` on `n` points evenly spaced over [lo, hi] (default 161 points over [−4, 4]). */
export function activationCurve(name: string, { lo = -4, hi = 4, n = 161 } = {}): ActivationCurve {
  const entry = ACTIVATIONS[name];
  if (!entry) throw new NNError(ErrorCode.InvalidArgument, `activationCurve: unknown activation "${name}" (known: ${Object.keys(ACTIVATIONS).join(', ')})`);
  const xs = Array.from({ length: n }, (_, i) => Number((lo + ((hi - lo) * i) / (n - 1)).toFixed(10)));
  const x = tensor(xs);
  const ys = Array.from(entry.f(x).dataSync());
  // f acts elementwise, so the gradient of sum(f(x)) is f'(x) at every point.
  const dys = Array.from(grad((t: Tensor) => sum(entry.f(t)))(x).dataSync());
  return { xs, ys, dys };
}

/** The SVG of activation `name` (solid) and its derivative (dashed). */
export function activationSvg(name: string): string {
  const { xs, ys, dys } = activationCurve(name);
  return plotCurves(xs, [{ name: ACTIVATIONS[name].formula, ys, color: '#1f77b4' }, { name: `${name}'(x)`, ys: dys, color: '#d62728', dashed: true }], { title: name });
}

/** Writes `<name>.svg` for every activation into `dir`; returns the paths. */
export function writeActivationSvgs(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  return Object.keys(ACTIVATIONS).map((name) => {
    const path = join(dir, `${name}.svg`);
    // Write beside, then rename: a reader never sees half a file.
    writeFileSync(`${path}.tmp`, activationSvg(name));
    renameSync(`${path}.tmp`, path);
    return path;
  });
}
