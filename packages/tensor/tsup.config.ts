import { packageConfig } from '../../tsup.base';

// src/gpu.ts is the @nn/tensor/gpu subpath; gpu.js (an optional peer dependency) stays external.
// src/wasm.ts is @nn/tensor/wasm (its module is embedded in src/wasm/kernels.generated.ts by the build).
export default packageConfig(['src/index.ts', 'src/gpu.ts', 'src/wasm.ts']);
