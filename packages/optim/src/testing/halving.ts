// A registered schedule for tests of how optimizers save one (not part of the package's build).
import { registry } from '@nn/core';

/** lr0 / 2^t, registered under kind `schedule` as `name` while `fn` runs. */
export class Halving {
  constructor(readonly lr0: number) {}
  lrAt(t: number) {
    return this.lr0 / 2 ** t;
  }
  getConfig() {
    return { lr0: this.lr0 };
  }
  static fromConfig(c: { lr0: number }) {
    return new Halving(c.lr0);
  }
}

export function withHalvingRegistered(name: string, fn: () => void): void {
  registry.register('schedule' as never, name, Halving as never);
  try {
    fn();
  } finally {
    registry.unregister('schedule', name);
  }
}
