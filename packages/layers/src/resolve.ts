import { ErrorCode, NNError, registry, type JsonObject } from '@nn/core';

// Reads kinds that other packages declare (optimizer, regularizer, constraint), so the typed `get` does not
// know them here: read through an untyped view.
const getEntry = (registry.get as (kind: string, name: string) => unknown).bind(registry);

/**
 * An instance from a registry entry, whatever its form: a class with static `fromConfig`, a plain object
 * with `fromConfig`, a factory function, or a ready instance. Lets `'adam'`, `'l2'`, `'maxNorm'` resolve the
 * same way whichever style the providing package chose.
 */
export function instantiate(kind: string, name: string, config: JsonObject = {}): unknown {
  const entry = getEntry(kind, name) as Record<string, unknown> & ((...a: unknown[]) => unknown);
  if (typeof entry?.fromConfig === 'function') return (entry.fromConfig as (c: JsonObject) => unknown)(config);
  if (typeof entry === 'function') {
    const proto = (entry as { prototype?: object }).prototype;
    const isClass = /^class[\s{]/.test(Function.prototype.toString.call(entry)) || (proto && Object.getOwnPropertyNames(proto).length > 1);
    return isClass ? new (entry as unknown as new (c: JsonObject) => unknown)(config) : entry(config);
  }
  return entry;
}

/** `value` if it already has `method`, else the registered entry of that name under `kind`. */
export function resolveByName<T>(kind: string, value: unknown, method: string, what: string): T {
  if (typeof value === 'string') {
    const obj = instantiate(kind, value);
    if (!hasMethod(obj, method)) throw new NNError(ErrorCode.InvalidArgument, `${what}: the ${kind} "${value}" has no ${method}() method`);
    return obj as T;
  }
  if (!hasMethod(value, method)) {
    throw new NNError(ErrorCode.InvalidArgument, `${what}: expected a ${kind} (an object with ${method}()) or a registered name, got ${describe(value)}`);
  }
  return value as T;
}

export const hasMethod = (v: unknown, m: string): boolean => typeof v === 'object' && v !== null && typeof (v as Record<string, unknown>)[m] === 'function';

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'an object';
  return `${typeof v} ${String(v)}`;
}
