import { deserialize, ErrorCode, isSerialized, NNError, registry, type JsonObject, type JsonValue, type Serialized } from '@nn/core';
import { compatibilityError, describeDistribution } from './distributions.js';
import { MedianPruner } from './median-pruner.js';
import { checkOptions } from './options.js';
import { paretoFront } from './pareto.js';
import { TPESampler } from './tpe-sampler.js';
import { InMemoryStorage, isFinished } from './storage-memory.js';
import { isTrialPruned, lastStep, Trial } from './trial.js';
import { runWorkerProcesses } from './worker-processes.js';
import type { Direction, Distribution, FrozenTrial, ParamValue, Pruner, Sampler, Storage, StudyView, TrialState } from './types.js';

export interface CreateStudyOptions {
  /** One objective's direction. Default 'minimize'. */
  direction?: Direction;
  /** Several objectives' directions (a multi-objective study; its best trials are the Pareto front). */
  directions?: Direction[];
  /** A sampler, a registered name ('tpe', 'gp', 'random', 'qmc', …) or a serialized sampler. Default TPE, as in Optuna. */
  sampler?: Sampler | string | Serialized;
  /** A pruner, a registered name ('median', 'successiveHalving', 'hyperband', 'nop') or a serialized one. Default median. */
  pruner?: Pruner | string | Serialized;
  /** A storage, 'memory', or a URL: 'sqlite:///study.db' (relative) / 'sqlite:////abs/study.db', 'postgres://user@host:5432/db'. Default in memory. */
  storage?: Storage | string;
  studyName?: string;
  /** Resume the study of that name if the storage has it (else creating it again throws). */
  loadIfExists?: boolean;
}

/** What an objective may return: one number per direction (NaN fails the trial). */
export type ObjectiveResult = number | number[];
export type Objective = (trial: Trial) => ObjectiveResult | Promise<ObjectiveResult>;

/**
 * An objective exported by a module, for running trials in worker processes (a function cannot be sent
 * to another process): `{ module: new URL('./objective.js', import.meta.url), export: 'objective' }`.
 */
export interface ObjectiveModule {
  /** A path (relative to the working directory), a file: URL string, or a URL. */
  module: string | URL;
  /** The export holding the objective. Default 'default'. */
  export?: string;
}

export interface OptimizeOptions {
  /** How many trials this call runs. Without it (and without timeout) it runs until stopped or the sampler is exhausted. */
  nTrials?: number;
  /** Seconds after which no new trial starts (running ones finish). */
  timeout?: number;
  /**
   * How many trials run at once. Default 1. With a function objective they run in this process (async
   * objectives overlap); with an {@link ObjectiveModule} each runs in its own worker process, all sharing
   * the study's storage (which must be one other processes can open, such as SQLite).
   */
  concurrency?: number;
  /**
   * Which objective errors are tolerated. Every error fails its trial and is recorded on it; a tolerated one
   * lets the study go on, any other is rethrown by `optimize` once running trials end. `true` (default):
   * all; `false`: none; a list of error classes; or a predicate.
   */
  catch?: boolean | Array<abstract new (...args: never[]) => unknown> | ((error: unknown) => boolean);
  /** Called after each trial ends, with the study and the trial as stored. */
  callbacks?: Array<(study: Study, trial: FrozenTrial) => void>;
}

const DIRECTIONS: readonly Direction[] = ['minimize', 'maximize'];
const SAMPLER_STATE = 'samplerState';

function fail(message: string, details: Record<string, unknown> = {}): never {
  throw new NNError(ErrorCode.InvalidArgument, message, details);
}

function resolve<T>(kind: 'sampler' | 'pruner', value: unknown, check: (v: unknown) => boolean, fallback: () => T): T {
  if (value === undefined) return fallback();
  if (typeof value === 'string') return new (registry.get(kind, value))({}) as T;
  if (isSerialized(value)) return deserialize<T>(value);
  if (check(value)) return value as T;
  return fail(`createStudy: ${kind} must be a ${kind === 'sampler' ? 'Sampler (with sampleIndependent)' : 'Pruner (with prune)'}, a registered name or a serialized ${kind}, got ${typeof value}`);
}

