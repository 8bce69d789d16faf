/// <reference lib="dom" />
import { setBackend } from '@nn/tensor';
import {
  ACTIVATIONS, BACKENDS, INITIALIZERS, MAX_LAYERS, MAX_UNITS, NORMS, OPTIMIZERS, SCHEDULES, configFromHash, configToHash, normalizeConfig,
  type PlaygroundConfig,
} from './config.js';
import { BREAST_CANCER_FEATURES, DATASETS } from './data.js';
import { drawChart, drawField, drawPoints } from './draw.js';
import { ConfigError } from './model.js';
import { PRESETS, getPreset } from './presets.js';
import { Trainer } from './trainer.js';

const GRID = 40;
const $ = <T extends HTMLElement>(sel: string) => document.querySelector(sel) as T;

let config: PlaygroundConfig = configFromHash(location.hash);
let trainer: Trainer | null = null;
let playing = false;
let error = '';
let rate = 0;
const ready = new Set<string>(['cpu']);

/** What the current backend runs on, shown beside samples/s (gpu.js: the mode it got, e.g. webgl2). */
let backendDetail = 'cpu';

/** Selects the config's backend, initializing wasm or gpu.js on first use (their modules load only then). */
async function selectBackend(name: PlaygroundConfig['backend']): Promise<string> {
  try {
    if (name === 'wasm' && !ready.has(name)) {
      const info = await (await import('@nn/tensor/wasm')).initWasmBackend();
      ready.add(name);
      backendDetails.wasm = `wasm, ${info.threads} thread${info.threads === 1 ? '' : 's'}`;
    }
    if (name === 'gpujs' && !ready.has(name)) {
      const info = await (await import('@nn/tensor/gpu')).initGpuBackend({ mode: 'webgl2' });
      ready.add(name);
      backendDetails.gpujs = `gpu.js ${info.mode}${info.fellBack ? ` (fell back: ${info.reason})` : ''}`;
    }
    setBackend(name);
    backendDetail = backendDetails[name];
    return '';
  } catch (e) {
    setBackend('cpu');
    backendDetail = 'cpu';
    return `${name} backend unavailable here (${(e as Error).message}); running on cpu`;
  }
}
const backendDetails: Record<string, string> = { cpu: 'cpu', wasm: 'wasm', gpujs: 'gpu.js' };

function rebuild(): void {
  trainer?.dispose();
  trainer = null;
  error = '';
  try {
    trainer = new Trainer(config);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    error = e.message;
  }
  history.replaceState(null, '', configToHash(config));
  renderControls();
  render();
}

function update(change: (c: PlaygroundConfig) => void): void {
  const next = structuredClone(config);
  change(next);
  config = normalizeConfig(next);
  rebuild();
}

// ---- controls -------------------------------------------------------------------------------------------

const opt = (v: string, cur: string, label = v) => `<option value="${v}"${v === cur ? ' selected' : ''}>${label}</option>`;
const select = (key: string, list: readonly string[], cur: string, labels: Record<string, string> = {}) =>
  `<select data-k="${key}">${list.map((v) => opt(v, cur, labels[v] ?? v)).join('')}</select>`;
const number = (key: string, value: number, step: string, min = '0') => `<input type="number" data-k="${key}" value="${value}" step="${step}" min="${min}">`;

const OPT_LABELS: Record<string, string> = { sgd: 'SGD', momentum: 'SGD + momentum', nesterov: 'Nesterov', adagrad: 'AdaGrad', rmsprop: 'RMSprop', adadelta: 'AdaDelta', adam: 'Adam', nadam: 'NAdam', adamw: 'AdamW' };
const BACKEND_LABELS: Record<string, string> = { cpu: 'cpu', wasm: 'wasm (SIMD)', gpujs: 'gpu.js (WebGL2)' };
const DATA_LABELS: Record<string, string> = { circles: 'Circles', xor: 'XOR', gaussians: 'Two Gaussians', spirals: 'Spirals', regression: '2-D regression', breastCancer: 'Breast cancer' };

