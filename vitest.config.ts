import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const packages = fileURLToPath(new URL('./packages/', import.meta.url));

// Tests import @nn/* by name; resolving to each package's src means no build is needed to test.
export default defineConfig({
  resolve: {
    alias: [
      // Node resolves @nn/layers to its Node build (the file-system save/load), as the `node` export condition does.
      { find: /^@nn\/layers$/, replacement: `${packages}layers/src/node.ts` },
      { find: /^@nn\/([^/]+)$/, replacement: `${packages}$1/src/index.ts` },
      { find: /^@nn\/([^/]+)\/(.+)$/, replacement: `${packages}$1/src/$2.ts` },
    ],
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'examples/*/src/**/*.test.ts', 'scripts/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'threads',
    // Golden files and hand-computed values assume the cpu backend's float64 arithmetic; the default would be
    // wasm (see @nn/tensor's README). Suites that test wasm select it explicitly.
    env: { NN_BACKEND: 'cpu' },
  },
});
