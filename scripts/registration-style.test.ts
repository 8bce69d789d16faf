// One way to register: every registry kind is declared (RegistryKinds), so `registry.register(kind, name, Class)`
// type-checks everywhere. A cast to an untyped `register` hides a kind nobody declared; this keeps them out.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('registration style', () => {
  it('no package source registers through an untyped cast of the registry', () => {
    const files = readdirSync(join(root, 'packages')).flatMap((p) => sources(join(root, 'packages', p, 'src')));
    expect(files.length).toBeGreaterThan(50);
    const untyped = files.filter((f) => /as unknown as \{[^}]*register\(/.test(readFileSync(f, 'utf8'))).map((f) => relative(root, f));
    expect(untyped).toEqual([]);
  });

  it('no package source wraps registry.register in a kind-specific helper (registerLayer and the like)', () => {
    const files = readdirSync(join(root, 'packages')).flatMap((p) => sources(join(root, 'packages', p, 'src')));
    const wrappers = files.filter((f) => /export (const|function) register[A-Z]\w*\b[^\n]*registry\.register\(/.test(readFileSync(f, 'utf8'))).map((f) => relative(root, f));
    expect(wrappers).toEqual([]);
  });
});
