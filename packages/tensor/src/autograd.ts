import { ErrorCode, NNError } from '@nn/core';
import type { Backend } from './backend.js';
import { argError, fmt } from './shape.js';
import { Tensor, type DType, type GradNode } from './tensor.js';

let gradEnabled = true;
let debug = false;

/** Runs `fn` without recording gradients (inference, optimizer updates, metrics). */
export function noGrad<T>(fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

export const isGradEnabled = (): boolean => gradEnabled;

/**
 * Debug mode checks every op's output for NaN/Infinity and throws at the first op that made one, naming
 * it and its input shapes. It reads every result back, so it is slow: for hunting a divergence only.
 */
export function setDebugMode(on: boolean): void {
  debug = on;
}

/**
 * Wraps a kernel's output as the result of `op`, recording `backward` when any input needs gradients.
 * Every op goes through here, so autograd and debug checks are defined once for all backends.
 */
export function record(
  op: string,
  inputs: readonly Tensor[],
  backend: Backend,
  storage: unknown,
  shape: readonly number[],
  backward?: GradNode['backward'],
  dtype: DType = 'float32',
  shareWith?: Tensor,
): Tensor {
  const out = new Tensor(backend, storage, shape, dtype, shareWith);
  if (debug && dtype === 'float32') {
    const values = backend.read(out.storage, out.size);
    for (let i = 0; i < out.size; i++) {
      if (!Number.isFinite(values[i])) {
        throw new NNError('NON_FINITE', `${op}: produced ${values[i]} at flat index ${i} (inputs ${inputs.map((t) => fmt(t.shape)).join(', ') || 'none'}, output ${fmt(shape)})`, { op });
      }
    }
  }
  if (backward && gradEnabled && dtype === 'float32' && inputs.some((t) => t.requiresGrad)) {
    out.requiresGrad = true;
    out.node = { op, inputs, backward };
  }
  return out;
}

/** Tensors reachable from `root` through recorded ops, inputs before the tensors made from them. */
function topoSort(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>([root]);
  const stack: [Tensor, number][] = [[root, 0]];
  while (stack.length) {
    const top = stack[stack.length - 1];
    const inputs = top[0].node?.inputs ?? [];
    if (top[1] < inputs.length) {
      const next = inputs[top[1]++];
      if (next.requiresGrad && !seen.has(next)) {
        seen.add(next);
        stack.push([next, 0]);
      }
    } else {
      order.push(top[0]);
      stack.pop();
    }
  }
  return order;
}

/**
 * Reverse-mode autodiff from `root`: walks the graph in reverse topological order and adds (+=) each leaf's
 * gradient into its `.grad`. The graph is freed afterwards, as in PyTorch.
 */
export function backward(root: Tensor, seed: Tensor | undefined, add: (a: Tensor, b: Tensor) => Tensor, ones: (shape: readonly number[]) => Tensor, sumToShape: (g: Tensor, shape: readonly number[]) => Tensor): void {
  if (root.node?.freed) freed();
  if (!root.requiresGrad) throw new NNError(ErrorCode.InvalidArgument, 'backward: this tensor does not require gradients (no input had requiresGrad, or it was computed under noGrad)');
  if (!seed && root.size !== 1) throw argError('backward', `called on a tensor of shape ${fmt(root.shape)}; reduce it to a scalar first or pass a gradient`);
  if (seed && seed.shape.join() !== root.shape.join()) throw argError('backward', `gradient shape ${fmt(seed.shape)} differs from tensor shape ${fmt(root.shape)}`);
  const order = topoSort(root);
  const grads = new Map<Tensor, Tensor>([[root, seed ?? ones(root.shape)]]);
  // Buffers already handed out: the caller's seed and the leaves' gradients. One gradient tensor (or views of
  // it) may reach several leaves (add's two operands) or be the seed itself; each leaf gets its own copy, as
  // in PyTorch, so clipping one parameter's gradient in place cannot change another's (or the seed).
  const handedOut = new Set<unknown>(seed ? [seed.storage] : []);
  noGrad(() => {
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i];
      const g = grads.get(t);
      grads.delete(t);
      if (!g) continue;
      if (!t.node) {
        if (t.grad) {
          t.grad = add(t.grad, g);
        } else {
          const own = handedOut.has(g.storage) ? new Tensor(g.backend, g.backend.upload(g.backend.read(g.storage, g.size).subarray(0, g.size)), g.shape, g.dtype) : g;
          handedOut.add(own.storage);
          t.grad = own;
        }
        continue;
      }
      const { inputs, backward: fn, op } = t.node;
      const inputGrads = fn(g);
      inputs.forEach((input, k) => {
        const gi = inputGrads[k];
        if (!gi || !input.requiresGrad) return;
        const reduced = gi.shape.join() === input.shape.join() ? gi : sumToShape(gi, input.shape);
        if (reduced.shape.join() !== input.shape.join()) throw new NNError('INTERNAL', `backward of ${op}: gradient shape ${fmt(reduced.shape)} for input of shape ${fmt(input.shape)}`);
        const prev = grads.get(input);
        grads.set(input, prev ? add(prev, reduced) : reduced);
      });
      t.node = { op, inputs: [], backward: freed, freed: true };
    }
  });
}

const freed = (): never => {
  throw new NNError(ErrorCode.InvalidArgument, 'backward: this graph was already used by backward() and freed');
};

export { Tensor };