/**
 * A storage from a URL: 'memory', 'postgres://user@host:port/db' (PostgresStorage), or '<name>:<rest>' resolved
 * through the registry ('sqlite:///x.db'). `options` go to the storage's constructor (heartbeatInterval, …).
 */
export function storageFromUrl(url: string, options: Record<string, unknown> = {}): Storage {
  if (url === 'memory' || url === ':memory:') return new InMemoryStorage();
  const colon = url.indexOf(':');
  if (colon <= 0) return fail(`createStudy: storage "${url}" is not a URL; use 'memory' or 'sqlite:///path/to/study.db'`, { storage: url });
  const name = url.slice(0, colon);
  if (name === 'postgres' || name === 'postgresql') return new (registry.get('storage', 'postgres'))({ ...options, url });
  let path = url.slice(colon + 1);
  // SQLAlchemy's form: sqlite:///relative.db, sqlite:////absolute.db.
  if (path.startsWith('///')) path = path.slice(3);
  else if (path.startsWith('//')) path = path.slice(2);
  return new (registry.get('storage', name))({ ...options, path });
}

/**
 * Creates (or, with `loadIfExists`, resumes) a study. Resuming restores the sampler's saved state, so a seeded
 * study continues its sequence instead of replaying it.
 */
export function createStudy(options: CreateStudyOptions = {}): Study {
  return openStudy(options, true);
}

/** @internal `createStudy`, with the choice of restoring the saved sampler state (process workers other than the first do not). */
export function openStudy(options: CreateStudyOptions, restoreSamplerState: boolean): Study {
  checkOptions('createStudy', options, ['direction', 'directions', 'sampler', 'pruner', 'storage', 'studyName', 'loadIfExists']);
  if (options.direction !== undefined && options.directions !== undefined) fail('createStudy: give direction or directions, not both');
  let directions: Direction[] | undefined;
  if (options.directions !== undefined) {
    if (!Array.isArray(options.directions) || options.directions.length === 0) fail('createStudy: directions must be a non-empty array of "minimize" / "maximize"');
    directions = options.directions;
  } else if (options.direction !== undefined) {
    directions = [options.direction];
  }
  directions?.forEach((d) => {
    if (!DIRECTIONS.includes(d)) fail(`createStudy: direction must be "minimize" or "maximize", got ${JSON.stringify(d)}`, { direction: d });
  });
  if (options.studyName !== undefined && (typeof options.studyName !== 'string' || options.studyName === '')) fail('createStudy: studyName must be a non-empty string');
  const storage = options.storage === undefined ? new InMemoryStorage() : typeof options.storage === 'string' ? storageFromUrl(options.storage) : options.storage;
  if (typeof storage?.createTrial !== 'function') fail('createStudy: storage must be a Storage, "memory" or a URL such as "sqlite:///study.db"');
  const sampler = resolve<Sampler>('sampler', options.sampler, (v) => typeof (v as Sampler)?.sampleIndependent === 'function', () => new TPESampler());
  const pruner = resolve<Pruner>('pruner', options.pruner, (v) => typeof (v as Pruner)?.prune === 'function', () => new MedianPruner());

  const record = storage.createStudy(options.studyName, directions ?? ['minimize'], options.loadIfExists ?? false);
  if (!record.created && directions && (directions.length !== record.directions.length || directions.some((d, i) => d !== record.directions[i]))) {
    fail(`createStudy: study "${record.studyName}" exists with directions ${JSON.stringify(record.directions)}, not ${JSON.stringify(directions)}`, { studyName: record.studyName });
  }
  const study = new Study(storage, record.studyId, record.studyName, record.directions, sampler, pruner);
  if (restoreSamplerState && !record.created) study.reloadSamplerState();
  return study;
}

