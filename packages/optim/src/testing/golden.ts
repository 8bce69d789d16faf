// Test helpers around the PyTorch golden file (not part of the package's build: tsup bundles from index.ts).
import { sin, tensor, type Tensor } from '@nn/tensor';
import golden from '../fixtures/optim.json';
import * as optim from '../index.js';
import type { Optimizer } from '../optimizer.js';

type Nested = number[] | number[][];
export interface GoldenCase {
  optimizer: string;
  options: Record<string, unknown>;
  clip: { mode: 'norm' | 'value'; value: number } | null;
  losses: number[];
  params_after_each_step: { w: Nested; b: Nested }[];
}

export const cases = golden.cases as GoldenCase[];

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const CLASSES = optim as unknown as Record<string, new (params: Tensor[], options: Record<string, unknown>) => Optimizer>;

const term = (p: Tensor, c: Nested, t: Nested) => tensor(c).mul(p.sub(tensor(t)).square()).sum().add(sin(p.mul(3)).sum().mul(0.1));

/**
 * The golden problem: parameters `w[3,4]` and `b[4]` (at the initial values, or at `start`), and the loss
 * `sum(c*(p-t)^2) + 0.1*sum(sin(3p))` as a tensor expression, so gradients come from @nn/tensor's autograd.
 */
export function problem(start?: { w: ArrayLike<number>; b: ArrayLike<number> }) {
  const w = start ? tensor(Array.from(start.w), [3, 4]) : tensor(golden.init.w);
  const b = start ? tensor(Array.from(start.b), [4]) : tensor(golden.init.b);
  w.requiresGrad = true;
  b.requiresGrad = true;
  const loss = () => term(w, golden.c.w, golden.t.w).add(term(b, golden.c.b, golden.t.b));
  return { w, b, loss };
}

/** The case's options in our names (camelCase), with its clipping as optimizer options. */
export function optionsOf(c: GoldenCase): Record<string, unknown> {
  const options: Record<string, unknown> = Object.fromEntries(Object.entries(c.options).map(([k, v]) => [camel(k), v]));
  // PyTorch 1.13, which made the golden file, had a NAdam bug fixed in 2.0; our default is the fixed form.
  if (c.optimizer === 'NAdam') options.legacyMuProduct = true;
  if (c.clip?.mode === 'norm') options.clipNorm = c.clip.value;
  if (c.clip?.mode === 'value') options.clipValue = c.clip.value;
  return options;
}

/** The case's optimizer over `params`. */
export function build(c: GoldenCase, params: Tensor[], extra: Record<string, unknown> = {}): Optimizer {
  return new CLASSES[c.optimizer](params, { ...optionsOf(c), ...extra });
}

/** One training step: zero, forward, backward, update; returns the loss before the step. */
export function trainStep(opt: Optimizer, loss: () => Tensor): number {
  opt.zeroGrad();
  const l = loss();
  const value = l.item();
  l.backward();
  opt.step();
  return value;
}

export const label = (c: GoldenCase, i: number) => `#${i} ${c.optimizer} ${JSON.stringify(c.options)}${c.clip ? ` clip ${c.clip.mode} ${c.clip.value}` : ''}`;
