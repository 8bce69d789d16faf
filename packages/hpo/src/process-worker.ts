// The entry point of a worker process started by `optimize` with an objective module: it opens the study
// from its storage and runs its share of the trials. Not imported by the package itself.
import { deserialize, ErrorCode, NNError } from '@nn/core';
import './index.js';
import { openStudy, type Objective } from './study.js';
import type { Pruner, Sampler, Storage } from './types.js';
import type { WorkerPayload } from './worker-processes.js';

async function main(): Promise<void> {
  const payload = JSON.parse(process.argv[2]) as WorkerPayload;
  const storage = deserialize<Storage>(payload.storage);
  try {
    const mod = (await import(payload.module)) as Record<string, unknown>;
    const objective = mod[payload.export];
    if (typeof objective !== 'function') {
      throw new NNError(ErrorCode.InvalidArgument, `optimize: ${payload.module} has no function export "${payload.export}" (exports: ${Object.keys(mod).join(', ') || 'none'})`);
    }
    const study = openStudy(
      { storage, studyName: payload.studyName, loadIfExists: true, sampler: deserialize<Sampler>(payload.sampler), pruner: deserialize<Pruner>(payload.pruner) },
      false,
    );
    // Only the first worker continues the parent sampler's stream; the others start from their own seeds.
    if (payload.samplerState) study.sampler.loadStateDict?.(payload.samplerState);
    await study.optimize(objective as Objective, { nTrials: payload.nTrials ?? undefined, timeout: payload.timeout ?? undefined, catch: payload.catch });
  } finally {
    storage.close?.();
  }
}

// No top-level await: this file is also built as CommonJS.
main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
