import { checkOptions, type JsonObject } from '@nn/core';
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

/**
 * A plain-object options argument, or nothing (undefined or null: a config may hold null); an option name
 * not in `known` (a typo, or Keras' snake_case) is refused with its near misses.
 */
export const optionsObject = <T extends object>(what: string, value: T | undefined | null, known: readonly string[]): Partial<T> => checkOptions(what, value ?? undefined, known) as Partial<T>;
