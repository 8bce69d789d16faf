import { checkOptions, crc32, deserialize, ErrorCode, NNError, optionError, serialize, type Serialized } from '@nn/core';
import { MAX_TENSOR_SIZE, tensor, type Tensor } from '@nn/tensor';
import type { Shape } from './layer.js';
import { Model } from './model.js';
import { getLoss } from './losses.js';
import type { OptimizerLike } from './kinds.js';
import type { Metric } from './metrics.js';
import { hasMethod } from './resolve.js';
import type { LoadSource, SaveTarget } from './io/handler.js';
import { loaderFor, saverFor } from './io/router.js';

export const MODEL_FILE = 'model.json';
const FORMAT = 'nn-model';
/** Format 2 adds the integrity record over model.json (which holds the weights' checksum). */
const FORMAT_VERSION = 2;
/** The only weights file name save writes: a manifest naming anything else (`../x`) is refused. */
const WEIGHTS_FILE = /^weights-[0-9a-f]{8}\.bin$/;

interface WeightEntry {
  name: string;
  shape: number[];
  /** Byte offset in the weights file. */
  offset: number;
}

interface ModelFile {
  format: typeof FORMAT;
  formatVersion: number;
  model: Serialized;
  inputShape: Shape | null;
  weights: { file: string; byteLength: number; crc32: number; entries: WeightEntry[] };
  /** CRC-32 of model.json's text without this field; it holds the weights' CRC-32, so it covers both files. */
  integrity?: { crc32: number };
  /** Metrics by name, or serialized when given to compile as instances (their names and options kept). */
  training?: {
    loss: Serialized | string;
    metrics: (string | Serialized)[];
    optimizer?: Serialized;
    optimizerState?: unknown;
    /** The optimizer's param groups as indices into the weights list: the state dict refers to parameters by position. */
    optimizerParams?: number[][];
    /** What a checkpoint adds (modelCheckpoint): RNG streams, callbacks' and schedules' state, the next epoch. */
    checkpoint?: unknown;
  };
}

export interface SaveOptions {
  /** Also save the optimizer (config and state: a checkpoint training can resume from). Default true when compiled. */
  includeOptimizer?: boolean;
  /** @internal The training state modelCheckpoint adds (JSON data). */
  checkpoint?: unknown;
}

/**
 * Saves `model` as `model.json` (architecture as registry names + configs, the weights manifest, optionally
 * the optimizer) and `weights-<crc>.bin` (little-endian float32) to `target`: a directory in Node, or
 * `indexeddb://name`, `localstorage://name`, `downloads://name` in a browser (see io/).
 */
export async function saveModel(model: Model, target: SaveTarget, options: SaveOptions = {}): Promise<void> {
  const { includeOptimizer = true, checkpoint } = checkOptions('save', options, ['includeOptimizer', 'checkpoint']);
  if (typeof includeOptimizer !== 'boolean') throw optionError('save', 'includeOptimizer', 'must be true or false', includeOptimizer);
  const saver = saverFor(target);
  model.buildIfDeclared();
  if (!model.built || !model.buildInputShape) throw new NNError(ErrorCode.StateMismatch, `save: ${model.name} is not built yet (train it, call it on data, or give its first layer an inputShape)`);
  const weights = model.allWeights();
  const byteLength = weights.reduce((n, w) => n + w.value.size * 4, 0);
  const buffer = new ArrayBuffer(byteLength);
  const view = new DataView(buffer);
  const entries: WeightEntry[] = [];
  let offset = 0;
  for (const w of weights) {
    entries.push({ name: w.path, shape: [...w.value.shape], offset });
    for (const v of w.value.dataSync()) {
      view.setFloat32(offset, v, true);
      offset += 4;
    }
  }
  const bytes = new Uint8Array(buffer);
  const checksum = crc32(bytes);
  const weightsFile = `weights-${checksum.toString(16).padStart(8, '0')}.bin`;
  const file: ModelFile = {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    model: serialize(model),
    inputShape: model.buildInputShape,
    weights: { file: weightsFile, byteLength, crc32: checksum, entries },
  };
  if (model.loss) {
    const metrics = model.compiledMetrics.map((m) => {
      if (typeof m === 'string') return m;
      try {
        return serialize(m);
      } catch {
        // A metric class that is not registered is saved by name only, as before.
        return m.name;
      }
    });
    file.training = { loss: serialize(model.loss), metrics, ...(checkpoint === undefined ? {} : { checkpoint }) };
    const opt = model.optimizer;
    if (includeOptimizer && opt && hasMethod(opt, 'getConfig')) {
      try {
        file.training.optimizer = serialize(opt as unknown as { getConfig(): Record<string, unknown> });
        if (hasMethod(opt, 'stateDict')) file.training.optimizerState = JSON.parse(JSON.stringify(opt.stateDict!()));
        const index = new Map(weights.map((w, i) => [w.value, i]));
        const groups = opt.paramGroups.map((g) => g.params.map((p) => index.get(p) ?? -1));
        if (groups.every((g) => g.every((i) => i >= 0))) file.training.optimizerParams = groups;
      } catch {
        // An optimizer that cannot be serialized is left out; the model itself still saves.
      }
    }
  }
  const body = JSON.stringify(file);
  file.integrity = { crc32: crc32(utf8(body)) };
  await saver.save({ modelJson: JSON.stringify(file), weightsFile, weights: bytes });
}

