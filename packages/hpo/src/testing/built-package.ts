// The CLI and dashboard tests run the built package (dist/cli.js), as users do: this builds it first when
// dist is missing or older than the sources (in CI, `pnpm test` has just built it).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = fileURLToPath(new URL('../..', import.meta.url));
/** The bin as package.json declares it. */
export const CLI = join(pkg, 'dist', 'cli.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds @nn/hpo (and @nn/core, when it has no dist) unless the build is current. */
export function ensureBuilt(): void {
  const core = join(pkg, '..', 'core');
  if (!existsSync(join(core, 'dist', 'index.js'))) execFileSync('npx', ['tsup'], { cwd: core, stdio: 'pipe' });
  if (!existsSync(CLI) || statSync(CLI).mtimeMs < newestSource(join(pkg, 'src'))) execFileSync('npx', ['tsup'], { cwd: pkg, stdio: 'pipe' });
}
