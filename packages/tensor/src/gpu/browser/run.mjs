// The browser variant: bundles entry.ts, serves it on localhost (WebGPU needs a secure context) and runs it in
// Debian's chromium through playwright-core (no browser download), once per mode.
//   node packages/tensor/src/gpu/browser/run.mjs [webgl2] [webgpu]
// Prints the op table and a closing "N passed, N failed" line; exits non-zero on any failure.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('../../../../../', import.meta.url));
const require = createRequire(import.meta.url);
// esbuild comes with tsup (a root devDependency); playwright-core is a devDependency of @nn/tensor.
const esbuild = createRequire(createRequire(`${root}package.json`).resolve('tsup'))('esbuild');
const { chromium } = require('playwright-core');

const modes = process.argv.slice(2).length ? process.argv.slice(2) : ['webgl2', 'webgpu'];
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const bundle = await esbuild.build({
  entryPoints: [`${here}entry.ts`],
  bundle: true,
  write: false,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  logLevel: 'warning',
  // The training steps use @nn/optim's optimizers, which import @nn/tensor: the same source as entry.ts's.
  alias: { '@nn/core': `${root}packages/core/src/index.ts`, '@nn/optim': `${root}packages/optim/src/index.ts`, '@nn/tensor': `${root}packages/tensor/src/index.ts` },
  // gpu.js's browser build is UMD; node: built-ins are never reached in a page.
  external: ['node:*'],
});
const js = bundle.outputFiles[0].text;
const html = '<!doctype html><meta charset="utf-8"><title>nn gpu</title><script src="/bundle.js"></script>';
const server = createServer((req, res) => {
  if (req.url === '/bundle.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
  else res.writeHead(200, { 'content-type': 'text/html' }).end(html);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://localhost:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath,
  args: ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--enable-unsafe-webgpu', '--enable-features=Vulkan', '--disable-background-networking', '--no-sandbox'],
});
let passed = 0;
let failed = 0;
try {
  for (const mode of modes) {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error(`[${mode}] page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') console.error(`[${mode}] console.${m.type()}: ${m.text()}`);
    });
    await page.goto(url);
    const result = await page.evaluate((m) => globalThis.runGpuCases(m), mode);
    console.log(`\nbrowser, asked for ${mode}: ran in ${result.mode}${result.fellBack ? ` (fell back: ${result.reason})` : ''}`);
    console.log('| op | abs | rel |\n|---|---|---|\n' + result.table.join('\n'));
    for (const f of result.failures) console.log(`FAIL [${mode}] ${f}`);
    const flat = result.liveTexturesPerStep.length > 0 && new Set(result.liveTexturesPerStep).size === 1;
    console.log(`live textures every 10 training steps: ${result.liveTexturesPerStep.join(', ')} (${flat ? 'flat' : 'NOT flat'})`);
    // The real optimizer's step moves nothing but the loss the loop reads.
    const quiet = result.transfersPerStep.length > 0 && result.transfersPerStep.every((t) => t.uploads === 0 && t.readbacks === 1);
    console.log(`transfers per training step: ${quiet ? 'only the loss' : JSON.stringify(result.transfersPerStep)}`);
    const modeOk = result.mode === mode;
    if (!modeOk) console.log(`FAIL [${mode}] the backend ran in ${result.mode}, not ${mode}`);
    passed += result.passed + (flat ? 1 : 0) + (quiet ? 1 : 0) + (modeOk ? 1 : 0);
    failed += result.failed + (flat ? 0 : 1) + (quiet ? 0 : 1) + (modeOk ? 0 : 1);
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
