import { describe, expect, it } from 'vitest';
import { assertJson, deserialize, FORMAT_VERSION, registry, serialize, type JsonObject } from './index.js';

class Schedule {
  constructor(readonly lr: number) {}
  getConfig() {
    return { lr: this.lr };
  }
  static fromConfig(c: JsonObject) {
    return new Schedule(c.lr as number);
  }
}

class Optimizer {
  constructor(readonly options: { lr: Schedule; betas: [number, number]; extra?: number }) {}
  getConfig() {
    return { lr: this.options.lr, betas: this.options.betas, extra: this.options.extra };
  }
  static fromConfig(c: JsonObject) {
    return new Optimizer(c as unknown as { lr: Schedule; betas: [number, number] });
  }
}

class Stack {
  constructor(readonly items: Optimizer[], readonly meta: { inner: Schedule }) {}
  getConfig() {
    return { items: this.items, meta: this.meta };
  }
  static fromConfig(c: JsonObject) {
    return new Stack(c.items as unknown as Optimizer[], c.meta as unknown as { inner: Schedule });
  }
}

declare module './registry.js' {
  interface RegistryKinds {
    testSchedule: typeof Schedule;
    testOptimizer: typeof Optimizer;
    testStack: typeof Stack;
    testNoConfig: object;
  }
}

registry.register('testSchedule', 'constantLr', Schedule);
registry.register('testOptimizer', 'fancy', Optimizer);
registry.register('testStack', 'stack', Stack);

describe('serialize / deserialize', () => {
  it('round-trips nested configs through JSON text', () => {
    const stack = new Stack([new Optimizer({ lr: new Schedule(0.1), betas: [0.9, 0.999] })], { inner: new Schedule(0.5) });
    const json = serialize(stack);
    expect(json).toEqual({
      kind: 'testStack',
      name: 'stack',
      format: FORMAT_VERSION,
      config: {
        items: [
          {
            kind: 'testOptimizer',
            name: 'fancy',
            format: 1,
            config: { lr: { kind: 'testSchedule', name: 'constantLr', format: 1, config: { lr: 0.1 } }, betas: [0.9, 0.999] },
          },
        ],
        meta: { inner: { kind: 'testSchedule', name: 'constantLr', format: 1, config: { lr: 0.5 } } },
      },
    });
    const back = deserialize<Stack>(JSON.stringify(json));
    expect(back).toBeInstanceOf(Stack);
    expect(back.items[0]).toBeInstanceOf(Optimizer);
    expect(back.items[0].options.lr).toBeInstanceOf(Schedule);
    expect(back.items[0].options.lr.lr).toBe(0.1);
    expect(back.meta.inner.lr).toBe(0.5);
    expect(serialize(back)).toEqual(json);
  });

  it('refuses objects that are not registered or have no getConfig', () => {
    class Loose {
      getConfig() {
        return {};
      }
    }
    expect(() => serialize(new Loose())).toThrow('serialize: Loose is not serializable: its class is not registered');
    expect(() => serialize({} as never)).toThrow('serialize: Object is not serializable: it has no getConfig()');
  });

  it('refuses a config that is not JSON data', () => {
    class Bad {
      getConfig() {
        return { fn: () => 1 };
      }
      static fromConfig() {
        return new Bad();
      }
    }
    registry.register('testSchedule', 'bad', Bad as never);
    expect(() => serialize(new Bad())).toThrow('testSchedule "bad" config.fn: a function is not JSON data (configs hold data only, never code)');
  });

  it('refuses a newer format clearly', () => {
    expect(() => deserialize({ kind: 'testSchedule', name: 'constantLr', config: { lr: 1 }, format: FORMAT_VERSION + 1 })).toThrow(
      `deserialize: testSchedule "constantLr" was saved in format ${FORMAT_VERSION + 1}; this version of @nn/core reads formats 1..${FORMAT_VERSION} — upgrade @nn/core`,
    );
  });

  it('names near misses for an unknown name', () => {
    expect(() => deserialize({ kind: 'testSchedule', name: 'constantLR', config: {}, format: 1 })).toThrow(/Unknown testSchedule "constantLR". Did you mean "constantLr"\?/);
  });

  it('refuses malformed input', () => {
    expect(() => deserialize('{oops')).toThrow(/deserialize: not valid JSON/);
    expect(() => deserialize({ kind: 'x', name: 'y' })).toThrow('deserialize: expected an object { kind, name, config, format }');
    expect(() => deserialize({ kind: 'x', name: 'y', config: [], format: 1 })).toThrow('deserialize: expected an object');
  });

  it('refuses entries without fromConfig', () => {
    registry.register('testNoConfig', 'plain', {});
    expect(() => deserialize({ kind: 'testNoConfig', name: 'plain', config: {}, format: 1 })).toThrow('deserialize: the testNoConfig "plain" has no fromConfig, so it cannot be loaded from JSON');
  });

  it('can never run code from a config', () => {
    const payload = JSON.parse('{"kind":"testSchedule","name":"constantLr","format":1,"config":{"__proto__":{"polluted":true}}}');
    expect(() => deserialize(payload)).toThrow('key "__proto__" is not allowed in a config');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(() => deserialize({ kind: 'testSchedule', name: 'constantLr', format: 1, config: { lr: { valueOf: () => 1 } } })).toThrow('a function is not JSON data');
  });
});

describe('assertJson', () => {
  it('accepts plain data and names the path of anything else', () => {
    expect(() => assertJson({ a: [1, 'x', null, true, { b: 2 }] }, 'cfg')).not.toThrow();
    expect(() => assertJson({ a: [1, NaN] }, 'cfg')).toThrow('cfg.a.1: NaN is not valid JSON data');
    expect(() => assertJson({ a: new Date(0) }, 'cfg')).toThrow('cfg.a: a Date object is not JSON data');
    expect(() => assertJson({ a: undefined }, 'cfg')).toThrow('cfg.a: a undefined is not JSON data');
    expect(() => assertJson({ a: Symbol('s') }, 'cfg')).toThrow('cfg.a: a symbol is not JSON data');
  });
});
