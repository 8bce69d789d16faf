import { releaseWithGraph } from '../autograd.js';
import { backendMismatch, getBackend, type Backend } from '../backend.js';
import { argError } from '../shape.js';
import { Tensor } from '../tensor.js';

/** A tensor operand, or a plain number standing for a scalar tensor. */
export type TensorLike = Tensor | number;

/** The backend all operands share (numbers adopt it); mixing backends is an error naming the op. */
export function commonBackend(op: string, ...xs: TensorLike[]): Backend {
  let backend: Backend | null = null;
  for (const x of xs) {
    if (!(x instanceof Tensor)) continue;
    if (!backend) backend = x.backend;
    else if (backend !== x.backend) throw backendMismatch(op, backend.name, x.backend.name);
  }
  return backend ?? getBackend();
}

/** Refuses an operand that is not a tensor (a string, null, an array), naming the op and the argument. */
export function expectTensor(op: string, x: unknown, what = 'x'): asserts x is Tensor {
  if (x instanceof Tensor) return;
  const got = x === null ? 'null' : Array.isArray(x) ? 'an array (wrap it with tensor())' : typeof x === 'object' ? (x.constructor === Object || !x.constructor ? 'an object' : `a ${x.constructor.name}`) : `${typeof x} ${JSON.stringify(x)}`;
  throw argError(op, `${what} must be a Tensor, got ${got}`, { argument: what });
}

/**
 * Hands the scalars made from number operands over to `out`'s graph node, which backward releases; when no
 * graph was recorded, nothing reads them again and they are released now (not left to the collector).
 */
export function settleScalars(out: Tensor, operands: readonly TensorLike[], tensors: readonly Tensor[]): Tensor {
  return releaseWithGraph(out, tensors.filter((_, i) => !(operands[i] instanceof Tensor)));
}

/** The operand as a tensor on `backend`. */
export function asTensor(op: string, x: TensorLike, backend: Backend): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x !== 'number') throw argError(op, `expected a Tensor or a number, got ${x === null ? 'null' : typeof x}`);
  return new Tensor(backend, backend.fill(1, x), []);
}
