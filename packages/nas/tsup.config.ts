import { defineConfig, type Options } from 'tsup';
import { packageConfig } from '../../tsup.base';

// evaluate-worker: the entry point of the worker processes `search` starts for an evaluate module.
// shims: the CommonJS build gets an `import.meta.url`, used to find that entry.
export default defineConfig({ ...(packageConfig(['src/index.ts', 'src/evaluate-worker.ts']) as Options), shims: true });
