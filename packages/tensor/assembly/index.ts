// The @nn/tensor/wasm kernels. Storage and its allocator live on the JavaScript side (src/wasm/memory.ts):
// this module owns no heap, so worker instances sharing its memory run the same kernels safely.
export { unary, binary, where, fill } from './elementwise';
export { reduce, argReduce } from './reduce';
export { softmaxRows } from './softmax';
export { copyStrided, gather, scatterAdd, oneHot } from './layout';
export { gemm, packBytes, MR, NR } from './gemm';
export { im2col, col2im } from './conv';

/** Where free memory starts (after the module's static data). */
export function heapBase(): usize {
  return __heap_base;
}
export { sgdUpdate, adagradUpdate, rmspropUpdate, adadeltaUpdate, adamUpdate, nadamUpdate, adamaxUpdate } from './optim';
