import { describe, expect, it, vi } from 'vitest';
import { NNError, registry, Registry } from './index.js';

declare module './registry.js' {
  interface RegistryKinds {
    widget: { size: number };
  }
}

// Kinds owned by other packages ('layer', 'regularizer') are used untyped here, so this test declares
// nothing that would clash with their declarations in a repo-wide typecheck.
type Untyped = { get(kind: string, name: string): unknown; register(kind: string, name: string, entry: unknown): void };

const fresh = () => new Registry();

describe('Registry', () => {
  it('registers, gets, has and lists entries by kind and name', () => {
    const r = fresh();
    const a = { size: 1 };
    const b = { size: 2 };
    r.register('widget', 'b', b);
    r.register('widget', 'a', a);
    expect(r.get('widget', 'a')).toBe(a);
    expect(r.has('widget', 'a')).toBe(true);
    expect(r.has('widget', 'zzz')).toBe(false);
    expect(r.has('nothing', 'a')).toBe(false);
    expect(r.list('widget')).toEqual(['a', 'b']);
    expect(r.list('nothing')).toEqual([]);
    expect(r.kindsInUse()).toEqual(['widget']);
  });

  it('treats registering the same entry twice as a no-op', () => {
    const r = fresh();
    const a = { size: 1 };
    r.register('widget', 'a', a);
    expect(() => r.register('widget', 'a', a)).not.toThrow();
    expect(r.list('widget')).toEqual(['a']);
  });

  it('refuses a different entry under a taken name unless asked to override', () => {
    const r = fresh();
    r.register('widget', 'a', { size: 1 });
    const other = { size: 2 };
    expect(() => r.register('widget', 'a', other)).toThrow(/a different widget is already registered as "a"; pass \{ override: true \}/);
    try {
      r.register('widget', 'a', other);
    } catch (e) {
      expect(e).toBeInstanceOf(NNError);
      expect((e as NNError).code).toBe('REGISTRY_CONFLICT');
    }
    r.register('widget', 'a', other, { override: true });
    expect(r.get('widget', 'a')).toBe(other);
  });

  it('rejects empty kinds, names and missing entries', () => {
    const r = fresh();
    expect(() => r.register('' as 'widget', 'a', { size: 1 })).toThrow(/kind must be a non-empty string/);
    expect(() => r.register('widget', '', { size: 1 })).toThrow(/registry.register\(widget\): name must be a non-empty string/);
    expect(() => r.register('widget', 'x', undefined as never)).toThrow(/registry.register\(widget, "x"\): entry is undefined/);
  });

  it('names near misses for an unknown name', () => {
    const r = fresh();
    for (const n of ['relu', 'elu', 'selu', 'sigmoid']) r.register('widget', n, { size: 1 });
    expect(() => r.get('widget', 'rleu')).toThrow('Unknown widget "rleu". Did you mean "relu"?');
    expect(() => r.get('widget', 'sigmod')).toThrow('Unknown widget "sigmod". Did you mean "sigmoid"?');
    expect(() => r.get('widget', 'Sigmoid')).toThrow(/Did you mean "sigmoid"/);
  });

  it('lists what is registered when nothing is close', () => {
    const r = fresh();
    r.register('widget', 'alpha', { size: 1 });
    expect(() => r.get('widget', 'zzzzzzzz')).toThrow('Unknown widget "zzzzzzzz". Registered widgets: alpha.');
  });

  it('names the package that provides a missing kind or entry', () => {
    const r = fresh() as unknown as Untyped;
    expect(() => r.get('regularizer', 'l2')).toThrow('Unknown regularizer "l2". regularizers are provided by @nn/regularize: install it and import it. No regularizer is registered.');
    r.register('layer', 'dense', { size: 1 });
    expect(() => r.get('layer', 'dropout')).toThrow('Unknown layer "dropout". "dropout" is provided by @nn/regularize: install it and import it. Registered layers: dense.');
    try {
      r.get('regularizer', 'l2');
    } catch (e) {
      expect((e as NNError).code).toBe('UNKNOWN_ENTRY');
      expect((e as NNError).details).toMatchObject({ kind: 'regularizer', name: 'l2', provider: '@nn/regularize' });
    }
  });

  it('says so when a kind has no entries and no known provider', () => {
    expect(() => fresh().get('widget', 'x')).toThrow('Unknown widget "x". No widget is registered.');
  });

  it('remembers the first name an entry was registered under', () => {
    const r = fresh();
    const e = { size: 1 };
    r.register('widget', 'canonical', e);
    r.register('widget', 'alias', e);
    expect(r.nameOf(e)).toEqual({ kind: 'widget', name: 'canonical' });
    expect(r.nameOf({})).toBeUndefined();
    expect(r.nameOf(3)).toBeUndefined();
    expect(r.unregister('widget', 'alias')).toBe(true);
    expect(r.unregister('widget', 'alias')).toBe(false);
  });
});

describe('the shared registry', () => {
  it('lives on globalThis, so two copies of @nn/core share it', async () => {
    const first = await import('./registry.js');
    vi.resetModules();
    const second = await import('./registry.js?copy=2' as string) as typeof first;
    // Two module instances, hence two Registry classes...
    expect(second.Registry).not.toBe(first.Registry);
    // ...but one registry: what one copy registers, the other sees.
    const entry = { size: 7 };
    first.registry.register('widget', 'shared-by-copies', entry);
    expect(second.registry.get('widget', 'shared-by-copies')).toBe(entry);
    expect(second.registry).toBe(registry);
    registry.unregister('widget', 'shared-by-copies');
  });
});

describe('a missing name whose provider is loaded', () => {
  it('says no plugin registered it instead of asking to install the package', () => {
    const r = new Registry();
    const untyped = r as unknown as { register(k: string, n: string, e: unknown): void; get(k: string, n: string): unknown };
    untyped.register('activation', 'relu', { relu: true }); // @nn/layers provides activations: it is loaded
    expect(() => untyped.get('layer', 'myLayer')).toThrow('Unknown layer "myLayer". @nn/layers is loaded, but no plugin registered layer "myLayer" (a third-party one must be installed with use(plugin)). No layer is registered.');
    expect(() => untyped.get('optimizer', 'lion')).toThrow('Unknown optimizer "lion". optimizers are provided by @nn/optim: install it and import it.');
  });
});