const loadError = (file: string, message: string, details: Record<string, unknown> = {}) => new NNError(ErrorCode.InvalidConfig, `loadModel: ${file}: ${message}`, { file, ...details });

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** The same error, its message prefixed with loadModel and the file (errors from deserialize, compile…). */
function inFile(file: string, e: unknown): NNError {
  const err = e as NNError;
  if (err instanceof NNError && err.message.startsWith(`loadModel: ${file}`)) return err;
  return new NNError(err?.code ?? ErrorCode.InvalidConfig, `loadModel: ${file}: ${err?.message ?? String(e)}`, { file, ...(err?.details ?? {}) });
}

/** Offsets whole and 4-aligned, every weight inside the file, no two overlapping: else a wrong weight would load. */
function checkLayout(binPath: string, w: ModelFile['weights']): void {
  if (!Number.isInteger(w.byteLength) || w.byteLength < 0 || w.byteLength > 4 * MAX_TENSOR_SIZE) throw loadError(binPath, `byteLength ${w.byteLength} is not a valid size`);
  const spans = w.entries.map((e) => {
    const n = e.shape.reduce((a, b) => a * b, 1);
    if (!Number.isInteger(e.offset) || e.offset < 0 || e.offset % 4 !== 0) throw loadError(binPath, `weight ${e.name} has offset ${e.offset}; offsets are whole multiples of 4 bytes`);
    if (n > MAX_TENSOR_SIZE || e.offset + 4 * n > w.byteLength) throw loadError(binPath, `weight ${e.name} (offset ${e.offset}, ${n} values) lies outside the file's ${w.byteLength} bytes`);
    return { name: e.name, start: e.offset, end: e.offset + 4 * n };
  });
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].start < sorted[i - 1].end) throw loadError(binPath, `weights ${sorted[i - 1].name} and ${sorted[i].name} overlap (bytes ${sorted[i].start}..${sorted[i - 1].end})`);
  }
}

function validManifest(w: unknown): w is ModelFile['weights'] {
  if (typeof w !== 'object' || w === null) return false;
  const m = w as Record<string, unknown>;
  return typeof m.file === 'string' && typeof m.byteLength === 'number' && typeof m.crc32 === 'number' && Array.isArray(m.entries) &&
    m.entries.every((e: unknown) => {
      const entry = e as Record<string, unknown> | null;
      return typeof entry === 'object' && entry !== null && typeof entry.name === 'string' && typeof entry.offset === 'number' &&
        Array.isArray(entry.shape) && entry.shape.every((d) => Number.isInteger(d) && (d as number) >= 0);
    });
}

/**
 * Rebuilds a model saved by `model.save(target)`, with its weights, and compiled again when it was saved
 * compiled. `source`: the directory or URL it was saved to, an `http(s)://` URL of model.json, or `File`s.
 */
