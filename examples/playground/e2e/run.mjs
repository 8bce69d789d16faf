// End-to-end test of the playground, run by the root `pnpm test`: builds the app with Vite (from the packages'
// dist, as a user's app resolves them), serves dist/ on 127.0.0.1, opens it in Debian's chromium through
// playwright-core (no browser download), runs every preset for some steps through the page's own
// `window.playground` hooks, checks what each demonstration should show, that the page logged no error, and
// saves screenshots (laptop and phone widths) to e2e/artifacts/.
//   node examples/playground/e2e/run.mjs
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';

const app = fileURLToPath(new URL('..', import.meta.url));
const dist = join(app, 'dist');
const artifacts = join(app, 'e2e', 'artifacts');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(executablePath)) throw new Error(`playground e2e: no chromium at ${executablePath} (.ci/gpu-tests.sh deps installs Debian's)`);

await build({ root: app, logLevel: 'warn' });

const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.svg': 'image/svg+xml' };
const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
  const file = join(dist, path === '/' ? 'index.html' : path);
  if (!file.startsWith(dist) || !existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404).end('not found');
  res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/`;

const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};
const browser = await chromium.launch({
  executablePath,
  args: ['--headless=new', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking'],
});
const errors = [];
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && errors.push(`console.error: ${m.text()}`));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
  await page.goto(url);
  await page.waitForFunction(() => globalThis.playground !== undefined);

  const runPreset = (name, steps, patch = {}) =>
    page.evaluate(([n, s, p]) => {
      const pg = globalThis.playground;
      pg.loadPreset(n);
      if (Object.keys(p).length) pg.configure(p);
      const start = pg.summary();
      pg.run(s);
      return { start: start.evals[0], end: pg.summary() };
    }, [name, steps, patch]);
  const last = (r) => r.end.evals.at(-1);

  const xor = await runPreset('xor', 300);
  check(last(xor).testLoss < 0.5 * xor.start.testLoss && last(xor).testAcc > 0.9, `xor: one hidden layer solves it (test loss ${xor.start.testLoss.toFixed(3)} → ${last(xor).testLoss.toFixed(3)}, acc ${last(xor).testAcc})`);
  const flat = await runPreset('xor', 300, { layers: [] });
  check(last(flat).testAcc < 0.7, `xor: no hidden layer stays near chance (test acc ${last(flat).testAcc})`);

  const van = await runPreset('vanishing', 20);
  const g = van.end.gradNorms;
  check(g.length === 9 && g[0] / g[g.length - 1] < 1e-3, `vanishing: first-layer gradient norm ${g[0].toExponential(2)} vs last ${g.at(-1).toExponential(2)} (ratio ${(g[0] / g.at(-1)).toExponential(1)})`);

  // Each cure of the course lifts the first layer's share of the gradient by at least four orders of magnitude.
  const ratio = (r) => r.end.gradNorms[0] / r.end.gradNorms.at(-1);
  const vl = (f) => Array.from({ length: 8 }, (_, i) => ({ units: 8, activation: 'sigmoid', ...f(i) }));
  const cures = {
    'ReLU + He init': { layers: vl(() => ({ activation: 'relu' })), initializer: 'heNormal' },
    'batch norm': { layers: vl(() => ({ norm: 'batchNorm' })) },
    residual: { layers: vl((i) => ({ residual: i > 0 })) },
    'Xavier init': { initializer: 'glorotUniform' },
  };
  for (const [name, patch] of Object.entries(cures)) {
    const r = await runPreset('vanishing', 20, patch);
    check(ratio(r) > 1e4 * ratio(van), `vanishing, cured by ${name}: first/last gradient norm ${ratio(r).toExponential(1)}`);
  }

  const dying = await runPreset('dyingRelu', 200);
  const leaky = await runPreset('dyingRelu', 200, { layers: [{ units: 8, activation: 'leakyRelu' }, { units: 8, activation: 'leakyRelu' }] });
  check(dying.end.flatUnits >= 4 && leaky.end.flatUnits === 0, `dying ReLU: ${dying.end.flatUnits} of 16 ReLU units flat after lr 3, ${leaky.end.flatUnits} leaky ones`);

  const high = await runPreset('lrTooHigh', 300);
  const sane = await runPreset('lrTooHigh', 300, { lr: 0.5 });
  check(last(high).testLoss > high.start.testLoss && last(sane).testLoss < 0.2 * sane.start.testLoss, `lr too high: lr 5 ends at test loss ${last(high).testLoss.toFixed(3)}, lr 0.5 at ${last(sane).testLoss.toFixed(3)}`);

  const cos = await runPreset('cosineWarmup', 400);
  check(last(cos).testLoss < 0.8 * cos.start.testLoss, `cosine with warm-up: test loss ${cos.start.testLoss.toFixed(3)} → ${last(cos).testLoss.toFixed(3)}`);

  const drop = await runPreset('dropout', 800);
  const noDrop = await runPreset('dropout', 800, { layers: [{ units: 16, activation: 'relu' }, { units: 16, activation: 'relu' }] });
  const best = Math.min(...noDrop.end.evals.map((e) => e.testLoss));
  check(last(noDrop).testLoss > 2 * best && last(noDrop).trainLoss < 0.01, `dropout: without it the net overfits (train loss ${last(noDrop).trainLoss.toFixed(4)}, test loss ${best.toFixed(3)} at best → ${last(noDrop).testLoss.toFixed(3)})`);
  check(last(drop).testLoss < 0.6 * last(noDrop).testLoss, `dropout: test loss ${last(drop).testLoss.toFixed(3)} with dropout 0.5, ${last(noDrop).testLoss.toFixed(3)} without`);

  // The other data: a regression surface (linear output, squared error) and breast cancer seen through PCA.
  const reg = await runPreset('xor', 300, { data: { dataset: 'regression', points: 400, noise: 0.1, trainRatio: 0.5, seed: 1 }, layers: [{ units: 8, activation: 'tanh' }, { units: 8, activation: 'tanh' }] });
  check(last(reg).testLoss < 0.3 * reg.start.testLoss, `regression: test MSE ${reg.start.testLoss.toFixed(3)} → ${last(reg).testLoss.toFixed(3)}`);
  const bc = await runPreset('xor', 300, { data: { dataset: 'breastCancer', trainRatio: 0.7, seed: 1, projection: 'pca' } });
  check(last(bc).testAcc > 0.9, `breast cancer (PCA): test accuracy ${last(bc).testAcc.toFixed(3)}`);

  // Each backend trains the default circles for a few steps (wasm and gpu.js fall back to cpu only with a note).
  for (const backend of ['wasm', 'gpujs', 'cpu']) {
    const note = await page.evaluate((b) => globalThis.playground.setBackend(b), backend);
    const r = await runPreset('xor', 30);
    const where = backend === 'gpujs' ? /^gpu\.js webgl2$/ : new RegExp(`^${backend}`);
    check(note === '' && r.end.backend === backend && where.test(r.end.backendDetail) && last(r).testLoss < r.start.testLoss, `backend ${backend}: trains on ${r.end.backendDetail} (test loss ${r.start.testLoss.toFixed(3)} → ${last(r).testLoss.toFixed(3)})${note ? ` (${note})` : ''}`);
  }

  // The page itself: the editor's buttons and the play loop (requestAnimationFrame) with its samples/s.
  await page.evaluate(() => globalThis.playground.loadPreset('xor'));
  await page.click('[data-act="layer+"]');
  await page.click('[data-layer="1"] [data-act="units+"]');
  await page.selectOption('[data-k="layers.1.activation"]', 'swish');
  const edited = await page.evaluate(() => globalThis.playground.summary().config.layers);
  check(edited.length === 2 && edited[1].units === 5 && edited[1].activation === 'swish', `editor: + layer, + unit and the activation menu give ${JSON.stringify(edited.map((l) => `${l.units} ${l.activation}`))}`);
  await page.click('#play');
  await page.waitForTimeout(1500);
  await page.click('#play');
  const stats = await page.textContent('#stats');
  const sps = Number(/(\d+) samples\/s/.exec(stats)?.[1] ?? 0);
  const stepped = await page.evaluate(() => globalThis.playground.summary().step);
  check(stepped > 0 && sps > 0, `play: ${stepped} steps in 1.5 s at ${sps} samples/s (${stats})`);

  // The state lives in the URL: a link opens the same setup, and an edit rewrites the link.
  await page.evaluate(() => {
    globalThis.playground.loadPreset('dropout');
    globalThis.playground.configure({ optimizer: 'nadam', schedule: 'oneCycle' });
  });
  const shared = (await page.evaluate(() => globalThis.playground.summary())).hash;
  await page.goto(url + shared);
  await page.reload();
  await page.waitForFunction(() => globalThis.playground !== undefined);
  const reopened = await page.evaluate(() => globalThis.playground.summary().config);
  check(reopened.optimizer === 'nadam' && reopened.schedule === 'oneCycle' && reopened.layers[0].dropout === 0.5 && reopened.data.points === 60, 'the URL: a shared link reopens the same config');

  mkdirSync(artifacts, { recursive: true });
  await page.evaluate(() => {
    globalThis.playground.loadPreset('cosineWarmup');
    globalThis.playground.run(300);
  });
  await page.screenshot({ path: join(artifacts, 'playground-laptop.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.evaluate(() => globalThis.playground.run(1));
  await page.screenshot({ path: join(artifacts, 'playground-phone.png'), fullPage: true });
  console.log(`screenshots: ${artifacts}`);
} finally {
  await browser.close();
  server.close();
}
check(errors.length === 0, `no console errors${errors.length ? `: ${errors.join('; ')}` : ''}`);
console.log(failures.length ? `playground e2e: ${failures.length} failed` : 'playground e2e: all passed');
process.exit(failures.length ? 1 : 0);
