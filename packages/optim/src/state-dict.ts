import { crc32, ErrorCode, NNError, deserialize, isSerialized, registry, serialize, type Configurable, type JsonValue } from '@nn/core';
import { tensorLike, type Tensor } from '@nn/tensor';
import type { OptimizerSpec, ParamGroup, ParamState } from './optimizer.js';
import { isLrSchedule } from './validate.js';
import { sameShape } from './values.js';

/** The version of the state dict layout written here; a newer one is refused. Format 2 adds checksums. */
export const STATE_DICT_FORMAT = 2;

/**
 * A float32 buffer in JSON: little-endian bytes, base64 (a third of the size of a list of decimals, and
 * exact), with the CRC-32 of the bytes, so one flipped character is caught rather than loaded as a wrong value.
 */
export interface EncodedArray {
  dtype: 'float32';
  base64: string;
  /** CRC-32 of the bytes (required from format 2). */
  crc32?: number;
}

/** The largest step count accepted: past 2^53 steps are no longer exact integers (a corrupted count). */
const MAX_STEPS = Number.MAX_SAFE_INTEGER;

/** One parameter group as saved: the hyperparameters, the positions of its parameters and their shapes. */
export type SavedParamGroup = { params: number[]; shapes: number[][] } & Record<string, JsonValue>;

/** The JSON form of an optimizer's state, PyTorch's layout with parameters referred to by position. */
export interface OptimizerStateDict {
  /** The registry name of the optimizer that saved it. */
  optimizer: string;
  format: number;
  /** Steps taken (schedules resume from it). */
  stepCount: number;
  /** Per-parameter state, keyed by the parameter's position across all groups. */
  state: Record<string, Record<string, number | EncodedArray>>;
  paramGroups: SavedParamGroup[];
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
type BufferLike = { from(b: ArrayBufferLike | string, offsetOrEncoding?: number | string, length?: number): Uint8Array & { toString(enc: string): string } };
const NodeBuffer = (globalThis as { Buffer?: BufferLike }).Buffer;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function bytesOf(a: Float32Array): Uint8Array {
  if (littleEndian) return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const out = new Uint8Array(a.length * 4);
  const view = new DataView(out.buffer);
  a.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return out;
}

/** Base64 of a float32 buffer's bytes. */
export function encodeFloat32(a: Float32Array): EncodedArray {
  const bytes = bytesOf(a);
  const checksum = crc32(bytes);
  if (NodeBuffer) return { dtype: 'float32', base64: NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'), crc32: checksum };
  let s = '';
  let chunk = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    chunk += ALPHABET[(n >> 18) & 63] + ALPHABET[(n >> 12) & 63] + (i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63] : '=') + (i + 2 < bytes.length ? ALPHABET[n & 63] : '=');
    if (chunk.length > 8192) {
      s += chunk;
      chunk = '';
    }
  }
  return { dtype: 'float32', base64: s + chunk, crc32: checksum };
}

/** The float32 buffer encoded by {@link encodeFloat32}; null if the text is not valid base64 of whole floats. */
export function decodeFloat32(base64: string): Float32Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) return null;
  let bytes: Uint8Array;
  if (NodeBuffer) {
    bytes = NodeBuffer.from(base64, 'base64');
  } else {
    const pad = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
    bytes = new Uint8Array((base64.length / 4) * 3 - pad);
    let j = 0;
    for (let i = 0; i < base64.length; i += 4) {
      const n = (ALPHABET.indexOf(base64[i]) << 18) | (ALPHABET.indexOf(base64[i + 1]) << 12) | ((Math.max(0, ALPHABET.indexOf(base64[i + 2])) & 63) << 6) | (Math.max(0, ALPHABET.indexOf(base64[i + 3])) & 63);
      bytes[j++] = (n >> 16) & 255;
      if (j < bytes.length) bytes[j++] = (n >> 8) & 255;
      if (j < bytes.length) bytes[j++] = n & 255;
    }
  }
  if (bytes.length % 4 !== 0) return null;
  const out = new Float32Array(bytes.length / 4);
  if (littleEndian) new Uint8Array(out.buffer).set(bytes);
  else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  }
  return out;
}

