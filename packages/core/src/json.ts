import { ErrorCode, NNError } from './errors.js';

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Throws unless `value` is plain JSON data: no functions, class instances, symbols, undefined, non-finite
 * numbers or prototype-polluting keys. This is what guarantees that loading a config never runs code.
 */
export function assertJson(value: unknown, where: string): asserts value is JsonValue {
  const path: string[] = [];
  const visit = (v: unknown): void => {
    const at = () => `${where}${path.length ? '.' + path.join('.') : ''}`;
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new NNError(ErrorCode.InvalidConfig, `${at()}: ${v} is not valid JSON data`, { where: at() });
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        path.push(String(i));
        visit(item);
        path.pop();
      });
      return;
    }
    if (typeof v === 'object') {
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) {
        throw new NNError(ErrorCode.InvalidConfig, `${at()}: a ${proto?.constructor?.name ?? 'non-plain'} object is not JSON data`, { where: at() });
      }
      for (const key of Object.keys(v)) {
        if (FORBIDDEN_KEYS.has(key)) throw new NNError(ErrorCode.InvalidConfig, `${at()}: key "${key}" is not allowed in a config`, { where: at(), key });
        path.push(key);
        visit((v as Record<string, unknown>)[key]);
        path.pop();
      }
      return;
    }
    throw new NNError(ErrorCode.InvalidConfig, `${at()}: a ${typeof v} is not JSON data (configs hold data only, never code)`, { where: at() });
  };
  visit(value);
}
