import { ErrorCode, NNError, serialize, type Configurable, type JsonObject, type Serialized } from '@nn/core';
import type { ObjectiveModule, Study } from './study.js';
import type * as ChildProcess from 'node:child_process';
import type * as NodePath from 'node:path';
import type * as NodeUrl from 'node:url';

/** What the parent sends a worker process (as one JSON argument). */
export interface WorkerPayload {
  storage: Serialized;
  sampler: Serialized;
  pruner: Serialized;
  studyName: string;
  module: string;
  export: string;
  nTrials: number | null;
  timeout: number | null;
  catch: boolean;
  workerIndex: number;
  /** The parent sampler's state, for worker 0 to continue its stream (the others start from their own seeds). */
  samplerState: JsonObject | null;
}

const fail = (message: string): never => {
  throw new NNError(ErrorCode.InvalidArgument, message);
};

// Worker processes exist only in Node. The module name is a variable, so browser bundlers (esbuild, Vite) leave
// this import alone instead of failing on, or stubbing, node:child_process for every @nn/hpo user.
export const nodeBuiltin = <T>(id: string): Promise<T> => import(/* @vite-ignore */ id) as Promise<T>;

/**
 * Runs `concurrency` worker processes, each opening the study from its storage and running its share of
 * the trials with the objective imported from `ref.module`. Samplers with a numeric `seed` get seed + i in
 * worker i, so the workers do not propose the same points.
 */
export async function runWorkerProcesses(study: Study, ref: ObjectiveModule, options: { nTrials?: number; timeout?: number; concurrency: number; catch: boolean }): Promise<void> {
  const storage = serializeForWorkers('optimize', 'storage', study.storage, ' (use a storage other processes can open, such as SQLiteStorage)');
  const sampler = serializeForWorkers('optimize', 'sampler', study.sampler, '');
  const pruner = serializeForWorkers('optimize', 'pruner', study.pruner, '');
  const target = await resolveModuleExport('optimize', 'objective', ref);
  const n = options.concurrency;
  const runs = Array.from({ length: n }, async (_, i) => {
    const share = options.nTrials === undefined ? null : Math.floor(options.nTrials / n) + (i < options.nTrials % n ? 1 : 0);
    if (share === 0) return;
    const seeded = typeof sampler.config.seed === 'number' ? { ...sampler, config: { ...sampler.config, seed: sampler.config.seed + i } } : sampler;
    const payload: WorkerPayload = {
      storage,
      sampler: seeded,
      pruner,
      studyName: study.studyName,
      ...target,
      nTrials: share,
      timeout: options.timeout ?? null,
      catch: options.catch,
      workerIndex: i,
      // Taken now, not read from the storage by the worker: a late worker would find another worker's state.
      samplerState: i === 0 ? (study.sampler.stateDict?.() ?? null) : null,
    };
    const worker = await startWorkerProcess('process-worker', import.meta.url, [JSON.stringify(payload)]);
    const { code, signal } = await worker.exited;
    if (code !== 0) throw new NNError(ErrorCode.InvalidArgument, `optimize: worker process ${i} ${describeExit(code, signal, worker.stderrTail())}`, { worker: i, code, signal });
  });
  const results = await Promise.allSettled(runs);
  // Carry on from what the workers left, so a later in-process optimize does not replay their points.
  study.reloadSamplerState();
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

// The helpers below are exported for other packages that run work in processes (@nn/nas runs architecture
// candidates this way), so that module references, worker entry points and exit reports work alike.

/**
 * The config of `obj` for a worker process to rebuild it from (`deserialize`), or an NNError saying what of
 * `where`'s options cannot cross a process boundary; `hint` is appended to it.
 */
export function serializeForWorkers(where: string, what: string, obj: unknown, hint: string): Serialized {
  try {
    return serialize(obj as Configurable);
  } catch (e) {
    return fail(`${where}: worker processes rebuild the ${what} from its config, but ${(e as Error).message}${hint}`);
  }
}

/**
 * A module export reference (`{ module, export }`) as a worker process imports it: the module as a file: URL
 * (a path is resolved against the working directory) and the export name (default 'default').
 */
export async function resolveModuleExport(where: string, what: string, ref: ObjectiveModule): Promise<{ module: string; export: string }> {
  const [{ pathToFileURL }, { resolve }] = await Promise.all([nodeBuiltin<typeof NodeUrl>('node:url'), nodeBuiltin<typeof NodePath>('node:path')]);
  const mod = ref.module instanceof URL ? ref.module.href : typeof ref.module === 'string' && ref.module !== '' ? (ref.module.startsWith('file:') ? ref.module : pathToFileURL(resolve(ref.module)).href) : fail(`${where}: ${what}.module must be a path or a URL`);
  const exportName = ref.export ?? 'default';
  if (typeof exportName !== 'string') fail(`${where}: ${what}.export must be a string`);
  return { module: mod, export: exportName };
}

/** A started worker process: its exit, and the last lines it wrote to stderr (also passed through to ours). */
export interface WorkerProcess {
  child: ChildProcess.ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderrTail(): string;
}

/**
 * Starts `node <entry> ...args`, where the entry is the file `name` beside `caller` (the caller's
 * `import.meta.url`) with the caller's own extension: a package run from its TypeScript sources starts
 * `name.ts` with tsx, its ESM build `name.js`, its CommonJS build `name.cjs` (each a build entry of its own).
 * `ipc` opens a message channel (`child.send`; `process.send` in the worker).
 */
export async function startWorkerProcess(name: string, caller: string, args: string[], options: { ipc?: boolean } = {}): Promise<WorkerProcess> {
  const [{ spawn }, { fileURLToPath }] = await Promise.all([nodeBuiltin<typeof ChildProcess>('node:child_process'), nodeBuiltin<typeof NodeUrl>('node:url')]);
  const ext = caller.endsWith('.ts') ? '.ts' : caller.endsWith('.cjs') ? '.cjs' : '.js';
  const file = new URL(`./${name}${ext}`, caller);
  const execArgv = ext === '.ts' ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...execArgv, fileURLToPath(file), ...args], { stdio: ['ignore', 'inherit', 'pipe', ...(options.ipc ? ['ipc' as const] : [])] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d).slice(-4000);
    process.stderr.write(d);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    child.on('error', (e) => {
      stderr += `${e.message}\n`;
      done({ code: null, signal: null });
    });
    // After the child's stderr is read to the end, so the tail holds its last words. (Not the child's 'close'
    // event: that never comes for a child whose message channel the parent disconnected.)
    child.on('exit', (code, signal) => {
      if (!child.stderr || child.stderr.closed) done({ code, signal });
      else child.stderr.once('close', () => done({ code, signal }));
    });
  });
  return { child, exited, stderrTail: () => stderr.trim().split('\n').slice(-3).join(' | ') };
}

/** "exited with code 1: <last stderr lines>" / "was killed by SIGKILL", for error messages about a worker. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null, stderrTail: string): string {
  return `${signal ? `was killed by ${signal}` : code === null ? 'could not start' : `exited with code ${code}`}${stderrTail ? `: ${stderrTail}` : ''}`;
}
