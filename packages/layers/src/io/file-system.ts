// The Node file system as the `file` scheme (plain paths and file:// URLs): a directory holding model.json and
// weights-<crc>.bin. Imported only by the Node entry (src/node.ts, the package's `node` export condition),
// so browser bundles never see node:fs.
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ErrorCode, NNError, registry } from '@nn/core';
import { MODEL_FILE } from '../save.js';
import { ioError, type ModelArtifacts, type ModelLoader, type ModelSaver } from './handler.js';

const join = (...parts: string[]) => parts.join('/').replace(/\/+/g, '/');
const dirOf = (rest: string, target: string) => (target.startsWith('file://') ? fileURLToPath(target) : rest);

/** Writes to a temporary name, then renames: a crash mid-write never leaves a half-written file under the real name. */
async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw ioError('save', path, `cannot write it (${reason(e)})`, { code: (e as NodeJS.ErrnoException).code });
  }
}

const TEMPORARY = /\.tmp-(\d+)-[a-z0-9]+$/;

/** Whether process `pid` is running (a temporary file of a live process may be mid-write). */
function alive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temporary files a killed save left behind (their writer is gone), so they do not pile up. */
async function removeStale(dir: string, names: readonly string[]): Promise<void> {
  for (const name of names) {
    const m = TEMPORARY.exec(name);
    if (m && !alive(Number(m[1]))) await rm(join(dir, name), { force: true }).catch(() => undefined);
  }
}

/**
 * The weights file is written first under a content-derived name and model.json is swapped in last, so at
 * every moment the directory holds either the old model or the new one, whole.
 */
function fileSaver(dir: string): ModelSaver {
  return {
    target: dir,
    async save({ modelJson, weightsFile, weights }: ModelArtifacts) {
      try {
        await mkdir(dir, { recursive: true });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw ioError('save', dir, `cannot create the model directory (${code === 'EEXIST' || code === 'ENOTDIR' ? `${code}: a file of that name is in the way` : reason(e)})`, { code });
      }
      await removeStale(dir, await list(dir));
      await writeAtomic(join(dir, weightsFile), weights);
      await writeAtomic(join(dir, MODEL_FILE), modelJson);
      // Old weights files are unreferenced now.
      for (const name of await list(dir)) {
        if (/^weights-[0-9a-f]{8}\.bin$/.test(name) && name !== weightsFile) {
          await rm(join(dir, name), { force: true }).catch((e: unknown) => {
            throw ioError('save', join(dir, name), `cannot remove the old weights file (${reason(e)})`);
          });
        }
      }
    },
  };
}

const reason = (e: unknown) => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

async function list(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (e) {
    throw ioError('save', dir, `cannot list the model directory (${reason(e)})`);
  }
}

function fileLoader(dir: string): ModelLoader {
  const jsonPath = join(dir, MODEL_FILE);
  return {
    target: dir,
    modelLabel: jsonPath,
    weightsLabel: (file) => join(dir, file),
    async readModelJson() {
      try {
        return await readFile(jsonPath, 'utf8');
      } catch (e) {
        throw ioError('loadModel', jsonPath, `cannot read it (${reason(e)}); is ${dir} a saved model directory?`);
      }
    },
    async readWeights(file) {
      const binPath = join(dir, file);
      try {
        return new Uint8Array(await readFile(binPath));
      } catch (e) {
        throw ioError('loadModel', binPath, `cannot read the weights file (${reason(e)})`);
      }
    },
  };
}

registry.register('ioScheme', 'file', {
  saver: (rest, target) => fileSaver(dirOf(rest, target)),
  loader: (rest, target) => fileLoader(dirOf(rest, target)),
  async remove(rest, target) {
    const dir = dirOf(rest, target);
    try {
      await rm(dir, { recursive: true, force: true });
    } catch (e) {
      throw ioError('save', dir, `cannot remove the old checkpoint (${reason(e)})`);
    }
  },
  async readText(rest, target) {
    const path = dirOf(rest, target);
    try {
      return await readFile(path, 'utf8');
    } catch (e) {
      throw new NNError(ErrorCode.InvalidArgument, `readCsv: ${path}: cannot read it (${reason(e)})`, { target: path });
    }
  },
  async writeText(rest, target, text) {
    await writeAtomic(dirOf(rest, target), text);
  },
});