/** Opens an existing study (throws if there is none of that name). */
export function loadStudy(options: Omit<CreateStudyOptions, 'loadIfExists' | 'direction' | 'directions'> & { studyName: string; storage: Storage | string }): Study {
  const storage = typeof options.storage === 'string' ? storageFromUrl(options.storage) : options.storage;
  if (!storage.getStudy(options.studyName)) {
    const names = storage.listStudies().map((s) => s.studyName);
    fail(`loadStudy: no study named "${options.studyName}" in this storage${names.length ? ` (it has: ${names.join(', ')})` : ''}`, { studyName: options.studyName });
  }
  return createStudy({ ...options, storage, loadIfExists: true });
}

/** Deletes a study and its trials from a storage (throws if there is none of that name). */
export function deleteStudy(options: { studyName: string; storage: Storage | string }): void {
  const storage = typeof options.storage === 'string' ? storageFromUrl(options.storage) : options.storage;
  if (!storage.deleteStudy(options.studyName)) fail(`deleteStudy: no study named "${options.studyName}" in this storage`, { studyName: options.studyName });
}

/** The names of the studies in a storage, oldest first. */
export function getAllStudyNames(storage: Storage | string): string[] {
  return (typeof storage === 'string' ? storageFromUrl(storage) : storage).listStudies().map((s) => s.studyName);
}

/**
 * A study: the trials of one search, in a storage. Run it with `optimize`, or drive it yourself with
 * `ask`/`tell` (for objectives evaluated elsewhere).
 */
export class Study implements StudyView {
  private stopRequested = false;
  /** Trials this process is running, for heartbeats. */
  private readonly running = new Set<number>();
  /** First distribution seen per parameter, to refuse a type change across trials. */
  private readonly knownDistributions = new Map<string, Distribution>();

  /** @internal Use {@link createStudy}. */
  constructor(
    readonly storage: Storage,
    readonly studyId: number,
    readonly studyName: string,
    readonly directions: Direction[],
    readonly sampler: Sampler,
    readonly pruner: Pruner,
  ) {}

  /** The direction of a single-objective study. */
  get direction(): Direction {
    if (this.directions.length > 1) fail(`direction: the study has ${this.directions.length} objectives; use directions`);
    return this.directions[0];
  }

  getTrials(states?: TrialState[]): FrozenTrial[] {
    return this.storage.getTrials(this.studyId, states);
  }

  /** Every trial so far, in order. */
  get trials(): FrozenTrial[] {
    return this.getTrials();
  }

  /** The best complete trial of a single-objective study. */
  get bestTrial(): FrozenTrial {
    if (this.directions.length > 1) fail(`bestTrial: the study has ${this.directions.length} objectives; use bestTrials (the Pareto front)`);
    const complete = this.getTrials(['complete']);
    if (complete.length === 0) {
      const all = this.getTrials();
      const count = (s: TrialState) => all.filter((t) => t.state === s).length;
      fail(`bestTrial: no trial has completed yet (${all.length} trials: ${count('fail')} failed, ${count('pruned')} pruned, ${count('running')} running)`);
    }
    const sign = this.directions[0] === 'maximize' ? -1 : 1;
    return complete.reduce((best, t) => (sign * t.values![0] < sign * best.values![0] ? t : best));
  }

  get bestValue(): number {
    return this.bestTrial.values![0];
  }

  get bestParams(): Record<string, ParamValue> {
    return { ...this.bestTrial.params };
  }

  /** The Pareto front of complete trials (for one objective: the trials with the best value). */
  get bestTrials(): FrozenTrial[] {
    return paretoFront(this.getTrials(['complete']), this.directions);
  }

  get userAttrs(): JsonObject {
    return this.storage.getStudy(this.studyName)?.userAttrs ?? {};
  }

  setUserAttr(key: string, value: JsonValue): void {
    this.storage.setStudyUserAttr(this.studyId, key, value);
  }

  setTrialSystemAttr(trialNumber: number, key: string, value: JsonValue): void {
    this.storage.setTrialSystemAttr(this.studyId, trialNumber, key, value);
  }

