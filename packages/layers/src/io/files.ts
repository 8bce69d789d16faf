import { ioError, type ModelLoader } from './handler.js';

const fileName = (b: Blob, i: number): string => (typeof (b as File).name === 'string' ? (b as File).name : `blob #${i}`);

/**
 * Loads from `File`s (an `<input type="file" multiple>`'s `files`, or a drop): the one ending in `.json` is
 * model.json; the weights are the file its manifest names, or else the only other file (downloads may rename).
 */
export function filesLoader(files: Blob[]): ModelLoader {
  const names = files.map(fileName);
  const target = `files [${names.join(', ')}]`;
  const jsonIndex = names.findIndex((n) => n.endsWith('.json'));
  const read = async (b: Blob) => new Uint8Array(await b.arrayBuffer());
  return {
    target,
    modelLabel: jsonIndex >= 0 ? names[jsonIndex] : target,
    weightsLabel: (file) => names.find((n) => n === file) ?? file,
    async readModelJson() {
      if (jsonIndex < 0) throw ioError('loadModel', target, 'none of the files is a model .json; pass model.json and its weights file together');
      return new TextDecoder().decode(await read(files[jsonIndex]));
    },
    async readWeights(file) {
      const byName = names.indexOf(file);
      const others = files.filter((_, i) => i !== jsonIndex);
      const blob = byName >= 0 ? files[byName] : others.length === 1 ? others[0] : undefined;
      if (!blob) throw ioError('loadModel', target, `the weights file ${file} is not among the files (pass it with model.json)`);
      return read(blob);
    },
  };
}
