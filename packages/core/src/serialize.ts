import { ErrorCode, NNError } from './errors.js';
import { assertJson, type JsonObject, type JsonValue } from './json.js';
import { registry, type RegistryKind } from './registry.js';

/** The serialization format written by this version; a newer one is refused on load. */
export const FORMAT_VERSION = 1;

/** The JSON form of a registered object. */
export interface Serialized {
  kind: string;
  name: string;
  config: JsonObject;
  format: number;
}

/** An object that can be saved: its class is registered, and it describes itself as config data. */
export interface Configurable {
  /** The constructor options that rebuild this object. Nested configurable objects may appear as values. */
  getConfig(): Record<string, unknown>;
}

/** A registered entry that rebuilds objects from config (a class's static `fromConfig`, or a plain object). */
export interface Deserializable<T = unknown> {
  fromConfig(config: JsonObject): T;
}

const isConfigurable = (v: unknown): v is Configurable =>
  typeof v === 'object' && v !== null && typeof (v as Configurable).getConfig === 'function';

/** Whether `v` has the shape of a {@link Serialized} object. */
export function isSerialized(v: unknown): v is Serialized {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return typeof o.kind === 'string' && typeof o.name === 'string' && typeof o.format === 'number' && typeof o.config === 'object' && o.config !== null && !Array.isArray(o.config) && Object.keys(o).length === 4;
}

/**
 * `{ kind, name, config, format }` for a registered object. Nested configurable objects in the config
 * (an optimizer's schedule, a model's layers) are serialized in place, to any depth.
 */
export function serialize(obj: Configurable): Serialized {
  const id = registry.nameOf((obj as object)?.constructor) ?? registry.nameOf(obj);
  if (!isConfigurable(obj) || !id) {
    const what = (obj as object)?.constructor?.name ?? typeof obj;
    throw new NNError(
      ErrorCode.NotSerializable,
      `serialize: ${what} is not serializable: ${!isConfigurable(obj) ? 'it has no getConfig()' : 'its class is not registered (registry.register(kind, name, Class))'}`,
      { what },
    );
  }
  const config = toJsonConfig(obj.getConfig(), `${id.kind} "${id.name}" config`);
  assertJson(config, `${id.kind} "${id.name}" config`);
  return { kind: id.kind, name: id.name, config: config as JsonObject, format: FORMAT_VERSION };
}

function toJsonConfig(value: unknown, where: string): unknown {
  if (Array.isArray(value)) return value.map((v, i) => toJsonConfig(v, `${where}[${i}]`));
  if (value instanceof Float32Array || value instanceof Float64Array || value instanceof Int32Array) return Array.from(value);
  if (typeof value === 'object' && value !== null) {
    if (isConfigurable(value)) return serialize(value);
    if (Object.getPrototypeOf(value) === Object.prototype) {
      return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, toJsonConfig(v, `${where}.${k}`)]));
    }
  }
  return value;
}

/**
 * Rebuilds an object from `{ kind, name, config, format }` through the registry. Nested serialized objects
 * in the config are rebuilt first. The input must be JSON data: nothing in it can make the loader run code.
 */
export function deserialize<T = unknown>(json: unknown): T {
  if (typeof json === 'string') {
    try {
      json = JSON.parse(json);
    } catch (e) {
      throw new NNError(ErrorCode.InvalidConfig, `deserialize: not valid JSON: ${(e as Error).message}`);
    }
  }
  assertJson(json, 'deserialize input');
  if (!isSerialized(json)) {
    throw new NNError(ErrorCode.InvalidConfig, 'deserialize: expected an object { kind, name, config, format } (strings kind and name, an object config, a number format)');
  }
  return rebuild(json) as T;
}

function rebuild(s: Serialized): unknown {
  if (!Number.isInteger(s.format) || s.format < 1 || s.format > FORMAT_VERSION) {
    throw new NNError(
      ErrorCode.UnsupportedFormat,
      `deserialize: ${s.kind} "${s.name}" was saved in format ${s.format}; this version of @nn/core reads formats 1..${FORMAT_VERSION} — upgrade @nn/core`,
      { kind: s.kind, name: s.name, format: s.format },
    );
  }
  const entry = registry.get(s.kind as RegistryKind, s.name) as unknown as Partial<Deserializable>;
  if (typeof entry?.fromConfig !== 'function') {
    throw new NNError(ErrorCode.NotSerializable, `deserialize: the ${s.kind} "${s.name}" has no fromConfig, so it cannot be loaded from JSON`, { kind: s.kind, name: s.name });
  }
  return entry.fromConfig(rebuildNested(s.config) as JsonObject);
}

function rebuildNested(value: JsonValue): unknown {
  if (Array.isArray(value)) return value.map(rebuildNested);
  if (typeof value === 'object' && value !== null) {
    if (isSerialized(value)) return rebuild(value);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rebuildNested(v)]));
  }
  return value;
}
