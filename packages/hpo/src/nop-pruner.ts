import { registry } from '@nn/core';
import { checkOptions } from './options.js';
import type { Pruner } from './types.js';

/** Never prunes: for studies whose objective reports values only for the plots. */
export class NopPruner implements Pruner {
  constructor(options: Record<string, never> = {}) {
    checkOptions('NopPruner', options, []);
  }

  prune(): boolean {
    return false;
  }

  getConfig(): Record<string, unknown> {
    return {};
  }

  static fromConfig(): NopPruner {
    return new NopPruner();
  }
}

registry.register('pruner', 'nop', NopPruner);
registry.register('pruner', 'none', NopPruner);