function renderControls(): void {
  const c = config;
  $('#presets').innerHTML = PRESETS.map((p) => `<button data-preset="${p.name}" title="${p.lesson}">${p.title}</button>`).join('');
  const bc = c.data.dataset === 'breastCancer';
  $('#data').innerHTML = `
    <label>Data ${select('data.dataset', DATASETS, c.data.dataset, DATA_LABELS)}</label>
    ${bc ? `<label>View ${select('data.projection', ['pca', 'features'], c.data.projection, { pca: 'PCA (2 components)', features: 'two features' })}</label>
      ${c.data.projection === 'features' ? `<label>x ${select('data.featureX', BREAST_CANCER_FEATURES.map((_, i) => String(i)), String(c.data.featureX), Object.fromEntries(BREAST_CANCER_FEATURES.map((n, i) => [String(i), n])))}</label>
      <label>y ${select('data.featureY', BREAST_CANCER_FEATURES.map((_, i) => String(i)), String(c.data.featureY), Object.fromEntries(BREAST_CANCER_FEATURES.map((n, i) => [String(i), n])))}</label>` : ''}`
    : `<label>Points ${number('data.points', c.data.points, '20', '20')}</label>
       <label>Noise <input type="range" data-k="data.noise" min="0" max="1" step="0.05" value="${c.data.noise}"><span>${c.data.noise}</span></label>`}
    <label>Train ratio <input type="range" data-k="data.trainRatio" min="0.1" max="0.9" step="0.05" value="${c.data.trainRatio}"><span>${Math.round(c.data.trainRatio * 100)}%</span></label>
    <label>Data seed ${number('data.seed', c.data.seed, '1')}</label>`;
  $('#train').innerHTML = `
    <label>Optimizer ${select('optimizer', OPTIMIZERS, c.optimizer, OPT_LABELS)}</label>
    <label>Learning rate ${number('lr', c.lr, 'any', '0.00001')}</label>
    <label>Batch size ${number('batchSize', c.batchSize, '1', '1')}</label>
    <label>Schedule ${select('schedule', SCHEDULES, c.schedule)}</label>
    <label>Schedule steps ${number('scheduleSteps', c.scheduleSteps, '10', '10')}</label>
    <label>Clip grad norm ${number('clipNorm', c.clipNorm, 'any')}</label>
    <label>L1 ${number('l1', c.l1, 'any')}</label>
    <label>L2 ${number('l2', c.l2, 'any')}</label>
    <label>Early stopping patience ${number('patience', c.patience, '1')}</label>
    <label>Initializer ${select('initializer', INITIALIZERS, c.initializer)}</label>
    <label><input type="checkbox" data-k="swishLearnable"${c.swishLearnable ? ' checked' : ''}> swish: learn β</label>
    <label>Maxout pieces ${number('maxoutPieces', c.maxoutPieces, '1', '2')}</label>`;
  $('#seed').setAttribute('value', String(c.seed));
  ($('#seed') as HTMLInputElement).value = String(c.seed);
  $('#backend').innerHTML = BACKENDS.map((b) => opt(b, c.backend, BACKEND_LABELS[b])).join('');
  renderNetwork();
}

function renderNetwork(): void {
  const c = config;
  const layers = c.layers.map((l, i) => `
    <div class="layer" data-layer="${i}">
      <div class="layer-head">
        <button data-act="units-" title="remove a unit">−</button><b>${l.units}</b><button data-act="units+" title="add a unit">+</button>
      </div>
      ${select(`layers.${i}.activation`, ACTIVATIONS, l.activation)}
      ${select(`layers.${i}.norm`, NORMS, l.norm, { none: 'no norm', batchNorm: 'batch norm', layerNorm: 'layer norm' })}
      <label class="small"><input type="checkbox" data-k="layers.${i}.residual"${l.residual ? ' checked' : ''}> residual</label>
      <label class="small">dropout <input type="number" data-k="layers.${i}.dropout" value="${l.dropout}" min="0" max="0.9" step="0.1"></label>
      <div class="units" id="units-${i}">${Array.from({ length: l.units }, (_, j) => `<canvas width="${GRID}" height="${GRID}" title="layer ${i + 1}, unit ${j + 1}"></canvas>`).join('')}</div>
    </div>`).join('');
  $('#network').innerHTML = `
    <div class="net-head">
      <button data-act="layer-" ${c.layers.length === 0 ? 'disabled' : ''}>− layer</button>
      <span>${c.layers.length} hidden layer${c.layers.length === 1 ? '' : 's'}</span>
      <button data-act="layer+" ${c.layers.length >= MAX_LAYERS ? 'disabled' : ''}>+ layer</button>
    </div>
    <div class="layers"><div class="layer io">input<br>x₁, x₂</div>${layers}<div class="layer io">output</div></div>`;
}

