// A user imports from several @nn/* packages in one file (`sequential` from layers, `cosineDecay` from schedule,
// `Adam` from optim…); two packages exporting the same name, value or type, make that a compile error or an alias.
// This reads every public entry point (each package's `exports` map) with the TypeScript checker, so type-only
// exports count too.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Clashes the public API (shared/API.md) requires, each with the packages that may share the name: `add` and
 * `reshape` are tensor ops (`@nn/tensor`) and Keras layers (`@nn/layers`), as tfjs has `tf.add` and
 * `tf.layers.add`; a file that needs both imports one under another name (or uses the layer classes).
 */
const REQUIRED_BY_API: Record<string, string[]> = { add: ['@nn/layers', '@nn/tensor'], reshape: ['@nn/layers', '@nn/tensor'] };

/** Every public entry point: `@nn/x` and `@nn/x/sub` with the source file the build makes it from. */
function entryPoints(): { pkg: string; entry: string; file: string }[] {
  const out: { pkg: string; entry: string; file: string }[] = [];
  for (const dir of readdirSync(join(root, 'packages'))) {
    const manifest = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as { name: string; private?: boolean; exports: Record<string, unknown> };
    if (manifest.private) continue;
    for (const key of Object.keys(manifest.exports)) {
      if (key === './package.json') continue;
      const sub = key === '.' ? 'index' : key.slice(2);
      out.push({ pkg: manifest.name, entry: key === '.' ? manifest.name : `${manifest.name}/${sub}`, file: join(root, 'packages', dir, 'src', `${sub}.ts`) });
    }
  }
  return out;
}

describe('export names across @nn/* packages', () => {
  it('no name is exported by two packages', () => {
    const entries = entryPoints();
    const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
    const program = ts.createProgram(entries.map((e) => e.file), { ...config!.options, noEmit: true });
    const checker = program.getTypeChecker();
    const owners = new Map<string, Set<string>>();
    for (const { pkg, file } of entries) {
      const source = program.getSourceFile(file);
      expect(source, file).toBeDefined();
      const symbol = checker.getSymbolAtLocation(source!);
      for (const exported of checker.getExportsOfModule(symbol!)) {
        // Subpaths of one package may repeat a name (a re-export of the same thing); across packages, never.
        const set = owners.get(exported.name) ?? new Set<string>();
        set.add(pkg);
        owners.set(exported.name, set);
      }
    }
    const clashes = [...owners]
      .filter(([name, pkgs]) => pkgs.size > 1 && [...pkgs].sort().join() !== REQUIRED_BY_API[name]?.join())
      .map(([name, pkgs]) => `${name}: ${[...pkgs].join(', ')}`);
    expect(clashes).toEqual([]);
    // The check sees the packages' real surfaces (guards against a resolution slip making it vacuous).
    expect(owners.get('sequential')).toEqual(new Set(['@nn/layers']));
    expect(owners.get('sequentialLR')).toEqual(new Set(['@nn/schedule']));
    expect(owners.get('Schedule')).toEqual(new Set(['@nn/schedule']));
  });
});
