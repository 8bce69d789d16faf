// Browser checks on the installed tarballs (the consumer project of check.mjs):
//  1. every public entry point bundles for the browser with esbuild (platform browser) and with Vite, with
//     no configuration and no Node built-in pulled in (Vite's "externalized for browser compatibility");
//  2. a page built by Vite runs in Debian's chromium (playwright-core, no browser download): it trains a model,
//     saves it to IndexedDB, the page is reloaded, and the loaded model predicts the same numbers.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('../..', import.meta.url).pathname;
const requireRoot = createRequire(join(root, 'package.json'));
const here = new URL('.', import.meta.url).pathname;

/** `@nn/x` and `@nn/x/sub` for every public entry point, from the packages' `exports` maps. */
function entryPoints(manifests) {
  return manifests.flatMap((pkg) => Object.keys(pkg.exports).filter((k) => k !== './package.json').map((k) => (k === '.' ? pkg.name : `${pkg.name}/${k.slice(2)}`)));
}

// An optional peer dependency the user installs alongside (@nn/tensor/gpu's gpu.js) is not ours to bundle.
const OPTIONAL_PEERS = ['gpu.js', 'better-sqlite3'];

async function esbuildEach(dir, entries) {
  const esbuild = requireRoot('esbuild');
  const failures = [];
  for (const entry of entries) {
    try {
      await esbuild.build({
        stdin: { contents: `export * from '${entry}';`, resolveDir: dir, loader: 'js' },
        bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent', external: OPTIONAL_PEERS,
      });
    } catch (e) {
      failures.push(`esbuild --platform=browser ${entry}: ${(e.errors ?? [e]).map((x) => x.text ?? x.message).join('; ')}`);
    }
  }
  return failures;
}

async function viteBuild(pageDir) {
  const vite = await import(pathToFileURL(requireRoot.resolve('vite')).href);
  const warnings = [];
  const logger = vite.createLogger('warn');
  const customLogger = { ...logger, warn: (msg, o) => warnings.push(msg) && logger.warn(msg, o), warnOnce: (msg) => warnings.push(msg) };
  await vite.build({ root: pageDir, logLevel: 'silent', customLogger, configFile: false, build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 10_000 } });
  return warnings.filter((w) => /externalized for browser compatibility|node:/.test(w));
}

function serve(distDir) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.bin': 'application/octet-stream' };
  const server = createServer((req, res) => {
    const path = join(distDir, req.url === '/' ? 'index.html' : req.url.split('?')[0]);
    let body;
    try {
      body = readFileSync(path);
    } catch {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Runs the checks in the consumer project `dir`; returns failure messages. */
export async function checkBrowser(dir, manifests) {
  const entries = entryPoints(manifests);
  const failures = await esbuildEach(dir, entries);

  // Vite: one page importing every entry point, built as `vite build` would with no vite.config.
  const all = join(dir, 'vite-all');
  mkdirSync(all);
  writeFileSync(join(all, 'index.html'), '<!doctype html><script type="module" src="./main.js"></script>');
  writeFileSync(join(all, 'main.js'), entries.filter((e) => !e.endsWith('/gpu')).map((e, i) => `import * as m${i} from '${e}';\nconsole.log(Object.keys(m${i}).length);`).join('\n'));
  try {
    for (const w of await viteBuild(all)) failures.push(`vite build: ${w}`);
  } catch (e) {
    failures.push(`vite build of every entry point failed: ${e.message}`);
  }

  // The end-to-end page: train, save to IndexedDB, reload, load, predict.
  const e2e = join(dir, 'vite-e2e');
  mkdirSync(e2e);
  writeFileSync(join(e2e, 'index.html'), '<!doctype html><script type="module" src="./main.js"></script>');
  writeFileSync(join(e2e, 'main.js'), readFileSync(join(here, 'browser-page.js'), 'utf8'));
  try {
    await viteBuild(e2e);
  } catch (e) {
    failures.push(`vite build of the e2e page failed: ${e.message}`);
    return failures;
  }
  const { chromium } = requireRoot('playwright-core');
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const server = await serve(join(e2e, 'dist'));
  const url = `http://127.0.0.1:${server.address().port}/`;
  let browser;
  try {
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-background-networking'] });
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForFunction(() => typeof globalThis.nnE2E === 'function');
    const trained = await page.evaluate(() => globalThis.nnE2E('train'));
    await page.reload();
    await page.waitForFunction(() => typeof globalThis.nnE2E === 'function');
    const loaded = await page.evaluate(() => globalThis.nnE2E('load'));
    if (errors.length) failures.push(`browser page errors: ${errors.join('; ')}`);
    if (!(trained.predictions.length > 0) || JSON.stringify(trained.predictions) !== JSON.stringify(loaded.predictions)) {
      failures.push(`browser: predictions after reload and loadModel('indexeddb://…') differ: ${JSON.stringify(trained.predictions)} vs ${JSON.stringify(loaded.predictions)}`);
    }
    if (!(trained.lossFell)) failures.push(`browser: training did not lower the loss (${trained.losses.join(', ')})`);
    for (const [what, message, pattern] of loaded.errors) {
      if (!new RegExp(pattern).test(message)) failures.push(`browser: ${what}: error ${JSON.stringify(message)} does not match /${pattern}/`);
    }
    if (JSON.stringify(loaded.localStorage) !== JSON.stringify(loaded.predictions)) failures.push('browser: localstorage:// round trip predicts different numbers');
  } catch (e) {
    failures.push(`browser: ${e.message}${/Executable doesn't exist|ENOENT/.test(e.message) ? ` (install Debian's chromium: .ci/gpu-tests.sh deps)` : ''}`);
  } finally {
    await browser?.close();
    server.close();
  }
  return failures;
}
