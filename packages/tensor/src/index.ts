/** @module @nn/tensor */
import './cpu/index.js';
// The wasm backend registers here (set up lazily, on first use), so it can be the default.
import './wasm/index.js';
import './methods.js';

export { Tensor, memory, tidy, tidyOwned, keep, keepOwned, type DType, type NestedArray, type GradNode, type BackwardOptions } from './tensor.js';
export { getBackend, setBackend, type Backend, type UnaryOp, type BinaryOp, type ReduceOp, type FusedUpdateRule, type FusedUpdateScalars, type PatchGeometry, type FusedActivation } from './backend.js';
export { cpuBackend } from './cpu/index.js';
export { noGrad, isGradEnabled, setDebugMode, releaseWithGraph, scopedToGraph } from './autograd.js';
export { grad, valueAndGrad, backward } from './grad.js';
export { checkGradients, type GradCheckOptions, type GradCheckResult } from './gradcheck.js';
export { Generator, setSeed, globalGenerator } from './rng.js';
export { broadcastShapes, sizeOf, MAX_TENSOR_SIZE, type Shape } from './shape.js';
export * from './ops/creation.js';
export {
  add, sub, mul, div, pow, maximum, minimum, equal, notEqual, less, lessEqual, greater, greaterEqual, where, clip,
  neg, abs, exp, log, sqrt, square, sin, cos, reciprocal, log1p, expm1, erf, sign, step, floor, round, isFinite,
} from './ops/elementwise.js';
export { sum, sumSquares, mean, max, min, argmax, argmin, variance, logSumExp, sumToShape, type Axis } from './ops/reduce.js';
export { matmul, type MatmulOptions } from './ops/matmul.js';
export { fusedMatmul, type FusedMatmulOptions } from './ops/fused.js';
export { reshape, detach, clone, expandDims, squeeze, broadcastTo, transpose, permute, slice, pad, concat, stack, gather, oneHot } from './ops/layout.js';
export { sigmoid, tanh, relu, leakyRelu, elu, selu, softplus, swish, gelu, mish, hardSigmoid, softmax, logSoftmax } from './ops/activations.js';
export {
  convolution, depthwiseConvolution, transposedConvolution, maxPool, avgPool, convolutionOutputSize, transposedConvolutionOutputSize,
  type WindowOptions, type Pair, type Padding, type ConvolutionOptions, type TransposedConvolutionOptions, type PoolOptions,
} from './ops/conv.js';
export type { TensorLike } from './ops/util.js';
export { assign, fusedUpdate, fullLike, tensorLike, type AssignOptions } from './ops/inplace.js';