function setPath(c: PlaygroundConfig, path: string, value: unknown): void {
  const keys = path.split('.');
  let o = c as unknown as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) o = o[k] as Record<string, unknown>;
  o[keys.at(-1)!] = value;
}

document.addEventListener('change', (ev) => {
  const el = ev.target as HTMLInputElement;
  const key = el.dataset.k;
  if (!key) return;
  const numeric = el.type === 'number' || el.type === 'range' || /^data\.feature/.test(key);
  const value = el.type === 'checkbox' ? el.checked : numeric ? Number(el.value) : el.value;
  update((c) => setPath(c, key, value));
});

document.addEventListener('click', (ev) => {
  const el = (ev.target as HTMLElement).closest('button');
  if (!el) return;
  if (el.dataset.preset) return loadPreset(el.dataset.preset);
  const act = el.dataset.act;
  const i = Number(el.closest<HTMLElement>('[data-layer]')?.dataset.layer);
  if (act === 'layer+') update((c) => c.layers.push({ ...(c.layers.at(-1) ?? { units: 4, activation: 'tanh', norm: 'none', dropout: 0 }), residual: false }));
  if (act === 'layer-') update((c) => c.layers.pop());
  if (act === 'units+') update((c) => (c.layers[i].units = Math.min(MAX_UNITS, c.layers[i].units + 1)));
  if (act === 'units-') update((c) => (c.layers[i].units = Math.max(1, c.layers[i].units - 1)));
});

function loadPreset(name: string): void {
  const p = getPreset(name);
  if (!p) throw new Error(`no preset named ${name}`);
  config = normalizeConfig({ ...structuredClone(p.config), backend: config.backend });
  $('#lesson').textContent = `${p.title}: ${p.lesson}`;
  rebuild();
}

$('#play').addEventListener('click', () => {
  playing = !playing;
  $('#play').textContent = playing ? '❚❚ Pause' : '▶ Play';
  if (playing) requestAnimationFrame(loop);
});
$('#step').addEventListener('click', () => {
  trainer?.run(1);
  render();
});
$('#reset').addEventListener('click', () => update((c) => (c.seed = Number(($('#seed') as HTMLInputElement).value) || 0)));
$('#backend').addEventListener('change', async () => {
  const name = ($('#backend') as HTMLSelectElement).value as PlaygroundConfig['backend'];
  const note = await selectBackend(name);
  $('#note').textContent = note;
  update((c) => (c.backend = note ? 'cpu' : name));
});

// ---- the training loop and the pictures ------------------------------------------------------------------

function loop(): void {
  if (!playing) return;
  if (trainer && !trainer.stopped) {
    const start = performance.now();
    let steps = 0;
    // Train for about 20 ms per frame, then draw.
    while (performance.now() - start < 20 && !trainer.stopped) steps += trainer.run(1);
    const secs = (performance.now() - start) / 1000;
    rate = 0.8 * rate + 0.2 * ((steps * trainer.batchSize) / Math.max(secs, 1e-3));
    render();
  }
  requestAnimationFrame(loop);
}

