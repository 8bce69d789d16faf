import { ErrorCode, NNError, registry } from '@nn/core';

/** Where a text file (a CSV) can come from: a path or file:// URL (Node), an http(s):// URL, or a `File`/`Blob`. */
export type TextSource = string | Blob;

/** Reads a whole text file, through the same places models load from; errors name the source. */
export async function readText(source: TextSource, op: string): Promise<{ text: string; name: string }> {
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    const name = typeof (source as File).name === 'string' ? (source as File).name : 'blob';
    return { text: await source.text(), name };
  }
  if (typeof source !== 'string' || source === '') throw new NNError(ErrorCode.InvalidArgument, `${op}: source must be a path, a URL or a File, got ${String(source)}`);
  if (/^https?:\/\//i.test(source)) {
    let res: Response;
    try {
      res = await fetch(source);
    } catch (e) {
      throw new NNError(ErrorCode.InvalidArgument, `${op}: ${source}: cannot fetch it (${(e as Error).message})`, { target: source });
    }
    if (!res.ok) throw new NNError(ErrorCode.InvalidArgument, `${op}: ${source}: HTTP ${res.status} ${res.statusText}`.trim(), { target: source });
    return { text: await res.text(), name: source };
  }
  const file = registry.has('ioScheme', 'file') ? registry.get('ioScheme', 'file') : undefined;
  if (!file?.readText) throw new NNError(ErrorCode.InvalidArgument, `${op}: ${source}: a file path needs Node's file system (this is a browser build); pass a URL or a File`, { target: source });
  return { text: await file.readText(source.replace(/^file:\/\//, ''), source), name: source };
}
