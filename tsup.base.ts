import { defineConfig } from 'tsup';

/** The one build recipe of every package: ESM + CJS + .d.ts for each entry point. */
export const packageConfig = (entry: string[] = ['src/index.ts']) =>
  defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'es2022',
  });
