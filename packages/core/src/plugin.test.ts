import { describe, expect, it } from 'vitest';
import { definePlugin, installedPlugins, registry, use } from './index.js';

declare module './registry.js' {
  interface RegistryKinds {
    gadget: { run(): number };
  }
}

describe('plugins', () => {
  it('installs every entry of a plugin and records it', () => {
    const one = { run: () => 1 };
    const two = { run: () => 2 };
    const p = definePlugin({ name: 'test-gadgets', version: '1.0.0', register: { gadget: { one, two } } });
    use(p);
    expect(registry.get('gadget', 'one').run()).toBe(1);
    expect(registry.get('gadget', 'two')).toBe(two);
    expect(installedPlugins()).toContainEqual({ name: 'test-gadgets', version: '1.0.0' });
    // The same plugin again is harmless.
    expect(() => use(p)).not.toThrow();
    // Same name and version, same entries (a second copy of the package): harmless too.
    expect(() => use(definePlugin({ name: 'test-gadgets-copy', version: '1.0.0', register: { gadget: { one } } }))).not.toThrow();
  });

  it('refuses another version of an installed plugin', () => {
    use(definePlugin({ name: 'versioned', version: '1.0.0', register: {} }));
    expect(() => use(definePlugin({ name: 'versioned', version: '2.0.0', register: {} }))).toThrow('use: plugin "versioned" 1.0.0 is already installed; cannot also install 2.0.0');
  });

  it('refuses a clashing entry and registers nothing of that plugin', () => {
    use(definePlugin({ name: 'first', version: '1.0.0', register: { gadget: { clash: { run: () => 1 } } } }));
    const clashing = definePlugin({ name: 'second', version: '1.0.0', register: { gadget: { fresh: { run: () => 3 }, clash: { run: () => 2 } } } });
    expect(() => use(clashing)).toThrow('use: plugin "second" registers gadget "clash", which is already registered by something else');
    expect(registry.has('gadget', 'fresh')).toBe(false);
    expect(registry.get('gadget', 'clash').run()).toBe(1);
  });

  it('checks the shape of a plugin where it is defined', () => {
    expect(() => definePlugin({ name: '', version: '1', register: {} })).toThrow('definePlugin: a plugin needs a non-empty string name');
    expect(() => definePlugin({ name: 'p', version: '', register: {} })).toThrow('definePlugin(p): a plugin needs a version string');
    expect(() => definePlugin({ name: 'p', version: '1', register: null as never })).toThrow('definePlugin(p): register must be an object');
    expect(() => definePlugin({ name: 'p', version: '1', register: { gadget: 3 as never } })).toThrow('definePlugin(p): register.gadget must be an object');
  });
});
