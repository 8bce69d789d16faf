// The consumer check: every packed tarball installed together into a fresh npm project outside the workspace
// (where `@nn/*` resolves to `dist`, not `src`), app.ts type-checked there as a strict user would (node16 and
// bundler resolution, ESM and CommonJS), then run as ESM and as CommonJS, printing what it must print.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkBrowser } from './browser.mjs';

const root = new URL('../..', import.meta.url).pathname;
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

/** The lines app.ts prints; the numbers it prints only need to agree with each other. */
const EXPECTED = [
  'grad shape [3,2]',
  'plugin true',
  'optimizer Adam',
  'epochs 3 finite true',
  'summary Dense Dropout Dense',
  /^schedule round trip (\S+) = \1$/,
  'study 5 trials, best true',
];

const strict = {
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  skipLibCheck: false,
  target: 'ES2022',
  lib: ['ES2022'],
  types: ['node'],
  // @types/node from the workspace, so the check needs nothing beyond the tarballs' own dependencies.
  typeRoots: [join(root, 'node_modules', '@types')],
};

/**
 * Runs the checks in `dir` (created) with the tarballs (name -> path). Returns the failures, as messages.
 * @param {(cmd: string, args: string[], cwd: string) => string} run
 */
export async function checkConsumer(dir, tarballs, run) {
  const failures = [];
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, version: '0.0.0', type: 'module' }));
  run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--prefer-offline', ...tarballs.values()], dir);
  copyFileSync(join(root, 'scripts', 'consumer', 'app.ts'), join(dir, 'app.mts'));
  copyFileSync(join(root, 'scripts', 'consumer', 'app.ts'), join(dir, 'app.cts'));

  const configs = {
    // node16: app.mts resolves through the `import` conditions, app.cts through `require` (dist/*.d.cts).
    'tsconfig.node16.json': { compilerOptions: { ...strict, module: 'node16', moduleResolution: 'node16', outDir: 'out' }, files: ['app.mts', 'app.cts'] },
    'tsconfig.bundler.json': { compilerOptions: { ...strict, module: 'esnext', moduleResolution: 'bundler', noEmit: true }, files: ['app.mts'] },
  };
  for (const [file, config] of Object.entries(configs)) {
    writeFileSync(join(dir, file), JSON.stringify(config, null, 2));
    try {
      run('node', [tsc, '-p', file], dir);
    } catch (e) {
      failures.push(`tsc -p ${file} (strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess) failed:\n${e.stdout || ''}${e.stderr || e.message}`);
    }
  }
  if (failures.length) return failures;

  for (const program of ['out/app.mjs', 'out/app.cjs']) {
    let lines;
    try {
      lines = run('node', [program], dir).trim().split('\n');
    } catch (e) {
      failures.push(`node ${program} failed:\n${e.stdout || ''}${e.stderr || e.message}`);
      continue;
    }
    EXPECTED.forEach((want, i) => {
      const got = lines[i];
      const ok = typeof want === 'string' ? got === want : want.test(got ?? '');
      if (!ok) failures.push(`node ${program}: line ${i + 1} is ${JSON.stringify(got)}, expected ${want}`);
    });
  }
  const manifests = [...tarballs.keys()].map((name) => JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')));
  failures.push(...(await checkBrowser(dir, manifests)));
  return failures;
}
