// The CLI and dashboard tests run the built package (dist/cli.js), as users do: this builds it first when
// dist is missing or older than the sources (in CI, `pnpm test` has just built it).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = fileURLToPath(new URL('../..', import.meta.url));
/** The bin as package.json declares it. */
export const CLI = join(pkg, 'dist', 'cli.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    // Tests and test helpers are not part of the build.
    if (e.isDirectory()) newest = e.name === 'testing' ? newest : Math.max(newest, newestSource(p));
    else if (!e.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Builds @nn/core and @nn/hpo unless their builds are current. Test files run in parallel
 * workers: a lock directory makes one build while the others wait, then find it current.
 */
export function ensureBuilt(): void {
  const lock = join(tmpdir(), `nn-hpo-build-lock-${pkg.replace(/\W/g, '_')}`);
  const wait = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; ; i++) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than 10 minutes was left by a killed run.
      if (Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 600_000) rmSync(lock, { recursive: true, force: true });
      Atomics.wait(wait, 0, 0, 200);
    }
  }
  try {
    // @nn/core first: the built @nn/hpo imports its dist.
    for (const [dir, built] of [[join(pkg, '..', 'core'), join(pkg, '..', 'core', 'dist', 'index.js')], [pkg, CLI]]) {
      if (!existsSync(built) || statSync(built).mtimeMs < newestSource(join(dir, 'src'))) execFileSync('npx', ['tsup'], { cwd: dir, stdio: 'pipe' });
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
