import type { BinaryOp, FusedActivation, ReduceOp, UnaryOp } from '../backend.js';

// The kernels' op codes: these orders must match the enums in assembly/elementwise.ts, reduce.ts, gemm.ts.
const UNARY: UnaryOp[] = [
  'neg', 'abs', 'exp', 'log', 'sqrt', 'square', 'sin', 'cos', 'tanh', 'sigmoid', 'relu', 'sign', 'step', 'reciprocal',
  'softplus', 'erf', 'floor', 'round', 'log1p', 'expm1', 'elu', 'leakyRelu', 'selu', 'gelu', 'mish', 'swish', 'hardSigmoid',
  'isFinite',
];
const BINARY: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual'];
const REDUCE: ReduceOp[] = ['sum', 'max', 'min'];

/** The activations the GEMM epilogue applies (see `fusedMatmul`). */
const FUSED_ACTIVATIONS: FusedActivation[] = ['linear', 'relu', 'sigmoid', 'tanh'];

const codes = <T extends string>(names: readonly T[]): Record<T, number> => Object.fromEntries(names.map((n, i) => [n, i])) as Record<T, number>;

export const UNARY_CODE = codes(UNARY);
export const BINARY_CODE = codes(BINARY);
export const REDUCE_CODE = codes(REDUCE);
export const ACTIVATION_CODE = codes(FUSED_ACTIVATIONS);
