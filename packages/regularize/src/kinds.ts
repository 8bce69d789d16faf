import { ErrorCode, NNError, nearMisses, registry, type JsonObject } from '@nn/core';
import type { Tensor } from '@nn/tensor';

/** A weight penalty: a scalar the model adds to the loss (the shape @nn/layers calls `RegularizerLike`). */
export interface Regularizer {
  penalty(weight: Tensor): Tensor;
  getConfig(): Record<string, unknown>;
}

/** A projection applied in place to a weight after each optimizer step (@nn/layers' `ConstraintLike`). */
export interface Constraint {
  apply(weight: Tensor): void;
  getConfig(): Record<string, unknown>;
}

/** What the registry holds under kind `regularizer`: a class rebuilding a regularizer from its config. */
export interface RegularizerClass {
  fromConfig(config: JsonObject): Regularizer;
}

/** What the registry holds under kind `constraint`. */
export interface ConstraintClass {
  fromConfig(config: JsonObject): Constraint;
}

// This package provides the regularizer and constraint kinds, so it types them for everyone (declaration
// merging): `registry.get('regularizer', 'l2')` is typed wherever @nn/regularize is imported.
declare module '@nn/core' {
  interface RegistryKinds {
    regularizer: RegularizerClass;
    constraint: ConstraintClass;
  }
}

// `layer` and `callback` are typed by the packages that define them; registering through an untyped view
// claims no type for them here (two declarations of one kind would clash in a repo-wide typecheck).
const untyped = registry as unknown as { register(kind: string, name: string, entry: unknown): void };

/** Registers under a kind this package does not declare (`layer`, `callback`). */
export const registerUntyped = (kind: string, name: string, entry: unknown): void => untyped.register(kind, name, entry);

/**
 * A plain-object options argument (or nothing); anything else is refused where it is written, and so is an
 * option name not in `known` (a typo, or Keras' snake_case), with the near misses.
 */
export function optionsObject<T extends object>(what: string, value: T | undefined, known?: readonly string[]): Partial<T> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new NNError(ErrorCode.InvalidArgument, `${what}: options must be an object, got ${Array.isArray(value) ? 'an array' : typeof value}`);
  }
  if (known) {
    for (const key of Object.keys(value)) {
      if (known.includes(key)) continue;
      const camel = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
      const near = known.includes(camel) ? [camel] : nearMisses(key, known);
      throw new NNError(
        ErrorCode.InvalidArgument,
        `${what}: unknown option "${key}"${near.length ? `; did you mean ${near.map((n) => `"${n}"`).join(', ')}?` : ''} (options: ${known.join(', ')})`,
        { option: key, nearMisses: near },
      );
    }
  }
  return value;
}

/** A finite number >= 0. */
export function nonNegative(what: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new NNError(ErrorCode.InvalidArgument, `${what} must be a finite number >= 0, got ${String(v)}`);
  return v;
}