  /** Starts no new trial in the running `optimize` (running ones finish). */
  stop(): void {
    this.stopRequested = true;
  }

  /** Queues a trial with fixed parameters (a known good configuration); `ask` takes queued trials first. */
  enqueueTrial(params: Record<string, ParamValue>, options: { userAttrs?: JsonObject } = {}): void {
    if (typeof params !== 'object' || params === null) fail('enqueueTrial: params must be an object { name: value }');
    this.storage.createTrial(this.studyId, { state: 'waiting', userAttrs: options.userAttrs ?? {}, systemAttrs: { fixedParams: params as JsonObject } });
  }

  /**
   * Starts a trial. `fixedDistributions` suggests those parameters at once (for ask/tell loops that know
   * their space up front).
   */
  ask(fixedDistributions: Record<string, Distribution> = {}): Trial {
    this.failStaleTrials();
    const frozen = this.storage.popWaitingTrial(this.studyId) ?? this.storage.createTrial(this.studyId);
    const fixedParams = (frozen.systemAttrs.fixedParams ?? {}) as Record<string, ParamValue>;
    this.running.add(frozen.number);
    let trial: Trial;
    try {
      this.sampler.beforeTrial?.(this, frozen);
      trial = new Trial(this, this.storage.getTrial(this.studyId, frozen.number), fixedParams);
      for (const [name, d] of Object.entries(fixedDistributions)) {
        if (d.type === 'float') trial.suggestFloat(name, d.low, d.high, { log: d.log, step: d.step });
        else if (d.type === 'int') trial.suggestInt(name, d.low, d.high, { log: d.log, step: d.step });
        else if (d.type === 'categorical') trial.suggestCategorical(name, d.choices);
        else fail(`ask: fixedDistributions.${name} is not a distribution`);
      }
    } catch (e) {
      this.finish(frozen.number, 'fail', null, `the trial could not start: ${errorMessage(e)}`);
      throw e;
    }
    this.storage.recordHeartbeat?.(this.studyId, frozen.number);
    return trial;
  }

  /**
   * Ends a trial: with its value(s) (complete), or with a state ('pruned' records its last reported value,
   * 'fail' records `options.error`). Values that are NaN or of the wrong count fail the trial, with the
   * reason recorded, as in Optuna.
   */
  tell(trial: Trial | number, result: ObjectiveResult | 'pruned' | 'fail', options: { error?: unknown } = {}): FrozenTrial {
    const number = typeof trial === 'number' ? trial : trial?.number;
    if (!Number.isInteger(number)) fail(`tell: expected a Trial or a trial number, got ${String(trial)}`);
    if (typeof trial === 'object' && trial.study !== this) fail(`tell: trial ${number} belongs to study "${trial.study.studyName}", not "${this.studyName}"`);
    const frozen = this.storage.getTrial(this.studyId, number);
    if (isFinished(frozen.state)) fail(`tell: trial ${number} has already finished (${frozen.state})`, { trialNumber: number, state: frozen.state });
    if (frozen.state === 'waiting') fail(`tell: trial ${number} is waiting; ask() for it first`, { trialNumber: number });
    if (result === 'pruned') {
      const step = lastStep(frozen);
      const value = this.directions.length === 1 && step !== null ? frozen.intermediateValues[step] : null;
      return this.finish(number, 'pruned', value === null || Number.isNaN(value) ? null : [value], null);
    }
    if (result === 'fail') return this.finish(number, 'fail', null, options.error === undefined ? 'failed by tell' : errorMessage(options.error));
    const values = typeof result === 'number' ? [result] : Array.isArray(result) ? result : null;
    const problem = checkValues(values, this.directions.length, result);
    if (problem) return this.finish(number, 'fail', null, problem);
    return this.finish(number, 'complete', values, null);
  }