export async function loadModel(source: LoadSource): Promise<Model> {
  const loader = loaderFor(source);
  const jsonPath = loader.modelLabel;
  const text = await loader.readModelJson();
  let file: ModelFile;
  try {
    file = JSON.parse(text) as ModelFile;
  } catch (e) {
    throw loadError(jsonPath, `not valid JSON (${(e as Error).message}); the file is corrupted`);
  }
  if (file?.format !== FORMAT || typeof file.formatVersion !== 'number') throw loadError(jsonPath, `not an nn model file (format ${JSON.stringify(file?.format)})`);
  if (file.formatVersion > FORMAT_VERSION) throw loadError(jsonPath, `written in format ${file.formatVersion}; this @nn/layers reads up to ${FORMAT_VERSION}`);
  if (file.formatVersion >= 2) {
    const { integrity, ...rest } = file;
    if (typeof integrity?.crc32 !== 'number') throw loadError(jsonPath, 'its integrity record is missing; the file is corrupted');
    if (crc32(utf8(JSON.stringify(rest))) !== integrity.crc32) throw loadError(jsonPath, 'corrupted: its integrity checksum does not match its contents');
  }
  if (!validManifest(file.weights)) throw loadError(jsonPath, 'its weights manifest is missing or malformed; the file is corrupted');
  if (!WEIGHTS_FILE.test(file.weights.file)) {
    throw loadError(jsonPath, `names the weights file ${JSON.stringify(file.weights.file)}; save writes weights-<crc32>.bin beside model.json, and no other path (none outside the model directory) is read`);
  }
  checkLayout(loader.weightsLabel(file.weights.file), file.weights);
  let model: Model;
  try {
    model = deserialize<Model>(file.model);
    if (!(model instanceof Model)) throw loadError(jsonPath, 'the saved object is not a model');
    if (file.inputShape) model.ensureBuilt(file.inputShape);
  } catch (e) {
    throw inFile(jsonPath, e);
  }

  const binPath = loader.weightsLabel(file.weights.file);
  const bytes = await loader.readWeights(file.weights.file);
  if (bytes.length !== file.weights.byteLength) {
    throw loadError(binPath, `${bytes.length < file.weights.byteLength ? 'truncated' : 'too long'}: expected ${file.weights.byteLength} bytes, found ${bytes.length}`);
  }
  if (crc32(bytes) !== file.weights.crc32) throw loadError(binPath, 'corrupted: its checksum does not match the one in model.json');
  const weights = model.allWeights();
  const entries = file.weights.entries;
  if (entries.length !== weights.length) throw loadError(binPath, `holds ${entries.length} weights but the model has ${weights.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values: Tensor[] = entries.map((e, i) => {
    const w = weights[i];
    if (e.shape.join() !== w.value.shape.join()) throw loadError(binPath, `weight ${e.name} has shape [${e.shape.join(',')}] but the model's ${w.path} is [${w.value.shape.join(',')}]`);
    const n = e.shape.reduce((a, b) => a * b, 1);
    if (e.offset < 0 || e.offset + 4 * n > bytes.length) throw loadError(binPath, `weight ${e.name} lies outside the file`);
    const data = new Float32Array(n);
    for (let k = 0; k < n; k++) data[k] = view.getFloat32(e.offset + 4 * k, true);
    return tensor(data, e.shape);
  });
  model.setWeights(values);

  if (file.training) {
    try {
      compileFromFile(model, file.training);
      if (file.training.checkpoint !== undefined) savedCheckpoints.set(model, file.training.checkpoint);
    } catch (e) {
      // A bad optimizer, loss or metric entry names loadModel and the file, like every other load error.
      throw inFile(jsonPath, e);
    }
  }
  return model;
}

/** The training state of models loaded from checkpoints (read by fit's resumeFrom). */
export const savedCheckpoints = new WeakMap<Model, unknown>();

/** Compiles a loaded model as it was saved: its optimizer (bound to the same weights, with its state), loss and metrics. */
function compileFromFile(model: Model, t: NonNullable<ModelFile['training']>): void {
  if (typeof t !== 'object' || t === null) throw new NNError(ErrorCode.InvalidConfig, 'its training entry is not an object');
  const optimizer = t.optimizer ? deserialize<unknown>(t.optimizer) : undefined;
  if (optimizer) {
    if (!Array.isArray(t.metrics ?? [])) throw new NNError(ErrorCode.InvalidConfig, 'its metrics entry is not an array');
    const metrics = (t.metrics ?? []).map((m) => (typeof m === 'string' ? m : deserialize<Metric>(m)));
    // Bind the weights the optimizer held when saved (a layer frozen after compile stays in it), so its state fits.
    const all = model.allWeights();
    const groups = t.optimizerParams;
    if (Array.isArray(groups) && hasMethod(optimizer, 'addParamGroup') && groups.every((g) => Array.isArray(g) && g.every((i) => Number.isInteger(i) && i >= 0 && i < all.length))) {
      for (const g of groups) (optimizer as OptimizerLike).addParamGroup({ params: g.map((i) => all[i].value) });
    }
    model.compile({ optimizer: optimizer as never, loss: getLoss(deserialize(t.loss as Serialized)), metrics });
    const opt = model.optimizer!;
    if (t.optimizerState !== undefined && opt.loadStateDict) opt.loadStateDict(t.optimizerState);
  } else {
    // Compiled without a savable optimizer: keep loss and metrics; compile again with an optimizer to train.
    model.loss = getLoss(deserialize(t.loss as Serialized));
  }
}
