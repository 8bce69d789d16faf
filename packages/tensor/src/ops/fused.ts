import { record } from '../autograd.js';
import type { FusedActivation } from '../backend.js';
import { argError, fmt, shapeError } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { sigmoid, relu, tanh } from './activations.js';
import { add, greater, mul, square, sub } from './elementwise.js';
import { matmul, matmulGrads, matmulShape, type MatmulOptions } from './matmul.js';
import { sumToShape } from './reduce.js';
import { commonBackend, expectTensor } from './util.js';

export interface FusedMatmulOptions extends MatmulOptions {
  /** Added to every row: shape `[n]`, the output's last axis. */
  bias?: Tensor;
  /** Applied last; default 'linear' (none). */
  activation?: FusedActivation;
}

const ACTIVATIONS: Record<FusedActivation, ((x: Tensor) => Tensor) | null> = { linear: null, relu, sigmoid, tanh };

/** The activation's derivative times `g`, written with the output `y` (each of these is a function of y). */
function activationGrad(activation: FusedActivation, g: Tensor, y: Tensor): Tensor {
  switch (activation) {
    case 'relu':
      return mul(g, greater(y, 0));
    case 'sigmoid':
      return mul(g, mul(y, sub(1, y)));
    case 'tanh':
      return mul(g, sub(1, square(y)));
    default:
      return g;
  }
}

/**
 * `activation(matmul(a, b) + bias)`, a dense layer's forward, as one kernel where the backend has one (the
 * wasm backend runs bias and activation in its GEMM's epilogue, while the output is still in cache) and as
 * the three ops elsewhere, with the same values and gradients.
 */
export function fusedMatmul(a: Tensor, b: Tensor, { transposeA = false, transposeB = false, bias, activation = 'linear' }: FusedMatmulOptions = {}): Tensor {
  expectTensor('fusedMatmul', a, 'a');
  expectTensor('fusedMatmul', b, 'b');
  if (!Object.prototype.hasOwnProperty.call(ACTIVATIONS, activation)) {
    throw argError('fusedMatmul', `activation must be one of ${Object.keys(ACTIVATIONS).join(', ')}, got ${String(activation)}`);
  }
  const shape = matmulShape(a, b, { transposeA, transposeB });
  if (bias !== undefined) {
    expectTensor('fusedMatmul', bias, 'bias');
    if (bias.rank !== 1 || bias.shape[0] !== shape[shape.length - 1]) throw shapeError('fusedMatmul', `bias must have shape [${shape[shape.length - 1]}], got ${fmt(bias.shape)}`);
  }
  const backend = bias ? commonBackend('fusedMatmul', a, b, bias) : commonBackend('fusedMatmul', a, b);
  if (!backend.fusedMatmul) {
    const act = ACTIVATIONS[activation];
    const z = matmul(a, b, { transposeA, transposeB });
    const biased = bias ? add(z, bias) : z;
    return act ? act(biased) : biased;
  }
  const storage = backend.fusedMatmul(a.storage, a.shape, b.storage, b.shape, transposeA, transposeB, shape, bias ? bias.storage : null, activation);
  const inputs = bias ? [a, b, bias] : [a, b];
  const out: Tensor = record('fusedMatmul', inputs, backend, storage, shape, (g) => {
    const gz = activationGrad(activation, g, out);
    const [ga, gb] = matmulGrads(a, b, gz, { transposeA, transposeB });
    return bias ? [ga, gb, bias.requiresGrad ? sumToShape(gz, bias.shape) : null] : [ga, gb];
  });
  return out;
}