  /**
   * Runs the objective on new trials. A failing objective never crashes the study: its trial is recorded
   * as failed with the error, and the study goes on unless `catch` says the error is fatal.
   */
  async optimize(objective: Objective | ObjectiveModule, options: OptimizeOptions = {}): Promise<void> {
    checkOptions('optimize', options, ['nTrials', 'timeout', 'concurrency', 'catch', 'callbacks']);
    const isModule = typeof objective === 'object' && objective !== null && 'module' in objective;
    if (typeof objective !== 'function' && !isModule) fail('optimize: objective must be a function (trial) => number | number[], or { module, export } to run in worker processes');
    const { nTrials, timeout, concurrency = 1, callbacks = [] } = options;
    if (nTrials !== undefined && (!Number.isInteger(nTrials) || nTrials < 0)) fail(`optimize: nTrials must be a non-negative integer, got ${String(nTrials)}`, { nTrials });
    if (timeout !== undefined && (typeof timeout !== 'number' || !(timeout > 0))) fail(`optimize: timeout must be a positive number of seconds, got ${String(timeout)}`, { timeout });
    if (!Number.isInteger(concurrency) || concurrency < 1) fail(`optimize: concurrency must be a positive integer, got ${String(concurrency)}`, { concurrency });
    if (!Array.isArray(callbacks) || callbacks.some((c) => typeof c !== 'function')) fail('optimize: callbacks must be an array of functions (study, trial) => void');
    const tolerated = toleratePredicate(options.catch);
    if (isModule) {
      if (options.catch !== undefined && typeof options.catch !== 'boolean') fail('optimize: with worker processes, catch must be true or false (error classes and predicates cannot be sent to them)');
      if (options.callbacks?.length) fail('optimize: callbacks cannot run in worker processes; read study.trials afterwards instead');
      await runWorkerProcesses(this, objective as ObjectiveModule, { nTrials, timeout, concurrency, catch: options.catch ?? true });
      return;
    }

    this.stopRequested = false;
    const deadline = timeout === undefined ? Infinity : Date.now() + timeout * 1000;
    let started = 0;
    let fatal: { error: unknown } | null = null;
    const canStart = () => !this.stopRequested && fatal === null && (nTrials === undefined || started < nTrials) && Date.now() < deadline && !this.sampler.isExhausted?.(this);
    const beat = this.storage.heartbeatInterval && this.storage.recordHeartbeat ? setInterval(() => this.beat(), this.storage.heartbeatInterval * 1000) : null;
    (beat as { unref?: () => void } | null)?.unref?.();

    const worker = async () => {
      while (canStart()) {
        started++;
        let trial: Trial;
        try {
          trial = this.ask();
        } catch (e) {
          fatal ??= { error: e };
          break;
        }
        let frozen: FrozenTrial;
        try {
          const result = await (objective as Objective)(trial);
          frozen = this.tell(trial, result as ObjectiveResult);
        } catch (e) {
          if (isTrialPruned(e)) {
            frozen = this.tell(trial, 'pruned');
          } else {
            frozen = this.storage.getTrial(this.studyId, trial.number);
            if (!isFinished(frozen.state)) frozen = this.tell(trial, 'fail', { error: e });
            if (!tolerated(e)) fatal ??= { error: e };
          }
        }
        try {
          for (const cb of callbacks) cb(this, frozen);
        } catch (e) {
          // Fatal like an untolerated objective error: the other workers finish their trials and start no more.
          fatal ??= { error: e };
          break;
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: concurrency }, worker));
    } finally {
      if (beat) clearInterval(beat);
    }
    if (fatal) throw (fatal as { error: unknown }).error;
  }

  /**
   * @internal Loads the sampler state saved with the study — only into a sampler of the same kind, so
   * switching samplers on resume is allowed.
   */
  reloadSamplerState(): void {
    const saved = this.storage.getStudy(this.studyName)?.systemAttrs[SAMPLER_STATE] as { type?: string; state?: JsonObject } | undefined;
    if (saved?.state && saved.type === samplerType(this.sampler) && this.sampler.loadStateDict) this.sampler.loadStateDict(saved.state);
  }

  /** @internal Checks a parameter's distribution against earlier trials (its type may not change). */
  checkDistribution(name: string, distribution: Distribution, where: string): void {
    let known = this.knownDistributions.get(name);
    if (!known) {
      for (const t of this.getTrials()) {
        if (t.distributions[name]) {
          known = t.distributions[name];
          break;
        }
      }
      if (!known) {
        this.knownDistributions.set(name, distribution);
        return;
      }
      this.knownDistributions.set(name, known);
    }
    const problem = compatibilityError(name, known, distribution);
    if (problem) fail(`${where}: ${problem} (earlier: ${describeDistribution(known)})`, { name });
  }

  private finish(number: number, state: TrialState, values: number[] | null, error: string | null): FrozenTrial {
    const frozen = this.storage.getTrial(this.studyId, number);
    try {
      this.sampler.afterTrial?.(this, frozen, state, values);
    } finally {
      const ok = this.storage.setTrialState(this.studyId, number, state, values, error);
      this.running.delete(number);
      if (!ok) fail(`tell: trial ${number} was finished elsewhere (for example failed by a stale heartbeat) before this result arrived`, { trialNumber: number });
      const samplerState = this.sampler.stateDict?.();
      if (samplerState) this.storage.setStudySystemAttr(this.studyId, SAMPLER_STATE, { type: samplerType(this.sampler), state: samplerState });
    }
    return this.storage.getTrial(this.studyId, number);
  }

  private beat(): void {
    for (const n of this.running) this.storage.recordHeartbeat?.(this.studyId, n);
  }

  private failStaleTrials(): void {
    if (!this.storage.failStaleTrials) return;
    // Our own trials are alive, even if a long synchronous objective kept the heartbeat timer from firing.
    this.beat();
    const stale = this.storage.failStaleTrials?.(this.studyId) ?? [];
    const maxRetries = this.storage.retryStaleTrials ?? 0;
    for (const t of stale) {
      const retries = typeof t.systemAttrs.retryCount === 'number' ? t.systemAttrs.retryCount : 0;
      if (retries >= maxRetries) continue;
      const fixed = { ...((t.systemAttrs.fixedParams ?? {}) as JsonObject), ...(t.params as JsonObject) };
      this.storage.createTrial(this.studyId, {
        state: 'waiting',
        userAttrs: t.userAttrs,
        systemAttrs: { fixedParams: fixed, retriedFrom: (t.systemAttrs.retriedFrom as number | undefined) ?? t.number, retryCount: retries + 1 },
      });
    }
  }
}

