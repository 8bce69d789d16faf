import { ErrorCode, NNError, deserialize, isSerialized, registry, type JsonObject, type Serialized } from '@nn/core';
import { Optimizer } from './optimizer.js';

/** What the registry holds under kind `optimizer`: a class built from options alone (parameters bound later). */
export interface OptimizerClass {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  new (options?: any): Optimizer<any>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  fromConfig(config: JsonObject): Optimizer<any>;
}

declare module '@nn/core' {
  interface RegistryKinds {
    optimizer: OptimizerClass;
  }
}

/** An optimizer as a user may name it: an instance, a registry name ('adam'), or its serialized config. */
export type OptimizerIdentifier = Optimizer | string | Serialized;

/**
 * The optimizer an identifier stands for, so a training API can take `'adam'`, a saved config or an
 * instance alike. A name gives a fresh optimizer with the defaults and no parameters (bind them with
 * `addParamGroup`).
 */
export function getOptimizer(identifier: OptimizerIdentifier): Optimizer {
  if (identifier instanceof Optimizer) return identifier;
  if (typeof identifier === 'string') return new (registry.get('optimizer', identifier))();
  if (isSerialized(identifier)) {
    if (identifier.kind !== 'optimizer') throw new NNError(ErrorCode.InvalidConfig, `getOptimizer: expected a serialized optimizer, got a ${identifier.kind}`, { kind: identifier.kind });
    return deserialize<Optimizer>(identifier);
  }
  throw new NNError(ErrorCode.InvalidArgument, `getOptimizer: expected an optimizer, its name or its serialized config, got ${String(identifier)}`);
}
