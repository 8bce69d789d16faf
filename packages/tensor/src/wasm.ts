/** @module @nn/tensor/wasm */
// The @nn/tensor/wasm subpath: initWasmBackend and the backend's info. The backend itself is registered
// (as 'wasm') by @nn/tensor, and is its default where WebAssembly SIMD is available.
export * from './wasm/index.js';