/** The name a sampler's saved state is filed under: its registered name, else its class name. */
function samplerType(sampler: Sampler): string {
  return registry.nameOf((sampler as object).constructor)?.name ?? (sampler as object).constructor?.name ?? 'sampler';
}

function checkValues(values: number[] | null, n: number, raw: unknown): string | null {
  if (values === null || !values.every((v) => typeof v === 'number')) {
    return `the objective returned ${describeValue(raw)}; expected ${n === 1 ? 'a number' : `an array of ${n} numbers (one per direction)`}`;
  }
  if (values.length !== n) return `the objective returned ${values.length} values; the study has ${n} direction${n === 1 ? '' : 's'}`;
  if (values.some((v) => Number.isNaN(v))) return 'the objective returned NaN';
  return null;
}

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return `[${v.map((x) => typeof x).join(', ')}]`;
  return typeof v === 'string' ? JSON.stringify(v) : typeof v;
}

function errorMessage(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}

function toleratePredicate(option: OptimizeOptions['catch']): (e: unknown) => boolean {
  if (option === undefined || option === true) return () => true;
  if (option === false) return () => false;
  if (typeof option === 'function') return option as (e: unknown) => boolean;
  if (Array.isArray(option) && option.every((c) => typeof c === 'function')) return (e) => option.some((c) => e instanceof c);
  return fail('optimize: catch must be true, false, an array of error classes or a predicate (error) => boolean');
}
