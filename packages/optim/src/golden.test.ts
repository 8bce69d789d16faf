import { sin, tensor, type Tensor } from '@nn/tensor';
import { describe, expect, it } from 'vitest';
import golden from './fixtures/optim.json';
import * as optim from './index.js';
import type { Optimizer } from './optimizer.js';

type Nested = number[] | number[][];
interface Case {
  optimizer: string;
  options: Record<string, unknown>;
  clip: { mode: 'norm' | 'value'; value: number } | null;
  losses: number[];
  params_after_each_step: { w: Nested; b: Nested }[];
}

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const CLASSES = optim as unknown as Record<string, new (params: Tensor[], options: Record<string, unknown>) => Optimizer>;

/** The golden problem: parameters at their initial values, and the loss as a tensor expression (autograd). */
export function problem() {
  const w = tensor(golden.init.w);
  const b = tensor(golden.init.b);
  w.requiresGrad = true;
  b.requiresGrad = true;
  const term = (p: Tensor, c: number[] | number[][], t: number[] | number[][]) => tensor(c).mul(p.sub(tensor(t)).square()).sum().add(sin(p.mul(3)).sum().mul(0.1));
  const loss = () => term(w, golden.c.w, golden.t.w).add(term(b, golden.c.b, golden.t.b));
  return { w, b, loss };
}

/** The case's optimizer, with PyTorch's option names mapped to ours and the clipping as optimizer options. */
export function build(c: Case, params: Tensor[], extra: Record<string, unknown> = {}): Optimizer {
  const options: Record<string, unknown> = Object.fromEntries(Object.entries(c.options).map(([k, v]) => [camel(k), v]));
  // PyTorch 1.13 (which made the golden file) had a NAdam bug fixed in 2.0; our default is the fixed form.
  if (c.optimizer === 'NAdam') options.legacyMuProduct = true;
  if (c.clip?.mode === 'norm') options.clipNorm = c.clip.value;
  if (c.clip?.mode === 'value') options.clipValue = c.clip.value;
  return new CLASSES[c.optimizer](params, { ...options, ...extra });
}

const close = (actual: ArrayLike<number>, expected: number[], where: string) => {
  for (let i = 0; i < expected.length; i++) {
    const tol = 1e-6 + 1e-5 * Math.abs(expected[i]);
    if (!(Math.abs(actual[i] - expected[i]) <= tol)) throw new Error(`${where}[${i}]: ${actual[i]} vs PyTorch ${expected[i]} (|diff| ${Math.abs(actual[i] - expected[i])} > ${tol})`);
  }
};

export const cases = golden.cases as Case[];
const label = (c: Case, i: number) => `#${i} ${c.optimizer} ${JSON.stringify(c.options)}${c.clip ? ` clip ${c.clip.mode} ${c.clip.value}` : ''}`;

describe('golden: PyTorch 1.13, 16 cases x 40 steps', () => {
  it('has the 16 cases', () => expect(cases).toHaveLength(16));
  cases.forEach((c, i) => {
    it(label(c, i), () => {
      const { w, b, loss } = problem();
      const opt = build(c, [w, b]);
      for (let s = 0; s < c.losses.length; s++) {
        opt.zeroGrad();
        const l = loss();
        close([l.item()], [c.losses[s]], `step ${s} loss`);
        l.backward();
        opt.step();
        const want = c.params_after_each_step[s];
        close(w.dataSync(), want.w.flat(), `step ${s} w`);
        close(b.dataSync(), want.b.flat(), `step ${s} b`);
      }
    });
  });
});
