import type { FusedUpdateRule, FusedUpdateScalars } from '../backend.js';
import { backendMismatch } from '../backend.js';
import { argError, fmt } from '../shape.js';
import { Tensor } from '../tensor.js';
import { mul } from './elementwise.js';
import { noGrad } from '../autograd.js';

export interface AssignOptions {
  /** Hand `value` over: it is disposed, and a backend that cannot copy in place takes its storage as is. */
  move?: boolean;
  /**
   * Write `value · scale` instead (a number, or a one-element tensor on the target's backend, so a factor
   * computed on a device is not read back): one pass with no new storage where the backend has an
   * `assignScaled` kernel (cpu, wasm), else `mul` then assign. `assign(g, g, { scale })` scales in place.
   */
  scale?: Tensor | number;
}

/**
 * Writes `value` into `target` in place (same size; a number fills it), keeping `target`'s identity: how
 * an optimizer updates a parameter, or batch norm its running statistics, without leaving the backend —
 * `assign(p, sub(p, mul(p.grad, lr)), { move: true })`. No gradient is recorded. Returns `target`.
 */
export function assign(target: Tensor, value: Tensor | number, { move = false, scale }: AssignOptions = {}): Tensor {
  if (!(target instanceof Tensor)) throw argError('assign', `target must be a Tensor, got ${target === null ? 'null' : typeof target}`);
  if (typeof value === 'number') return scale === undefined ? target.assign(fullLike(target, value), true) : assignScaled(target, fullLike(target, value), true, scale);
  return scale === undefined ? target.assign(value, move) : assignScaled(target, value, move, scale);
}

function assignScaled(target: Tensor, value: Tensor, move: boolean, scale: Tensor | number): Tensor {
  target.assignable(value);
  const backend = target.backend;
  const factor = typeof scale === 'number' ? new Tensor(backend, backend.fill(1, scale), []) : scale;
  try {
    if (!(factor instanceof Tensor) || factor.size !== 1) throw argError('assign', `scale must be a number or a one-element tensor, got ${factor instanceof Tensor ? `shape ${fmt(factor.shape)}` : String(factor)}`);
    if (factor.backend !== backend) throw backendMismatch('assign (scale)', backend.name, factor.backend.name);
    if (backend.assignScaled?.(target.storage, value.storage, target.size, factor.storage)) {
      if (move && value !== target) value.dispose();
      return target;
    }
    const scaled = noGrad(() => mul(value, factor));
    if (move && value !== target) value.dispose();
    return target.assign(scaled, true);
  } finally {
    if (factor !== scale) factor.dispose();
  }
}

/**
 * Runs the backend's fused update `rule` on `param` and its `state` tensors in place, reading `grad` (one
 * pass over all of them; see `Backend.fusedUpdate` for the formulas and `scalars`). Returns false, having
 * changed nothing, when the backend has no such kernel: the caller then applies the rule with tensor ops.
 */
export function fusedUpdate(rule: FusedUpdateRule, param: Tensor, grad: Tensor, state: Readonly<Record<string, Tensor>>, scalars: FusedUpdateScalars): boolean {
  const backend = param.backend;
  if (!backend.fusedUpdate) return false;
  checkOperand(rule, param, 'grad', grad);
  const storages: Record<string, unknown> = {};
  for (const name of Object.keys(state)) {
    checkOperand(rule, param, name, state[name]);
    storages[name] = state[name].storage;
  }
  return backend.fusedUpdate(rule, param.storage, grad.storage, storages, param.size, scalars);
}

/** Refuses a gradient or state tensor of a fused update that lives elsewhere or differs in size from the parameter. */
function checkOperand(rule: FusedUpdateRule, param: Tensor, name: string, t: Tensor): void {
  if (t.backend !== param.backend) throw backendMismatch(`fusedUpdate (${rule}): ${name}`, param.backend.name, t.backend.name);
  if (t.size !== param.size) throw argError(`fusedUpdate (${rule})`, `${name} has shape ${fmt(t.shape)}; the parameter has ${fmt(param.shape)}`);
}

/** A tensor of `x`'s shape, on `x`'s backend, filled with `value` (optimizer state starts so). */
export function fullLike(x: Tensor, value: number): Tensor {
  return new Tensor(x.backend, x.backend.fill(x.size, value), x.shape);
}

/** A tensor of `x`'s shape, on `x`'s backend, holding a copy of `values` (restored optimizer state). */
export function tensorLike(x: Tensor, values: Float32Array): Tensor {
  if (values.length !== x.size) throw argError('tensorLike', `${values.length} values for shape ${fmt(x.shape)}`);
  return new Tensor(x.backend, x.backend.upload(values), x.shape);
}
