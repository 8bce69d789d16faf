import { ErrorCode, NNError, nearMisses } from '@nn/core';

/** Throws on an option nobody reads (a typo like `minResouce` would otherwise be silently ignored). */
export function checkOptions(where: string, options: object | undefined, allowed: readonly string[]): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new NNError(ErrorCode.InvalidArgument, `${where}: options must be an object, got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      const near = nearMisses(key, [...allowed]);
      throw new NNError(
        ErrorCode.InvalidArgument,
        `${where}: unknown option "${key}"${near.length ? `; did you mean "${near[0]}"?` : ''} (options: ${allowed.join(', ')})`,
        { option: key },
      );
    }
  }
}

/** Reads an optional positive integer option, naming it in the error. */
export function intOption(where: string, name: string, value: unknown, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new NNError(ErrorCode.InvalidArgument, `${where}: ${name} must be an integer >= ${min}, got ${String(value)}`, { [name]: value });
  }
  return value;
}

/** Reads an optional number option, naming it in the error. */
export function numberOption(where: string, name: string, value: unknown, fallback: number, check: (v: number) => boolean = Number.isFinite, expected = 'a finite number'): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !check(value)) {
    throw new NNError(ErrorCode.InvalidArgument, `${where}: ${name} must be ${expected}, got ${String(value)}`, { [name]: value });
  }
  return value;
}

/** Reads an optional seed. */
export function seedOption(where: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new NNError(ErrorCode.InvalidArgument, `${where}: seed must be a finite number, got ${String(value)}`, { seed: value });
  return value;
}
