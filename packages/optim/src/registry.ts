import type { JsonObject } from '@nn/core';
import type { Optimizer } from './optimizer.js';

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
