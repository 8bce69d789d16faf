import { ErrorCode, NNError, type Serialized } from '@nn/core';
import { describeExit, resolveModuleExport, serializeForWorkers, startWorkerProcess, type ObjectiveModule, type Study, type WorkerProcess } from '@nn/hpo';
import type { Outcome } from './evaluate-candidate.js';
import type { Architecture } from './space.js';

/**
 * `evaluate` as a module export, for running candidates in worker processes (a function cannot be sent to
 * another process): `{ module: new URL('./evaluate.js', import.meta.url), export: 'evaluate' }`.
 */
export interface EvaluateModule extends ObjectiveModule {
  /** The export of the same module holding the search space that builds `model` in the worker. Default 'space'. */
  space?: string;
}

/** What the search process sends a worker process (as one JSON argument). */
export interface EvaluateWorkerPayload {
  storage: Serialized;
  pruner: Serialized;
  studyName: string;
  module: string;
  export: string;
  space: string;
}

/** The search process asks a worker to evaluate one candidate, already started as a trial of the study. */
export interface EvaluateRequest {
  trial: number;
  architecture: Architecture;
}

/** What a worker answers: ready (after importing the module), then one reply per request. */
export type WorkerReply =
  | { type: 'ready' }
  // A non-finite or missing reward travels as its String() (IPC is JSON), for the search to refuse.
  | { type: 'done'; trial: number; reward: number | string }
  | { type: 'pruned'; trial: number; reward: number | null; message: string }
  | { type: 'error'; trial: number; error: string };

interface Slot {
  worker: WorkerProcess;
  alive: boolean;
  pending: { trial: number; settle: (reply: WorkerReply | Error) => void } | null;
}

const fail = (message: string, details: Record<string, unknown> = {}): never => {
  throw new NNError(ErrorCode.InvalidArgument, message, details);
};

/**
 * The worker processes of one search: one per concurrent candidate, each importing the evaluate module once
 * and then evaluating the candidates it is sent, one at a time. The strategy, the trials' creation and their
 * end stay in the search process; a worker writes what the candidate reports (intermediate rewards, user
 * attributes) to the study's storage itself, so the pruner there sees every process's reports.
 */
export class EvaluateWorkers {
  private readonly slots: Slot[] = [];
  private readonly idle: number[] = [];
  private readonly trialFailures = new WeakSet<object>();

  private constructor(
    private readonly payload: EvaluateWorkerPayload,
    private readonly label: string,
  ) {}

  /** Starts `size` workers for `study` and waits until each has imported the module (or throws why one could not). */
  static async start(study: Study, ref: EvaluateModule, size: number): Promise<EvaluateWorkers> {
    const storage = serializeForWorkers('search', 'storage', study.storage, ' (use a storage other processes can open, such as SQLiteStorage or "sqlite:///nas.db")');
    const pruner = serializeForWorkers('search', 'pruner', study.pruner, '');
    const target = await resolveModuleExport('search', 'evaluate', ref);
    const space = ref.space ?? 'space';
    if (typeof space !== 'string') fail('search: evaluate.space must be the name of an export');
    const workers = new EvaluateWorkers({ storage, pruner, studyName: study.studyName, ...target, space }, `evaluate "${target.export}" of ${target.module}`);
    workers.idle.push(...Array.from({ length: size }, (_, i) => i));
    const started = await Promise.allSettled(workers.idle.map((i) => workers.spawn(i)));
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await workers.close();
      throw failed.reason;
    }
    return workers;
  }

  /** Whether `error` is a candidate's failure in a worker (its trial fails; the search goes on). */
  isTrialFailure(error: unknown): boolean {
    return typeof error === 'object' && error !== null && this.trialFailures.has(error);
  }

  /** Evaluates a candidate in an idle worker, replacing the worker first if it died on an earlier one. */
  async evaluate(request: EvaluateRequest): Promise<Outcome<never>> {
    const index = this.idle.shift();
    if (index === undefined) return fail('search: no idle worker process (more candidates at once than workers)');
    try {
      if (!this.slots[index].alive || !this.slots[index].worker.child.connected) await this.spawn(index);
      const slot = this.slots[index];
      const reply = await new Promise<WorkerReply | Error>((settle) => {
        slot.pending = { trial: request.trial, settle };
        // A worker that died just now: its exit settles the trial, or the send's error does.
        slot.worker.child.send(request, (error) => {
          if (error && slot.pending) {
            slot.pending = null;
            settle(this.trialFailure(`search: trial ${request.trial} failed: worker process ${index} could not be sent the candidate (${error.message})`, request.trial, index));
          }
        });
      });
      if (reply instanceof Error) throw reply;
      if (reply.type === 'done') return { pruned: false, result: reply.reward as number };
      if (reply.type === 'pruned') return { pruned: true, reward: reply.reward, message: reply.message };
      if (reply.type === 'error') throw this.trialFailure(`search: trial ${request.trial} failed in worker process ${index} (pid ${slot.worker.child.pid}): ${this.label} threw ${reply.error}`, request.trial, index);
      return fail(`search: worker process ${index} sent an unexpected reply ${JSON.stringify(reply)}`);
    } finally {
      this.idle.push(index);
    }
  }

  /** Lets the workers exit (they do when the channel closes) and waits for them. */
  async close(): Promise<void> {
    await Promise.all(
      this.slots.map((slot) => {
        if (slot.alive && slot.worker.child.connected) slot.worker.child.disconnect();
        return slot.worker.exited;
      }),
    );
  }

  private trialFailure(message: string, trial: number, worker: number): NNError {
    const error = new NNError(ErrorCode.StateMismatch, message, { trial, worker, module: this.payload.module, export: this.payload.export });
    this.trialFailures.add(error);
    return error;
  }

  private async spawn(index: number): Promise<void> {
    const worker = await startWorkerProcess('evaluate-worker', import.meta.url, [JSON.stringify(this.payload)], { ipc: true });
    const slot: Slot = { worker, alive: true, pending: null };
    await new Promise<void>((ready, reject) => {
      let isReady = false;
      worker.child.on('message', (reply: WorkerReply) => {
        if (reply.type === 'ready') {
          isReady = true;
          ready();
          return;
        }
        const pending = slot.pending;
        slot.pending = null;
        pending?.settle(reply);
      });
      void worker.exited.then(({ code, signal }) => {
        slot.alive = false;
        const how = describeExit(code, signal, worker.stderrTail());
        if (!isReady) {
          reject(new NNError(ErrorCode.InvalidArgument, `search: worker process ${index} for ${this.label} ${how}`, { worker: index, code, signal }));
          return;
        }
        const pending = slot.pending;
        slot.pending = null;
        pending?.settle(this.trialFailure(`search: trial ${pending.trial} failed: worker process ${index} (pid ${worker.child.pid}) running ${this.label} ${how}`, pending.trial, index));
      });
    });
    this.slots[index] = slot;
  }
}
