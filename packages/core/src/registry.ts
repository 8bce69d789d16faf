import { ErrorCode, NNError } from './errors.js';
import { nearMisses } from './near.js';
import type { CallbackClass } from './callbacks.js';

/**
 * The kinds of the registry and the entry type of each. Core declares `callback` (its interface lives here);
 * every package adds its own kinds by declaration merging, and third-party packages do the same, so `registry.get('optimizer', 'adam')` is
 * typed by whichever package defines optimizers:
 *
 * ```ts
 * declare module '@nn/core' {
 *   interface RegistryKinds { optimizer: OptimizerClass }
 * }
 * ```
 */
export interface RegistryKinds {
  /** Training callbacks by name (`earlyStopping`, `csvLogger`…), so `fit(…, { callbacks: ['name'] })` and JSON can name them. */
  callback: CallbackClass;
}

/** A kind name declared through {@link RegistryKinds}. */
export type RegistryKind = keyof RegistryKinds & string;

export interface RegisterOptions {
  /** Replace a different entry already registered under the same kind and name. */
  override?: boolean;
}

/**
 * Which package provides the entries of a kind (or one `kind:name`), for errors when a name is missing
 * because the package that provides it is not installed or not imported.
 */
const PROVIDERS: Record<string, string> = {
  backend: '@nn/tensor',
  'backend:gpujs': '@nn/tensor/gpu',
  layer: '@nn/layers',
  'layer:dropout': '@nn/regularize',
  activation: '@nn/layers',
  initializer: '@nn/layers',
  loss: '@nn/layers',
  metric: '@nn/layers',
  optimizer: '@nn/optim',
  schedule: '@nn/schedule',
  'callback:reduceOnPlateau': '@nn/schedule',
  'callback:earlyStopping': '@nn/regularize',
  'callback:pruning': '@nn/hpo',
  'callback:csvLogger': '@nn/layers',
  'callback:terminateOnNaN': '@nn/layers',
  ioScheme: '@nn/layers',
  regularizer: '@nn/regularize',
  constraint: '@nn/regularize',
  augmentation: '@nn/data-augment',
  sampler: '@nn/hpo',
  pruner: '@nn/hpo',
  storage: '@nn/hpo',
};

const pluralize = (kind: string) => (kind.endsWith('s') ? kind : `${kind}s`);

/** The registry: entries keyed by kind, then name. One instance per process (see {@link registry}). */
export class Registry {
  private readonly kinds = new Map<string, Map<string, unknown>>();
  /** entry -> its first (canonical) kind and name, so `serialize` can name an object by its class. */
  private readonly names = new WeakMap<object, { kind: string; name: string }>();

  /**
   * Adds an entry. Registering the very same entry again is a no-op (a module imported twice, a plugin
   * used twice); a different entry under a taken name throws unless `override` is set.
   */
  register<K extends RegistryKind>(kind: K, name: string, entry: RegistryKinds[K], options: RegisterOptions = {}): void {
    if (typeof kind !== 'string' || (kind as string) === '') throw new NNError(ErrorCode.InvalidArgument, `registry.register: kind must be a non-empty string, got ${String(kind)}`);
    if (typeof name !== 'string' || name === '') throw new NNError(ErrorCode.InvalidArgument, `registry.register(${kind}): name must be a non-empty string, got ${String(name)}`);
    if (entry === undefined || entry === null) throw new NNError(ErrorCode.InvalidArgument, `registry.register(${kind}, "${name}"): entry is ${entry}`);
    let byName = this.kinds.get(kind);
    if (!byName) this.kinds.set(kind, (byName = new Map()));
    const existing = byName.get(name);
    if (existing === entry) return;
    if (existing !== undefined && !options.override) {
      throw new NNError(
        ErrorCode.RegistryConflict,
        `registry.register: a different ${kind} is already registered as "${name}"; pass { override: true } to replace it`,
        { kind, name },
      );
    }
    byName.set(name, entry);
    if ((typeof entry === 'object' || typeof entry === 'function') && !this.names.has(entry as object)) {
      this.names.set(entry as object, { kind, name });
    }
  }

  /** Whether `name` is registered under `kind`. */
  has(kind: RegistryKind | (string & {}), name: string): boolean {
    return this.kinds.get(kind)?.has(name) ?? false;
  }

  /** The entry registered as `name` under `kind`; throws an error naming near misses and the providing package. */
  get<K extends RegistryKind>(kind: K, name: string): RegistryKinds[K] {
    const entry = this.kinds.get(kind)?.get(name);
    if (entry === undefined) throw this.unknown(kind, name);
    return entry as RegistryKinds[K];
  }

  /** The names registered under `kind`, sorted. */
  list(kind: RegistryKind | (string & {})): string[] {
    return [...(this.kinds.get(kind)?.keys() ?? [])].sort();
  }

  /** The kinds that have at least one entry, sorted. */
  kindsInUse(): string[] {
    return [...this.kinds.keys()].filter((k) => this.kinds.get(k)!.size > 0).sort();
  }

  /** The canonical kind and name of a registered entry (the first it was registered under), if any. */
  nameOf(entry: unknown): { kind: string; name: string } | undefined {
    if ((typeof entry !== 'object' && typeof entry !== 'function') || entry === null) return undefined;
    return this.names.get(entry);
  }

  /** Removes an entry (for tests and for plugins that replace one another). */
  unregister(kind: RegistryKind | (string & {}), name: string): boolean {
    return this.kinds.get(kind)?.delete(name) ?? false;
  }

  /** Whether `pkg` is imported: something it provides (by the table above) is registered. */
  private isLoaded(pkg: string): boolean {
    return Object.entries(PROVIDERS).some(([key, p]) => {
      if (p !== pkg) return false;
      const [kind, name] = key.split(':') as [string, string | undefined];
      return name === undefined ? (this.kinds.get(kind)?.size ?? 0) > 0 : this.has(kind, name);
    });
  }

  private unknown(kind: string, name: string): NNError {
    const known = this.list(kind);
    const near = nearMisses(name, known);
    const provider = PROVIDERS[`${kind}:${name}`] ?? PROVIDERS[kind];
    const specific = PROVIDERS[`${kind}:${name}`] !== undefined;
    let message = `Unknown ${kind} "${name}".`;
    if (near.length) message += ` Did you mean ${near.map((n) => `"${n}"`).join(', ')}?`;
    if (provider && this.isLoaded(provider)) {
      // The package is here, so installing it is not the fix: the name is a typo or a plugin not `use`d.
      message += ` ${provider} is loaded, but no plugin registered ${kind} "${name}" (a third-party one must be installed with use(plugin)).`;
    } else if (provider && (specific || known.length === 0 || near.length === 0)) {
      message += ` ${specific ? `"${name}" is provided by` : `${pluralize(kind)} are provided by`} ${provider}: install it and import it.`;
    }
    if (known.length && !near.length) {
      message += ` Registered ${pluralize(kind)}: ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', …' : ''}.`;
    } else if (!known.length) {
      message += ` No ${kind} is registered.`;
    }
    return new NNError(ErrorCode.UnknownEntry, message, { kind, name, nearMisses: near, provider });
  }
}

const KEY = Symbol.for('@nn/core/registry@1');
type GlobalWithRegistry = typeof globalThis & { [KEY]?: Registry };

/**
 * The process-wide registry. It lives on `globalThis` under a `Symbol.for` key, so two copies of
 * `@nn/core` in one bundle (or in `node_modules`) share it instead of each keeping half the entries.
 */
export const registry: Registry = ((globalThis as GlobalWithRegistry)[KEY] ??= new Registry());
