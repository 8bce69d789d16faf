import { tensor, type Tensor } from '@nn/tensor';
import type { Optimizer } from '../optimizer.js';

// Helpers for the hand-computed update tests: a parameter, its values, one step with a given gradient.

/** A 1-d parameter (requiresGrad) holding `values`. */
export const param = (values: number[]): Tensor => {
  const p = tensor(values);
  p.requiresGrad = true;
  return p;
};

/** The tensor's values as a plain array. */
export const values = (p: Tensor): number[] => Array.from(p.dataSync());

/** Sets `p.grad` to `g`, takes one optimizer step and returns p's values after it. */
export const oneStep = (opt: Optimizer, p: Tensor, g: number[]): number[] => {
  p.grad = tensor(g);
  opt.step();
  return values(p);
};
