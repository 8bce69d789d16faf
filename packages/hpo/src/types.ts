import type { JsonObject, JsonValue } from '@nn/core';

/** A parameter value as suggested to an objective. */
export type ParamValue = number | string | boolean | null;

/** The range a parameter is drawn from, recorded with every trial so samplers can model it. */
export type Distribution =
  | { type: 'float'; low: number; high: number; log: boolean; step: number | null }
  | { type: 'int'; low: number; high: number; log: boolean; step: number }
  | { type: 'categorical'; choices: ParamValue[] };

export type TrialState = 'running' | 'complete' | 'pruned' | 'fail' | 'waiting';
export type Direction = 'minimize' | 'maximize';

/** A trial as stored: what it was given, what it reported, how it ended. Plain data, JSON-serializable. */
export interface FrozenTrial {
  /** 0-based, in order of creation within the study. */
  number: number;
  state: TrialState;
  /** One value per direction, set when complete. */
  values: number[] | null;
  params: Record<string, ParamValue>;
  distributions: Record<string, Distribution>;
  /** step -> value, from `trial.report`. */
  intermediateValues: Record<number, number>;
  userAttrs: JsonObject;
  systemAttrs: JsonObject;
  /** Epoch milliseconds. */
  datetimeStart: number | null;
  datetimeComplete: number | null;
  /** Message of the error that failed the trial. */
  error: string | null;
}

/**
 * What samplers and pruners may read of a study. `Study` implements all of it; a test double needs only
 * `directions` and `getTrials` (the optional members are used by the grid sampler and the pruners that keep
 * per-trial bookkeeping, and they check for them).
 */
export interface StudyView {
  readonly directions: Direction[];
  /** Trials so far, optionally only those in the given states. The objects are read-only snapshots. */
  getTrials(states?: TrialState[]): FrozenTrial[];
  /** The study's name (Hyperband hashes it with the trial number to pick a bracket). */
  readonly studyName?: string;
  /** Records bookkeeping on a trial (grid point id, successive-halving rungs); JSON values only. */
  setTrialSystemAttr?(trialNumber: number, key: string, value: JsonValue): void;
  /** Asks `optimize` to start no new trial (running ones finish). The grid sampler calls it when done. */
  stop?(): void;
}

/**
 * A sampler (Optuna's protocol). At the start of a trial, `inferRelativeSearchSpace` + `sampleRelative` may
 * draw several parameters jointly (GP, multivariate TPE); every parameter not drawn that way is drawn by
 * `sampleIndependent` when the objective asks for it — which is how conditional, define-by-run spaces work.
 */
export interface Sampler {
  inferRelativeSearchSpace?(study: StudyView, trial: FrozenTrial): Record<string, Distribution>;
  sampleRelative?(study: StudyView, trial: FrozenTrial, space: Record<string, Distribution>): Record<string, ParamValue>;
  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue;
  beforeTrial?(study: StudyView, trial: FrozenTrial): void;
  afterTrial?(study: StudyView, trial: FrozenTrial, state: TrialState, values: number[] | null): void;
  /** State that must survive a resume (e.g. the RNG position), as JSON. Saved with the study after every trial. */
  stateDict?(): JsonObject;
  loadStateDict?(state: JsonObject): void;
  /** True when the sampler has nothing left to propose (a grid fully visited): `optimize` starts no new trial. */
  isExhausted?(study: StudyView): boolean;
}

/** A pruner decides, from the intermediate values so far, whether a running trial should stop. */
export interface Pruner {
  prune(study: StudyView, trial: FrozenTrial): boolean;
  /**
   * The part of the study a sampler should learn from for this trial (Hyperband: the trial's bracket only,
   * as Optuna's samplers do). Absent: the whole study.
   */
  samplerView?(study: StudyView, trial: FrozenTrial): StudyView;
}

/** The study-level record a storage keeps. */
export interface StudyRecord {
  studyId: number;
  studyName: string;
  directions: Direction[];
  userAttrs: JsonObject;
  systemAttrs: JsonObject;
}

/**
 * Where studies and trials live (kind `storage`). Synchronous on purpose: samplers read trials in the middle
 * of a suggestion, and both built-in stores (memory, better-sqlite3) answer synchronously. Every write that
 * decides something (a trial number, popping an enqueued trial, finishing a trial) is atomic, so several
 * processes can share one store.
 */
export interface Storage {
  /** Creates a study, or returns the existing one of that name when `loadIfExists` is set (else throws). */
  createStudy(studyName: string | undefined, directions: Direction[], loadIfExists: boolean): StudyRecord & { created: boolean };
  getStudy(studyName: string): StudyRecord | null;
  listStudies(): StudyRecord[];
  deleteStudy(studyName: string): boolean;
  setStudyUserAttr(studyId: number, key: string, value: JsonValue): void;
  setStudySystemAttr(studyId: number, key: string, value: JsonValue): void;

  /** A new trial numbered next in its study, in state 'running' (or 'waiting', with fixed params, for an enqueued one). */
  createTrial(studyId: number, template?: Partial<Pick<FrozenTrial, 'state' | 'params' | 'distributions' | 'userAttrs' | 'systemAttrs'>>): FrozenTrial;
  /**
   * Adds a trial exactly as given — number, state, values, times and all — for {@link copyStudy}. Trials are
   * added in number order from 0. Optional: a storage without it cannot be copied into.
   */
  addTrial?(studyId: number, trial: FrozenTrial): void;
  /** Atomically takes the oldest 'waiting' trial and marks it 'running', or returns null. */
  popWaitingTrial(studyId: number): FrozenTrial | null;
  setTrialParam(studyId: number, trialNumber: number, name: string, distribution: Distribution, value: ParamValue): void;
  setTrialIntermediateValue(studyId: number, trialNumber: number, step: number, value: number): void;
  setTrialUserAttr(studyId: number, trialNumber: number, key: string, value: JsonValue): void;
  setTrialSystemAttr(studyId: number, trialNumber: number, key: string, value: JsonValue): void;
  /** Finishes a running trial. Returns false (and changes nothing) when it had already finished. */
  setTrialState(studyId: number, trialNumber: number, state: TrialState, values: number[] | null, error?: string | null): boolean;
  getTrial(studyId: number, trialNumber: number): FrozenTrial;
  getTrials(studyId: number, states?: TrialState[]): FrozenTrial[];

  /** Seconds between heartbeats of running trials; absent or 0 when the store does not track liveness. */
  readonly heartbeatInterval?: number;
  recordHeartbeat?(studyId: number, trialNumber: number): void;
  /** Marks 'running' trials whose heartbeat is older than the grace period as 'fail'; returns them. */
  failStaleTrials?(studyId: number): FrozenTrial[];
  /** How many times a trial failed by a stale heartbeat is re-enqueued (0: never). */
  readonly retryStaleTrials?: number;
  close?(): void;
}

/** Registry entry types: constructors taking one options object, as every sampler, pruner and storage does. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SamplerClass = new (options?: any) => Sampler;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PrunerClass = new (options?: any) => Pruner;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type StorageClass = new (options?: any) => Storage;

declare module '@nn/core' {
  interface RegistryKinds {
    sampler: SamplerClass;
    pruner: PrunerClass;
    storage: StorageClass;
  }
}
