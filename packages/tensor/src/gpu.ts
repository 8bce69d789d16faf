/** @module @nn/tensor/gpu */
// The @nn/tensor/gpu subpath: importing it registers the 'gpujs' backend (gpu.js is an optional peer
// dependency, imported only from here, so users of the cpu backend never load it).
export * from './gpu/index.js';
