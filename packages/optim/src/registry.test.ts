import { NNError, deserialize, registry, serialize } from '@nn/core';
import { zeros, type Tensor } from '@nn/tensor';
import { describe, expect, it } from 'vitest';
import { Adadelta, Adagrad, Adam, AdamW, Adamax, NAdam, RMSprop, SGD, getOptimizer, type Optimizer, type OptimizerClass } from './index.js';
import { Halving, withHalvingRegistered } from './testing/halving.js';

describe('registry and JSON configs', () => {
  it('registers every optimizer under a lowercase name', () => {
    const expected = { sgd: SGD, adagrad: Adagrad, rmsprop: RMSprop, adadelta: Adadelta, adam: Adam, adamw: AdamW, nadam: NAdam, adamax: Adamax };
    for (const [name, cls] of Object.entries(expected)) expect(registry.get('optimizer', name)).toBe(cls);
    expect(registry.list('optimizer')).toEqual(expect.arrayContaining(Object.keys(expected)));
  });

  it('an unknown name suggests near misses', () => {
    expect(() => registry.get('optimizer', 'adma')).toThrow(/Unknown optimizer "adma". Did you mean "adam"/);
    expect(() => getOptimizer('rmsporp')).toThrow(NNError);
  });

  it('a registered class builds from options alone (compile({ optimizer: "adam" }))', () => {
    const Cls = registry.get('optimizer', 'adam');
    const opt = new Cls({ lr: 0.01 });
    expect(opt).toBeInstanceOf(Adam);
    expect(opt.paramGroups).toHaveLength(0);
    opt.addParamGroup({ params: [zeros([2])] });
    expect(opt.paramGroups[0].lr).toBe(0.01);
  });

  it('serialize / deserialize round-trips the options (not the parameters)', () => {
    const opt = new SGD([zeros([2])], { lr: 0.05, momentum: 0.9, nesterov: true, clipNorm: 1 });
    const json = serialize(opt);
    expect(json).toEqual({
      kind: 'optimizer',
      name: 'sgd',
      config: { lr: 0.05, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: true, maximize: false, clipNorm: 1 },
      format: 1,
    });
    const back = deserialize<SGD>(JSON.stringify(json));
    expect(back).toBeInstanceOf(SGD);
    expect(back.getConfig()).toEqual(opt.getConfig());
    expect(back.clipNorm).toBe(1);
    for (const Cls of [Adagrad, RMSprop, Adadelta, Adam, AdamW, NAdam, Adamax] as OptimizerClass[]) {
      const o = new Cls();
      expect(deserialize<Optimizer>(serialize(o)).getConfig()).toEqual(o.getConfig());
    }
  });

  it('satisfies the structural contract @nn/layers compiles against', () => {
    interface OptimizerLike {
      paramGroups: { params: Tensor[] }[];
      addParamGroup(group: { params: Tensor[] }): void;
      step(): void;
      zeroGrad(): void;
      stateDict?(): unknown;
      loadStateDict?(state: unknown): void;
      getConfig?(): Record<string, unknown>;
    }
    const all: OptimizerLike[] = [new SGD(), new Adagrad(), new RMSprop(), new Adadelta(), new Adam(), new AdamW(), new NAdam(), new Adamax()];
    const base: Optimizer[] = [new SGD(), new Adam()];
    expect(all.length + base.length).toBe(10);
  });

  it('a registered schedule as lr is serialized in place, and rebuilt', () => {
    withHalvingRegistered('optimTestHalving2', () => {
      const json = serialize(new Adam({ lr: new Halving(0.4) }));
      expect(json.config.lr).toEqual({ kind: 'schedule', name: 'optimTestHalving2', config: { lr0: 0.4 }, format: 1 });
      const back = deserialize<Adam>(JSON.parse(JSON.stringify(json)));
      expect(back.defaults.lr).toBeInstanceOf(Halving);
      expect(back.currentLr()).toBe(0.4);
      // an inline schedule is not serializable: serialize says so rather than dropping it
      expect(() => serialize(new Adam({ lr: { lrAt: () => 1 } }))).toThrow(NNError);
    });
  });

  it('getOptimizer takes an instance, a name or a serialized config', () => {
    const opt = new Adam();
    expect(getOptimizer(opt)).toBe(opt);
    expect(getOptimizer('adamax')).toBeInstanceOf(Adamax);
    expect(getOptimizer(serialize(new NAdam({ lr: 0.5 }))).currentLr()).toBe(0.5);
    expect(() => getOptimizer({ kind: 'layer', name: 'dense', config: {}, format: 1 })).toThrow(/expected a serialized optimizer/);
    expect(() => getOptimizer(3 as never)).toThrow(/expected an optimizer/);
  });
});
