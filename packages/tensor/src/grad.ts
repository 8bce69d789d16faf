import { backward as runBackward } from './autograd.js';
import { add } from './ops/elementwise.js';
import { ones, zerosLike } from './ops/creation.js';
import { detach } from './ops/layout.js';
import { sumToShape } from './ops/reduce.js';
import { argError } from './shape.js';
import { Tensor, type BackwardOptions } from './tensor.js';

/** Runs reverse-mode autodiff from `root` (see Tensor.backward). */
export function backward(root: Tensor, gradient?: Tensor, options?: BackwardOptions): void {
  runBackward(root, gradient, add, ones, sumToShape, options);
}

function differentiate(op: string, f: (...xs: Tensor[]) => Tensor, xs: Tensor[]): { value: Tensor; grads: Tensor[] } {
  if (!xs.length) throw argError(op, 'needs at least one tensor to differentiate with respect to');
  const inputs = xs.map((x) => {
    const leaf = detach(x);
    leaf.requiresGrad = true;
    return leaf;
  });
  const value = f(...inputs);
  if (!(value instanceof Tensor)) throw argError(op, 'f must return a Tensor');
  if (value.size !== 1) throw argError(op, `f must return a scalar, got shape [${value.shape.join(',')}]`);
  if (value.requiresGrad) backward(value);
  // Inputs that f did not use get zero gradients, as in JAX.
  const grads = inputs.map((x) => x.grad ?? zerosLike(x));
  return { value: detach(value), grads };
}

/**
 * `grad(f)` is the function computing ∂f/∂x at its arguments (f returns a scalar): one tensor for one
 * argument, an array for several. The arguments' own `.grad` are untouched.
 */
export function grad(f: (x: Tensor) => Tensor): (x: Tensor) => Tensor;
export function grad(f: (...xs: Tensor[]) => Tensor): (...xs: Tensor[]) => Tensor[];
export function grad(f: (...xs: Tensor[]) => Tensor): (...xs: Tensor[]) => Tensor | Tensor[] {
  return (...xs) => {
    const { grads } = differentiate('grad', f, xs);
    return xs.length === 1 ? grads[0] : grads;
  };
}

/** Like {@link grad}, also returning f's value: `{ value, grads }` (one gradient per argument). */
export function valueAndGrad(f: (...xs: Tensor[]) => Tensor): (...xs: Tensor[]) => { value: Tensor; grads: Tensor[] } {
  return (...xs) => differentiate('valueAndGrad', f, xs);
}
