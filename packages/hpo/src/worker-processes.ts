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

function serializeFor(what: string, obj: unknown, hint: string): Serialized {
  try {
    return serialize(obj as Configurable);
  } catch (e) {
    return fail(`optimize: worker processes rebuild the ${what} from its config, but ${(e as Error).message}${hint}`);
  }
}

// Worker processes exist only in Node. The module name is a variable, so browser bundlers (esbuild, Vite) leave
// this import alone instead of failing on, or stubbing, node:child_process for every @nn/hpo user.
export const nodeBuiltin = <T>(id: string): Promise<T> => import(/* @vite-ignore */ id) as Promise<T>;

/**
 * Runs `concurrency` worker processes, each opening the study from its storage and running its share of
 * the trials with the objective imported from `ref.module`. Samplers with a numeric `seed` get seed + i in
 * worker i, so the workers do not propose the same points.
 */
export async function runWorkerProcesses(study: Study, ref: ObjectiveModule, options: { nTrials?: number; timeout?: number; concurrency: number; catch: boolean }): Promise<void> {
  const storage = serializeFor('storage', study.storage, ' (use a storage other processes can open, such as SQLiteStorage)');
  const sampler = serializeFor('sampler', study.sampler, '');
  const pruner = serializeFor('pruner', study.pruner, '');
  const [{ spawn }, { fileURLToPath, pathToFileURL }, { resolve }] = await Promise.all([
    nodeBuiltin<typeof ChildProcess>('node:child_process'), nodeBuiltin<typeof NodeUrl>('node:url'), nodeBuiltin<typeof NodePath>('node:path'),
  ]);
  const mod = ref.module instanceof URL ? ref.module.href : typeof ref.module === 'string' && ref.module !== '' ? (ref.module.startsWith('file:') ? ref.module : pathToFileURL(resolve(ref.module)).href) : fail('optimize: objective.module must be a path or a URL');
  const exportName = ref.export ?? 'default';
  if (typeof exportName !== 'string') fail('optimize: objective.export must be a string');

  const here = import.meta.url;
  const ext = here.endsWith('.ts') ? '.ts' : here.endsWith('.cjs') ? '.cjs' : '.js';
  const worker = new URL(`./process-worker${ext}`, here);
  const execArgv = ext === '.ts' ? ['--import', 'tsx'] : [];
  const n = options.concurrency;
  const runs = Array.from({ length: n }, (_, i) => {
    const share = options.nTrials === undefined ? null : Math.floor(options.nTrials / n) + (i < options.nTrials % n ? 1 : 0);
    if (share === 0) return Promise.resolve();
    const seeded = typeof sampler.config.seed === 'number' ? { ...sampler, config: { ...sampler.config, seed: sampler.config.seed + i } } : sampler;
    const payload: WorkerPayload = {
      storage,
      sampler: seeded,
      pruner,
      studyName: study.studyName,
      module: mod,
      export: exportName,
      nTrials: share,
      timeout: options.timeout ?? null,
      catch: options.catch,
      workerIndex: i,
      // Taken now, not read from the storage by the worker: a late worker would find another worker's state.
      samplerState: i === 0 ? (study.sampler.stateDict?.() ?? null) : null,
    };
    return new Promise<void>((done, reject) => {
      const child = spawn(process.execPath, [...execArgv, fileURLToPath(worker), JSON.stringify(payload)], { stdio: ['ignore', 'inherit', 'pipe'] });
      let stderr = '';
      child.stderr?.on('data', (d: Buffer) => {
        stderr += d;
        process.stderr.write(d);
      });
      child.on('error', reject);
      child.on('exit', (code, signal) => {
        if (code === 0) done();
        else reject(new NNError(ErrorCode.InvalidArgument, `optimize: worker process ${i} ${signal ? `was killed by ${signal}` : `exited with code ${code}`}${stderr ? `: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`, { worker: i, code, signal }));
      });
    });
  });
  const results = await Promise.allSettled(runs);
  // Carry on from what the workers left, so a later in-process optimize does not replay their points.
  study.reloadSamplerState();
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
