import { packageConfig } from '../../tsup.base';

// src/gpu.ts is the @nn/tensor/gpu subpath; gpu.js (an optional peer dependency) stays external.
export default packageConfig(['src/index.ts', 'src/gpu.ts']);
