// The entry point of a worker process started by `search` with an evaluate module: it imports the module once,
// opens the study from its storage, and evaluates each candidate the search process sends it, writing the
// candidate's reports to the storage itself (so the pruner sees them) and replying with how it ended.
// Not imported by the package itself.
import { deserialize, ErrorCode, NNError } from '@nn/core';
import { createStudy, Trial, type Pruner, type Storage } from '@nn/hpo';
import { evaluateCandidate } from './evaluate-candidate.js';
import type { EvaluateRequest, EvaluateWorkerPayload, WorkerReply } from './evaluate-workers.js';
import type { EvaluateFunction, EvaluationContext } from './search.js';
import type { SearchSpace } from './space.js';

const reply = (message: WorkerReply) => process.send?.(message);

async function main(): Promise<void> {
  const payload = JSON.parse(process.argv[2]) as EvaluateWorkerPayload;
  const mod = (await import(payload.module)) as Record<string, unknown>;
  const evaluate = mod[payload.export];
  if (typeof evaluate !== 'function') {
    throw new NNError(ErrorCode.InvalidArgument, `search: ${payload.module} has no function export "${payload.export}" (exports: ${Object.keys(mod).join(', ') || 'none'})`);
  }
  const space = mod[payload.space] as SearchSpace | undefined;
  const storage = deserialize<Storage>(payload.storage);
  const study = createStudy({ storage, studyName: payload.studyName, loadIfExists: true, sampler: 'random', pruner: deserialize<Pruner>(payload.pruner) });
  // The search process is gone (done, or killed): nothing this worker runs can be told anymore.
  process.on('disconnect', () => {
    storage.close?.();
    process.exit(0);
  });

  const run = async ({ trial: number, architecture }: EvaluateRequest): Promise<WorkerReply> => {
    const trial = new Trial(study, storage.getTrial(study.studyId, number), {});
    let model: unknown;
    const context = { architecture } as Omit<EvaluationContext<unknown>, 'report' | 'trial'>;
    // Built when evaluate first reads it, so a module that builds its own model needs no space export.
    Object.defineProperty(context, 'model', {
      enumerable: true,
      get: () => {
        if (typeof space?.build !== 'function') {
          throw new NNError(ErrorCode.InvalidArgument, `search: evaluate read model, but ${payload.module} has no search space export "${payload.space}" to build it in the worker process; export the space from that module (or name its export with evaluate.space)`);
        }
        return (model ??= space.build(architecture));
      },
    });
    try {
      const outcome = await evaluateCandidate(evaluate as EvaluateFunction<unknown>, trial, context);
      if (outcome.pruned) return { type: 'pruned', trial: number, reward: outcome.reward, message: outcome.message };
      const reward = typeof outcome.result === 'number' ? outcome.result : outcome.result?.reward;
      return { type: 'done', trial: number, reward: typeof reward === 'number' && Number.isFinite(reward) ? reward : String(reward) };
    } catch (e) {
      return { type: 'error', trial: number, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
    }
  };
  // The search process sends one candidate at a time and waits for its reply.
  process.on('message', (request: EvaluateRequest) => {
    void run(request).then(reply);
  });
  reply({ type: 'ready' });
}

// No top-level await: this file is also built as CommonJS.
main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
