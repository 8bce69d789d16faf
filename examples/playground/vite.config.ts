import { defineConfig } from 'vite';

// The @nn/* packages resolve through their package.json exports to dist/ (run `pnpm build` first), as a user's
// app would see them. A relative base lets dist/ be served from any path.
export default defineConfig({
  base: './',
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
  worker: { format: 'es' },
});
