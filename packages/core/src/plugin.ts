import { ErrorCode, NNError } from './errors.js';
import { registry, type RegistryKind, type RegistryKinds } from './registry.js';

/** Entries a plugin registers: kind -> name -> entry, typed by {@link RegistryKinds}. */
export type PluginEntries = { [K in RegistryKind]?: Record<string, RegistryKinds[K]> };

/** A plugin: a named, versioned bundle of registry entries. */
export interface Plugin {
  readonly name: string;
  readonly version: string;
  readonly register: PluginEntries;
}

/** Declares a plugin. Checks its shape now, so a malformed plugin fails where it is written, not where it is used. */
export function definePlugin<P extends Plugin>(plugin: P): P {
  if (typeof plugin?.name !== 'string' || plugin.name === '') throw new NNError(ErrorCode.InvalidArgument, 'definePlugin: a plugin needs a non-empty string name');
  if (typeof plugin.version !== 'string' || plugin.version === '') throw new NNError(ErrorCode.InvalidArgument, `definePlugin(${plugin.name}): a plugin needs a version string`);
  if (typeof plugin.register !== 'object' || plugin.register === null) throw new NNError(ErrorCode.InvalidArgument, `definePlugin(${plugin.name}): register must be an object { kind: { name: entry } }`);
  for (const [kind, entries] of Object.entries(plugin.register)) {
    if (typeof entries !== 'object' || entries === null) throw new NNError(ErrorCode.InvalidArgument, `definePlugin(${plugin.name}): register.${kind} must be an object { name: entry }`);
  }
  return Object.freeze(plugin);
}

const KEY = Symbol.for('@nn/core/plugins@1');
type GlobalWithPlugins = typeof globalThis & { [KEY]?: Map<string, Plugin> };
const installed: Map<string, Plugin> = ((globalThis as GlobalWithPlugins)[KEY] ??= new Map());

/**
 * Installs plugins into the registry. Using the same plugin again is harmless; a different version of an
 * installed plugin, or an entry that clashes with another package's, throws before anything is registered.
 */
export function use(...plugins: Plugin[]): void {
  for (const plugin of plugins) {
    const prior = installed.get(plugin.name);
    if (prior === plugin) continue;
    if (prior && prior.version !== plugin.version) {
      throw new NNError(ErrorCode.PluginConflict, `use: plugin "${plugin.name}" ${prior.version} is already installed; cannot also install ${plugin.version}`, { plugin: plugin.name, installed: prior.version, requested: plugin.version });
    }
    const entries = Object.entries(plugin.register).flatMap(([kind, byName]) => Object.entries(byName as object).map(([name, entry]) => ({ kind, name, entry })));
    for (const { kind, name, entry } of entries) {
      if (registry.has(kind, name) && registry.get(kind as RegistryKind, name) !== entry) {
        throw new NNError(ErrorCode.PluginConflict, `use: plugin "${plugin.name}" registers ${kind} "${name}", which is already registered by something else`, { plugin: plugin.name, kind, name });
      }
    }
    for (const { kind, name, entry } of entries) registry.register(kind as RegistryKind, name, entry as never);
    installed.set(plugin.name, plugin);
  }
}

/** The installed plugins' names and versions. */
export function installedPlugins(): { name: string; version: string }[] {
  return [...installed.values()].map(({ name, version }) => ({ name, version }));
}
