// The packaging check: pack every publishable package, install the tarballs with plain npm into a folder
// outside the workspace, one package at a time (with only the @nn/* packages it depends on), and load it
// from both ESM and CommonJS. This is what a user who runs `npm install @nn/optim` alone gets. Then all of them
// together, with a strict TypeScript program that uses each package (scripts/consumer).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkConsumer } from './consumer/check.mjs';

const root = new URL('..', import.meta.url).pathname;
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });

const packages = readdirSync(join(root, 'packages'))
  .map((dir) => ({ dir: join(root, 'packages', dir), pkg: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) }))
  .filter(({ pkg }) => !pkg.private);
const byName = new Map(packages.map((p) => [p.pkg.name, p]));

const work = mkdtempSync(join(tmpdir(), 'nn-pack-check-'));
const tarballs = new Map();
for (const { dir, pkg } of packages) {
  const out = run('pnpm', ['pack', '--pack-destination', work], dir).trim().split('\n').pop();
  tarballs.set(pkg.name, out.startsWith('/') ? out : join(work, out));
}

// The @nn/* packages a package needs at run time, transitively.
const closure = (name, seen = new Set()) => {
  if (seen.has(name)) return seen;
  seen.add(name);
  for (const dep of Object.keys(byName.get(name).pkg.dependencies ?? {})) if (byName.has(dep)) closure(dep, seen);
  return seen;
};

let failed = 0;
for (const { pkg } of packages) {
  const app = join(work, `app-${pkg.name.replace('/', '-')}`);
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, version: '0.0.0' }));
  try {
    const files = [...closure(pkg.name)].map((n) => tarballs.get(n));
    run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--omit=peer', ...files], app);
    const esm = run('node', ['--input-type=module', '-e', `const m = await import('${pkg.name}'); console.log(Object.keys(m).length);`], app).trim();
    const cjs = run('node', ['-e', `const m = require('${pkg.name}'); console.log(Object.keys(m).length);`], app).trim();
    if (Number(esm) === 0 || esm !== cjs) throw new Error(`ESM exports ${esm} names, CommonJS ${cjs}`);
    console.log(`ok   ${pkg.name}: installs alone with npm; ESM and CommonJS both export ${esm} names`);
  } catch (e) {
    failed++;
    console.error(`FAIL ${pkg.name}: ${e.stderr || e.message}`);
  }
}
let consumerFailures;
try {
  consumerFailures = await checkConsumer(join(work, 'consumer'), tarballs, run);
} catch (e) {
  consumerFailures = [`install: ${e.stderr || e.message}`];
}
for (const f of consumerFailures) console.error(`FAIL consumer: ${f}`);
if (!consumerFailures.length) console.log('ok   consumer: all tarballs together; app.ts type-checks strictly (node16 ESM + CommonJS, bundler) and runs as ESM and CommonJS; every entry bundles for browsers (esbuild, Vite); a Vite page trains, saves to IndexedDB, reloads, loads and predicts alike in chromium');
failed += consumerFailures.length ? 1 : 0;
rmSync(work, { recursive: true, force: true });
console.log(`packaging: ${packages.length + 1 - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