function render(): void {
  $('#error').textContent = error;
  if (!trainer) return;
  const t = trainer;
  const last = t.evals.at(-1)!;
  const cls = t.data.task === 'classification';
  $('#stats').innerHTML = `step <b>${t.step}</b> · epoch <b>${t.epoch}</b> · test loss <b>${last.testLoss.toFixed(4)}</b>${cls ? ` · test acc <b>${((last.testAcc ?? 0) * 100).toFixed(1)}%</b>` : ''} · <b>${Math.round(rate)}</b> samples/s on ${backendDetail}`;
  $('#stopped').textContent = t.stopReason;
  const { output, units } = t.grid(GRID);
  const toUnit = cls ? (v: number) => 2 * v - 1 : (v: number) => Math.tanh(v);
  const heat = $<HTMLCanvasElement>('#heatmap');
  drawField(heat, output, GRID, toUnit);
  drawPoints(heat, t.data.train.x, t.data.train.y, false, toUnit);
  drawPoints(heat, t.data.test.x, t.data.test.y, true, toUnit);
  $('#axes').textContent = `${t.data.axes[0]} → · ${t.data.axes[1]} ↑ · filled: train, ringed: test`;
  units.forEach((layer, i) => {
    const canvases = document.querySelectorAll<HTMLCanvasElement>(`#units-${i} canvas`);
    layer.forEach((u, j) => canvases[j] && drawField(canvases[j], u, GRID, (v) => Math.tanh(v)));
  });
  const xs = t.evals.map((e) => e.step);
  drawChart($('#loss'), [
    { label: 'train loss', colour: '#1f77b4', values: t.evals.map((e) => e.trainLoss), xs },
    { label: 'test loss', colour: '#d62728', values: t.evals.map((e) => e.testLoss), xs },
  ], { yMin: 0 });
  if (cls) {
    drawChart($('#acc'), [
      { label: 'train acc', colour: '#1f77b4', values: t.evals.map((e) => e.trainAcc ?? 0), xs },
      { label: 'test acc', colour: '#d62728', values: t.evals.map((e) => e.testAcc ?? 0), xs },
    ]);
  }
  $('#acc').style.display = cls ? '' : 'none';
  const n = t.config.scheduleSteps;
  const curve = Array.from({ length: 200 }, (_, i) => t.schedule.lrAt(Math.round((i * n) / 199)));
  drawChart($('#schedule'), [
    { label: `schedule: ${t.config.schedule}`, colour: '#2ca02c', values: curve, xs: curve.map((_, i) => (i * n) / 199) },
    { label: 'lr used', colour: '#555', values: t.lrs, dashed: true },
  ], { marker: t.step, xMax: Math.max(n, t.step), yMin: 0 });
  const palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22'];
  const depth = t.built.kernels.length;
  drawChart($('#grads'), Array.from({ length: depth }, (_, l) => ({
    label: l === depth - 1 ? 'out' : `L${l + 1}`,
    colour: palette[l % palette.length],
    values: t.gradNorms.map((g) => g[l]),
  })), { log: true });
}

/** The hooks the end-to-end test drives (and a console user may): presets, steps, a summary of the run. */
const api = {
  presets: PRESETS.map((p) => p.name),
  loadPreset,
  setBackend: async (name: PlaygroundConfig['backend']) => {
    const note = await selectBackend(name);
    update((c) => (c.backend = note ? 'cpu' : name));
    return note;
  },
  /** Merges a partial config (top-level keys) and rebuilds, as editing the controls does. */
  configure(patch: Partial<PlaygroundConfig>) {
    update((c) => Object.assign(c, patch));
  },
  run(n: number) {
    const ran = trainer?.run(n) ?? 0;
    render();
    return ran;
  },
  summary() {
    const t = trainer!;
    return { step: t.step, evals: t.evals, gradNorms: t.gradNorms.at(-1) ?? [], flatUnits: t.flatUnits(), stopped: t.stopReason, error, backend: config.backend, backendDetail, config, hash: location.hash };
  },
};
(window as unknown as { playground: typeof api }).playground = api;

await selectBackend(config.backend).then((note) => ($('#note').textContent = note));
rebuild();