/** A hyperparameter as JSON: numbers, booleans and pairs as they are; a schedule serialized if registered. */
function hyperToJson(value: unknown): JsonValue | undefined {
  if (isLrSchedule(value)) {
    const registered = registry.nameOf((value as object).constructor) ?? registry.nameOf(value);
    return registered && typeof (value as Partial<Configurable>).getConfig === 'function' ? (serialize(value as unknown as Configurable) as unknown as JsonValue) : undefined;
  }
  if (Array.isArray(value)) return [...value];
  return value as JsonValue;
}

export function encodeStateDict<H>(spec: OptimizerSpec<H>, steps: number, groups: readonly ParamGroup<H>[], state: ReadonlyMap<Tensor, ParamState>): OptimizerStateDict {
  const out: OptimizerStateDict = { optimizer: spec.name, format: STATE_DICT_FORMAT, stepCount: steps, state: {}, paramGroups: [] };
  let index = 0;
  for (const group of groups) {
    const saved = { params: [] as number[], shapes: [] as number[][] } as SavedParamGroup;
    for (const key of Object.keys(spec.defaults as object)) {
      const v = hyperToJson((group as Record<string, unknown>)[key]);
      if (v !== undefined) saved[key] = v;
    }
    for (const p of group.params) {
      saved.params.push(index);
      saved.shapes.push([...p.shape]);
      const st = state.get(p);
      if (st) {
        const entry: Record<string, number | EncodedArray> = {};
        // Saving is a request for the values: the one place state is read back.
        for (const [k, v] of Object.entries(st)) entry[k] = typeof v === 'number' ? v : encodeFloat32(v.dataSync());
        out.state[index] = entry;
      }
      index++;
    }
    out.paramGroups.push(saved);
  }
  return out;
}

const mismatch = (where: string, message: string, details: Record<string, unknown> = {}) => new NNError(ErrorCode.StateMismatch, `${where}: ${message}`, details);

