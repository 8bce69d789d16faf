import { ErrorCode, NNError } from '@nn/core';
import { storageFromUrl } from './study.js';
import type { Storage } from './types.js';

/** One side of a copy: a storage (or its URL) and a study name. */
export interface StudyLocation {
  storage: Storage | string;
  studyName: string;
}

/**
 * Copies a study with all its trials into another storage (SQLite → PostgreSQL and back, or memory), exactly:
 * trial numbers, states, values, parameters and their distributions, intermediate values, attributes, times
 * and errors, and the study's attributes (the sampler's saved state included, so a resumed study continues
 * its stream). `to.studyName` defaults to the source's name; a study of that name must not exist there. The
 * copy is all or nothing: a failure part-way deletes the half-written study. Storages given as URLs are
 * opened and closed here.
 */
export function copyStudy(from: StudyLocation, to: Partial<StudyLocation> & Pick<StudyLocation, 'storage'>): void {
  const where = 'copyStudy';
  if (typeof from?.studyName !== 'string' || from.studyName === '') throw new NNError(ErrorCode.InvalidArgument, `${where}: from.studyName must be a non-empty string`);
  const opened: Storage[] = [];
  const open = (s: Storage | string): Storage => {
    if (typeof s !== 'string') return s;
    const storage = storageFromUrl(s);
    opened.push(storage);
    return storage;
  };
  try {
    const source = open(from.storage);
    const target = open(to.storage);
    const name = to.studyName ?? from.studyName;
    const record = source.getStudy(from.studyName);
    if (!record) {
      const names = source.listStudies().map((s) => s.studyName);
      throw new NNError(ErrorCode.InvalidArgument, `${where}: no study named "${from.studyName}" in the source storage${names.length ? ` (it has: ${names.join(', ')})` : ''}`, { studyName: from.studyName });
    }
    if (typeof target.addTrial !== 'function') throw new NNError(ErrorCode.InvalidArgument, `${where}: the target storage (${target.constructor.name}) cannot add trials as they are (it has no addTrial)`);
    if (target.getStudy(name)) throw new NNError(ErrorCode.InvalidArgument, `${where}: the target storage already has a study named "${name}"; delete it or pass to.studyName`, { studyName: name });
    const trials = source.getTrials(record.studyId);
    const created = target.createStudy(name, record.directions, false);
    try {
      for (const [key, value] of Object.entries(record.userAttrs)) target.setStudyUserAttr(created.studyId, key, value);
      for (const [key, value] of Object.entries(record.systemAttrs)) target.setStudySystemAttr(created.studyId, key, value);
      for (const t of trials) target.addTrial(created.studyId, t);
    } catch (e) {
      target.deleteStudy(name);
      throw e;
    }
  } finally {
    for (const s of opened) s.close?.();
  }
}
