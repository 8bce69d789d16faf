import { ErrorCode, NNError } from '@nn/core';
import type { Backend } from './backend.js';
import { argError, fmt, sameShape } from './shape.js';
import { collectTensors, tidy, Tensor, type BackwardOptions, type DType, type GradNode } from './tensor.js';

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
  if (backward && gradEnabled && dtype === 'float32' && anyRequiresGrad(inputs)) {
    out.requiresGrad = true;
    out.node = { op, inputs, backward };
  }
  return out;
}

function anyRequiresGrad(inputs: readonly Tensor[]): boolean {
  for (let i = 0; i < inputs.length; i++) if (inputs[i].requiresGrad) return true;
  return false;
}

const NO_INPUTS: readonly Tensor[] = [];

/** Tensors reachable from `root` through recorded ops, inputs before the tensors made from them. */
function topoSort(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>([root]);
  // A depth-first walk; `next[i]` is the index of the next input of `stack[i]` to visit.
  const stack: Tensor[] = [root];
  const next: number[] = [0];
  while (stack.length) {
    const top = stack.length - 1;
    const inputs = stack[top].node?.inputs ?? NO_INPUTS;
    if (next[top] < inputs.length) {
      const input = inputs[next[top]++];
      if (input.requiresGrad && !seen.has(input)) {
        seen.add(input);
        stack.push(input);
        next.push(0);
      }
    } else {
      order.push(stack.pop()!);
      next.pop();
    }
  }
  return order;
}

/**
 * Reverse-mode autodiff from `root`: walks the graph in reverse topological order and adds (+=) each leaf's
 * gradient into its `.grad`. Then the graph is released, as PyTorch frees the tensors a graph saved: every
 * gradient made on the way, the ops' own constants, and the intermediate tensors between the leaves and
 * `root` (root itself is kept) are disposed at once, not when the garbage collector gets to them, which in a
 * synchronous loop is never. `retainGraph` keeps the graph and its tensors (and allows a second backward).
 */
export function backward(
  root: Tensor,
  seed: Tensor | undefined,
  add: (a: Tensor, b: Tensor) => Tensor,
  ones: (shape: readonly number[]) => Tensor,
  sumToShape: (g: Tensor, shape: readonly number[]) => Tensor,
  { retainGraph = false }: BackwardOptions = {},
): void {
  if (root.node?.freed) freed();
  if (!root.requiresGrad) throw new NNError(ErrorCode.InvalidArgument, 'backward: this tensor does not require gradients (no input had requiresGrad, or it was computed under noGrad)');
  if (!seed && root.size !== 1) throw argError('backward', `called on a tensor of shape ${fmt(root.shape)}; reduce it to a scalar first or pass a gradient`);
  if (seed && !sameShape(seed.shape, root.shape)) throw argError('backward', `gradient shape ${fmt(seed.shape)} differs from tensor shape ${fmt(root.shape)}`);
  const order = topoSort(root);
  // Buffers already handed out: the caller's seed and the leaves' gradients. One gradient tensor (or views of
  // it) may reach several leaves (add's two operands) or be the seed itself; each leaf gets its own copy, as
  // in PyTorch, so clipping one parameter's gradient in place cannot change another's (or the seed).
  const handedOut = new Set<unknown>(seed ? [seed.storage] : []);
  const leafGrads = new Set<Tensor>();
  const owned: Tensor[] = [];
  // tidy releases every tensor made in here (the gradients of intermediates, the default seed, what the
  // ops' backward functions compute) except the gradients handed to the leaves, which it returns.
  tidy(() => noGrad(() => {
    const grads = new Map<Tensor, Tensor>([[root, seed ?? ones(root.shape)]]);
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i];
      const g = grads.get(t);
      grads.delete(t);
      if (!g) continue;
      if (!t.node) {
        let own: Tensor;
        if (t.grad) {
          own = add(t.grad, g);
        } else {
          // The copy is made on the backend (slice): no readback and re-upload on a device.
          own = handedOut.has(g.storage) ? new Tensor(g.backend, g.backend.slice(g.storage, [g.size], [0], [g.size]), g.shape, g.dtype) : g;
          handedOut.add(own.storage);
        }
        t.adoptGrad(own);
        leafGrads.add(own);
        continue;
      }
      const node = t.node;
      const { inputs, backward: fn, op } = node;
      const inputGrads = fn(g);
      for (let k = 0; k < inputs.length; k++) {
        const input = inputs[k];
        const gi = inputGrads[k];
        if (!gi || !input.requiresGrad) continue;
        const reduced = sameShape(gi.shape, input.shape) ? gi : sumToShape(gi, input.shape);
        if (!sameShape(reduced.shape, input.shape)) throw new NNError('INTERNAL', `backward of ${op}: gradient shape ${fmt(reduced.shape)} for input of shape ${fmt(input.shape)}`);
        const prev = grads.get(input);
        grads.set(input, prev ? add(prev, reduced) : reduced);
      }
      if (retainGraph) continue;
      t.node = { op, inputs: [], backward: freed, freed: true };
      // Every consumer of t is processed before t (reverse topological order), so nothing reads it again.
      if (t !== root && !leafGrads.has(t)) t.release(RELEASED);
      // Constants may feed several nodes of the graph: they go when the whole graph is done.
      if (node.owned) owned.push(...node.owned);
    }
    for (const c of owned) c.dispose();
    return [...leafGrads];
  }));
}

/**
 * Hands tensors an op made for itself (a number operand as a scalar, a composite op's shift or mask) to
 * `result`'s graph, which backward releases with the rest of the graph; without a graph nothing reads them
 * again, so they are released now. Composite ops of other packages (a loss's one-hot targets, dropout's
 * mask) use it too, so a loop without tidy leaves nothing to the garbage collector.
 */
export function releaseWithGraph<T extends Tensor>(result: T, temps: readonly Tensor[]): T {
  if (result.node && !result.node.freed) (result.node.owned ??= []).push(...temps);
  else for (const t of temps) if (t !== result) t.dispose();
  return result;
}

/**
 * Runs `fn`, an op composed of other ops (a loss, a dropout layer), and hands every tensor it made outside
 * the graph (transformed targets, masks, constants) to the result's graph with {@link releaseWithGraph}.
 * The tensors on the graph are released by backward already. `fn` must not keep what it makes.
 */
export function scopedToGraph<T extends Tensor>(fn: () => T): T {
  const made = collectTensors(fn);
  return releaseWithGraph(made.result, made.tensors.filter((t) => t !== made.result && !t.node && !t.isDisposed));
}

const RELEASED = 'released by backward(), as an intermediate of its graph: read it before backward(), or pass { retainGraph: true }';

const freed = (): never => {
  throw new NNError(ErrorCode.InvalidArgument, 'backward: this graph was already used by backward() and freed');
};

export { Tensor };
