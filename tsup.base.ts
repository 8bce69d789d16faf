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
    // Bundling renames classes that share a name across files (Dense -> _Dense); users see constructor.name
    // in summary() and error messages, so keep the source names.
    keepNames: true,
  });