/** Checks a state dict against the optimizer's groups and decodes it; throws before anything is changed. */
export function decodeStateDict<H>(
  spec: OptimizerSpec<H>,
  groups: readonly ParamGroup<H>[],
  sd: OptimizerStateDict,
  checkHyper: (where: string, hyper: Record<string, unknown>) => unknown,
): { steps: number; state: Map<Tensor, ParamState>; hyper: Record<string, unknown>[] } {
  const where = `${spec.title}.loadStateDict`;
  if (typeof sd !== 'object' || sd === null || Array.isArray(sd)) throw mismatch(where, `expected a state dict object (from stateDict()), got ${String(sd)}`);
  if (sd.optimizer !== spec.name) throw mismatch(where, `this state dict was saved by optimizer "${String(sd.optimizer)}"; this is "${spec.name}"`, { saved: sd.optimizer });
  if (typeof sd.format !== 'number' || sd.format < 1 || sd.format > STATE_DICT_FORMAT) throw mismatch(where, `state dict format ${String(sd.format)} is not readable by this version (formats 1..${STATE_DICT_FORMAT}); upgrade @nn/optim`);
  if (typeof sd.stepCount !== 'number' || !Number.isInteger(sd.stepCount) || sd.stepCount < 0 || sd.stepCount > MAX_STEPS) {
    throw mismatch(where, `stepCount must be a non-negative integer up to 2^53 - 1, got ${String(sd.stepCount)}`);
  }
  if (!Array.isArray(sd.paramGroups)) throw mismatch(where, 'paramGroups must be an array');
  if (typeof sd.state !== 'object' || sd.state === null || Array.isArray(sd.state)) throw mismatch(where, 'state must be an object keyed by parameter position');
  if (sd.paramGroups.length !== groups.length) {
    throw mismatch(where, `the state dict has ${sd.paramGroups.length} parameter group(s); this optimizer has ${groups.length}`, { saved: sd.paramGroups.length, current: groups.length });
  }
  const params: Tensor[] = [];
  const hyper: Record<string, unknown>[] = [];
  sd.paramGroups.forEach((saved, gi) => {
    const group = groups[gi];
    if (typeof saved !== 'object' || saved === null || !Array.isArray(saved.params) || !Array.isArray(saved.shapes)) throw mismatch(where, `paramGroups[${gi}] must hold params and shapes arrays`);
    if (saved.params.length !== group.params.length || saved.shapes.length !== group.params.length) {
      throw mismatch(where, `parameter group ${gi} has ${saved.params.length} parameter(s) in the state dict and ${group.params.length} here`, { group: gi, saved: saved.params.length, current: group.params.length });
    }
    group.params.forEach((p, j) => {
      const index = params.length;
      if (saved.params[j] !== index) throw mismatch(where, `parameter group ${gi}: params[${j}] is ${String(saved.params[j])}, expected position ${index}`);
      const shape = saved.shapes[j];
      if (!Array.isArray(shape) || !sameShape(shape, p.shape)) {
        throw mismatch(where, `parameter ${index} (group ${gi}, #${j}) has shape [${p.shape.join(',')}] here and [${Array.isArray(shape) ? shape.join(',') : String(shape)}] in the state dict`, { index, saved: shape, current: [...p.shape] });
      }
      params.push(p);
    });
    const { params: _p, shapes: _s, ...h } = saved;
    const merged: Record<string, unknown> = { ...(group as Record<string, unknown>) };
    delete merged.params;
    for (const [k, v] of Object.entries(h)) {
      if (!Object.prototype.hasOwnProperty.call(spec.defaults as object, k)) throw mismatch(where, `parameter group ${gi} has unknown hyperparameter "${k}" for ${spec.title}`, { group: gi, key: k });
      merged[k] = isSerialized(v) ? deserialize(v) : v;
    }
    const checked = checkHyper(`${where} (group ${gi})`, merged) as Record<string, unknown>;
    // A schedule that could not be saved (not registered) stays the one this optimizer was built with.
    hyper.push(checked);
  });
  const decoded = new Map<Tensor, Record<string, number | Float32Array>>();
  for (const [key, entry] of Object.entries(sd.state)) {
    const index = Number(key);
    if (!Number.isInteger(index) || index < 0 || index >= params.length) throw mismatch(where, `state for parameter "${key}", but there are ${params.length} parameters`, { index: key });
    const p = params[index];
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw mismatch(where, `state of parameter ${index} must be an object`);
    const st: Record<string, number | Float32Array> = {};
    for (const [k, v] of Object.entries(entry)) {
      const kind = spec.state[k];
      if (!kind) throw mismatch(where, `state of parameter ${index} has unknown entry "${k}" for ${spec.title} (entries: ${Object.keys(spec.state).join(', ')})`, { index, key: k });
      if (kind === 'number') {
        if (typeof v !== 'number' || !Number.isFinite(v)) throw mismatch(where, `state of parameter ${index}: ${k} must be a finite number, got ${String(v)}`);
        if (k === 'step' && (!Number.isInteger(v) || v < 0 || v > MAX_STEPS)) throw mismatch(where, `state of parameter ${index}: step must be a non-negative integer up to 2^53 - 1, got ${v}`);
        st[k] = v;
      } else {
        const values = typeof v === 'object' && v !== null && v.dtype === 'float32' && typeof v.base64 === 'string' ? decodeFloat32(v.base64) : null;
        if (!values) throw mismatch(where, `state of parameter ${index}: ${k} must be an encoded float32 array { dtype: 'float32', base64 }`);
        const enc = v as EncodedArray;
        if (sd.format >= 2 && typeof enc.crc32 !== 'number') throw mismatch(where, `state of parameter ${index}: ${k} has no crc32 (required from format 2)`);
        if (enc.crc32 !== undefined && crc32(bytesOf(values)) !== enc.crc32) {
          throw mismatch(where, `state of parameter ${index}: ${k} is corrupted (its checksum does not match its data)`, { index, key: k });
        }
        const bad = values.findIndex((x) => !Number.isFinite(x));
        if (bad >= 0) throw mismatch(where, `state of parameter ${index}: ${k}[${bad}] is ${values[bad]}; optimizer state must be finite`, { index, key: k });
        if (values.length !== p.size) throw mismatch(where, `state of parameter ${index}: ${k} holds ${values.length} values; the parameter has ${p.size}`, { index, key: k, saved: values.length, current: p.size });
        st[k] = values;
      }
    }
    decoded.set(p, st);
  }
  // Everything checked: the buffers go to the parameters' backends (state lives where the parameter lives).
  const state = new Map<Tensor, ParamState>();
  for (const [p, st] of decoded) state.set(p, Object.fromEntries(Object.entries(st).map(([k, v]) => [k, typeof v === 'number' ? v : tensorLike(p, v)])));
  return { steps: sd.stepCount, state, hyper };
}
