import { ErrorCode, NNError, registry, type JsonValue } from '@nn/core';
import type { Direction, Distribution, FrozenTrial, ParamValue, Storage, StudyRecord, TrialState } from './types.js';

const FINISHED: ReadonlySet<TrialState> = new Set(['complete', 'pruned', 'fail']);

/** Whether a trial has ended (complete, pruned or failed). */
export const isFinished = (state: TrialState): boolean => FINISHED.has(state);

interface MemoryStudy {
  record: StudyRecord;
  trials: FrozenTrial[];
}

/**
 * Studies kept in this process only (the default). Trials are copy-on-write frozen snapshots, so what a
 * sampler reads never changes under it and `getTrials` costs no copying.
 */
export class InMemoryStorage implements Storage {
  private readonly studies = new Map<number, MemoryStudy>();
  private nextStudyId = 0;

  constructor(_options: Record<string, never> = {}) {}

  createStudy(studyName: string | undefined, directions: Direction[], loadIfExists: boolean): StudyRecord & { created: boolean } {
    const name = studyName ?? `no-name-${this.nextStudyId}-${Date.now().toString(36)}`;
    const existing = this.getStudy(name);
    if (existing) {
      if (!loadIfExists) throw new NNError(ErrorCode.InvalidArgument, `createStudy: a study named "${name}" already exists; pass loadIfExists: true to resume it`, { studyName: name });
      return { ...existing, created: false };
    }
    const record: StudyRecord = { studyId: this.nextStudyId++, studyName: name, directions: [...directions], userAttrs: {}, systemAttrs: {} };
    this.studies.set(record.studyId, { record, trials: [] });
    return { ...record, created: true };
  }

  getStudy(studyName: string): StudyRecord | null {
    for (const s of this.studies.values()) if (s.record.studyName === studyName) return { ...s.record };
    return null;
  }

  listStudies(): StudyRecord[] {
    return [...this.studies.values()].map((s) => ({ ...s.record }));
  }

  deleteStudy(studyName: string): boolean {
    for (const [id, s] of this.studies) {
      if (s.record.studyName === studyName) return this.studies.delete(id);
    }
    return false;
  }

  setStudyUserAttr(studyId: number, key: string, value: JsonValue): void {
    const s = this.study(studyId);
    s.record = { ...s.record, userAttrs: { ...s.record.userAttrs, [key]: value } };
  }

  setStudySystemAttr(studyId: number, key: string, value: JsonValue): void {
    const s = this.study(studyId);
    s.record = { ...s.record, systemAttrs: { ...s.record.systemAttrs, [key]: value } };
  }

  createTrial(studyId: number, template: Partial<Pick<FrozenTrial, 'state' | 'params' | 'distributions' | 'userAttrs' | 'systemAttrs'>> = {}): FrozenTrial {
    const s = this.study(studyId);
    const state = template.state ?? 'running';
    const trial: FrozenTrial = freeze({
      number: s.trials.length,
      state,
      values: null,
      params: { ...template.params },
      distributions: { ...template.distributions },
      intermediateValues: {},
      userAttrs: { ...template.userAttrs },
      systemAttrs: { ...template.systemAttrs },
      datetimeStart: state === 'running' ? Date.now() : null,
      datetimeComplete: null,
      error: null,
    });
    s.trials.push(trial);
    return trial;
  }

  addTrial(studyId: number, trial: FrozenTrial): void {
    const s = this.study(studyId);
    if (trial.number !== s.trials.length) throw new NNError(ErrorCode.InvalidArgument, `storage: addTrial expects trial ${s.trials.length} next, got ${trial.number}`, { studyId });
    s.trials.push(
      freeze({
        ...trial,
        values: trial.values ? [...trial.values] : null,
        params: { ...trial.params },
        distributions: { ...trial.distributions },
        intermediateValues: { ...trial.intermediateValues },
        userAttrs: { ...trial.userAttrs },
        systemAttrs: { ...trial.systemAttrs },
      }),
    );
  }

  popWaitingTrial(studyId: number): FrozenTrial | null {
    const s = this.study(studyId);
    const waiting = s.trials.find((t) => t.state === 'waiting');
    if (!waiting) return null;
    return this.update(studyId, waiting.number, { state: 'running', datetimeStart: Date.now() });
  }

  setTrialParam(studyId: number, trialNumber: number, name: string, distribution: Distribution, value: ParamValue): void {
    const t = this.running(studyId, trialNumber, 'setTrialParam');
    this.update(studyId, trialNumber, { params: { ...t.params, [name]: value }, distributions: { ...t.distributions, [name]: distribution } });
  }

  setTrialIntermediateValue(studyId: number, trialNumber: number, step: number, value: number): void {
    const t = this.running(studyId, trialNumber, 'report');
    this.update(studyId, trialNumber, { intermediateValues: { ...t.intermediateValues, [step]: value } });
  }

  setTrialUserAttr(studyId: number, trialNumber: number, key: string, value: JsonValue): void {
    const t = this.getTrial(studyId, trialNumber);
    this.update(studyId, trialNumber, { userAttrs: { ...t.userAttrs, [key]: value } });
  }

  setTrialSystemAttr(studyId: number, trialNumber: number, key: string, value: JsonValue): void {
    const t = this.getTrial(studyId, trialNumber);
    this.update(studyId, trialNumber, { systemAttrs: { ...t.systemAttrs, [key]: value } });
  }

  setTrialState(studyId: number, trialNumber: number, state: TrialState, values: number[] | null, error: string | null = null): boolean {
    const t = this.getTrial(studyId, trialNumber);
    if (isFinished(t.state)) return false;
    this.update(studyId, trialNumber, { state, values: values ? [...values] : null, error, datetimeComplete: isFinished(state) ? Date.now() : null });
    return true;
  }

  getTrial(studyId: number, trialNumber: number): FrozenTrial {
    const t = this.study(studyId).trials[trialNumber];
    if (!t) throw new NNError(ErrorCode.InvalidArgument, `storage: study ${studyId} has no trial ${trialNumber}`, { studyId, trialNumber });
    return t;
  }

  getTrials(studyId: number, states?: TrialState[]): FrozenTrial[] {
    const trials = this.study(studyId).trials;
    return states ? trials.filter((t) => states.includes(t.state)) : [...trials];
  }

  private study(studyId: number): MemoryStudy {
    const s = this.studies.get(studyId);
    if (!s) throw new NNError(ErrorCode.InvalidArgument, `storage: no study with id ${studyId}`, { studyId });
    return s;
  }

  private running(studyId: number, trialNumber: number, what: string): FrozenTrial {
    const t = this.getTrial(studyId, trialNumber);
    if (isFinished(t.state)) throw new NNError(ErrorCode.InvalidArgument, `${what}: trial ${trialNumber} has already finished (${t.state})`, { trialNumber, state: t.state });
    return t;
  }

  private update(studyId: number, trialNumber: number, patch: Partial<FrozenTrial>): FrozenTrial {
    const trials = this.study(studyId).trials;
    const next = freeze({ ...trials[trialNumber], ...patch });
    trials[trialNumber] = next;
    return next;
  }
}

/** Freezes a trial and its maps (one level deep: attrs may hold nested JSON, which callers must not mutate). */
export function freeze(t: FrozenTrial): FrozenTrial {
  Object.freeze(t.params);
  Object.freeze(t.distributions);
  Object.freeze(t.intermediateValues);
  Object.freeze(t.userAttrs);
  Object.freeze(t.systemAttrs);
  if (t.values) Object.freeze(t.values);
  return Object.freeze(t);
}

registry.register('storage', 'memory', InMemoryStorage);
