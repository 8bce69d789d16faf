// Picks the saver or loader for a target: a handler object as given, a `scheme://` string through registry kind
// `ioScheme`, a plain path through the `file` scheme (registered only by the Node build), File lists directly.
import { ErrorCode, NNError, registry } from '@nn/core';
import { filesLoader } from './files.js';
import { ioError, type IOScheme, type LoadSource, type ModelLoader, type ModelSaver, type SaveTarget } from './handler.js';

const isHandler = (v: unknown, method: string): boolean => typeof v === 'object' && v !== null && typeof (v as Record<string, unknown>)[method] === 'function';

/** `scheme://rest`, or the `file` scheme for a plain path. */
function parse(target: string): { scheme: string; rest: string } {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(target);
  return m ? { scheme: m[1].toLowerCase(), rest: m[2] } : { scheme: 'file', rest: target };
}

function scheme(op: 'save' | 'loadModel', target: string, method: 'saver' | 'loader'): { entry: IOScheme; rest: string } {
  const { scheme: name, rest } = parse(target);
  const entry = registry.has('ioScheme', name) ? registry.get('ioScheme', name) : undefined;
  if (entry?.[method]) return { entry, rest };
  const places = registry.list('ioScheme').filter((s) => s !== 'file' && registry.get('ioScheme', s)[method]).map((s) => `${s}://`);
  if (name === 'file') {
    throw ioError(op, target, `a file path needs Node's file system, which this build of @nn/layers does not have (a browser bundle); use ${places.join(', ')}`);
  }
  throw ioError(op, target, entry ? `cannot ${op === 'save' ? 'save to' : 'load from'} ${name}:// targets` : `unknown scheme "${name}://" (known: ${places.join(', ')})`);
}

/** The saver for a target string (or the saver given). */
export function saverFor(target: SaveTarget): ModelSaver {
  if (isHandler(target, 'save')) return target as ModelSaver;
  if (typeof target !== 'string' || target === '') throw new NNError(ErrorCode.InvalidArgument, `save: target must be a directory, a URL such as indexeddb://name, or a saver, got ${String(target)}`);
  const { entry, rest } = scheme('save', target, 'saver');
  return entry.saver!(rest, target);
}

/** Deletes the model saved at `target`, where its scheme can (the file system can); returns whether it did. */
export async function removeSaved(target: string): Promise<boolean> {
  const { scheme: name, rest } = parse(target);
  const entry = registry.has('ioScheme', name) ? registry.get('ioScheme', name) : undefined;
  if (!entry?.remove) return false;
  await entry.remove(rest, target);
  return true;
}

/** The loader for a source (or the loader given); a list of `File`s goes to the files loader. */
export function loaderFor(source: LoadSource): ModelLoader {
  if (isHandler(source, 'readModelJson')) return source as ModelLoader;
  if (typeof source === 'string' && source !== '') {
    const { entry, rest } = scheme('loadModel', source, 'loader');
    return entry.loader!(rest, source);
  }
  if (typeof Blob !== 'undefined' && typeof source === 'object' && source !== null && (Symbol.iterator in source || 'length' in source)) {
    return filesLoader(Array.from(source as ArrayLike<Blob>));
  }
  throw new NNError(ErrorCode.InvalidArgument, `loadModel: source must be a directory, a URL (indexeddb://, localstorage://, http(s)://), File objects (model.json and its weights file) or a loader, got ${String(source)}`);
}
