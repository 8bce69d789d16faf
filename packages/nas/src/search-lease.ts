import { ErrorCode, NNError, type JsonObject } from '@nn/core';
import type { Study } from '@nn/hpo';

/** The study system attribute naming the search process that runs the study. */
const LEASE = 'nas:search';
/** Seconds between the lease's heartbeats. */
const BEAT_S = 5;
/** A lease from another host counts as abandoned after this long without a heartbeat (its pid cannot be checked). */
const STALE_S = 120;

interface Lease extends JsonObject {
  pid: number;
  host: string;
  token: string;
  since: string;
  beat: number;
}

/** A search's hold on its study: `check()` throws if another search took the study over; `release()` frees it. */
export interface SearchLease {
  check(): void;
  release(): void;
}

const proc = (globalThis as { process?: { pid?: number; kill?: (pid: number, signal: number) => void } }).process;

function alive(pid: number): boolean {
  try {
    proc?.kill?.(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists, owned by another user.
    return (e as { code?: string }).code === 'EPERM';
  }
}

async function hostName(): Promise<string> {
  try {
    // A variable module name, so browser bundlers leave it alone (there is no host to name there).
    const os = 'node:os';
    return ((await import(/* @vite-ignore */ os)) as { hostname(): string }).hostname();
  } catch {
    return '';
  }
}

function describe(lease: Lease): string {
  return `process ${lease.pid} on ${lease.host || 'this host'} (since ${lease.since})`;
}

/**
 * Takes the study for this search process, or throws if another live search holds it: a second search on
 * the same study would fail the first one's running trials as abandoned and interleave its strategy's
 * asks and tells with the other's. A holder on this host is alive while its pid is; one on another host
 * while its heartbeat (every 5 s) is under 2 minutes old. Two searches starting in the same instant could
 * both pass the check; the later write wins and the other stops at its next heartbeat, before starting
 * more candidates.
 */
export async function takeStudy(study: Study): Promise<SearchLease> {
  const host = await hostName();
  const read = () => (study.storage.getStudy(study.studyName)?.systemAttrs[LEASE] ?? null) as Lease | null;
  const held = read();
  const pid = proc?.pid ?? 0;
  if (held && (held.host === host ? alive(held.pid) : Date.now() - held.beat < STALE_S * 1000)) {
    throw new NNError(ErrorCode.StateMismatch, `search: study "${study.studyName}" is being searched by ${describe(held)}; run one search process per study (concurrency runs candidates in parallel within it)`, { studyName: study.studyName, holder: held });
  }
  const mine: Lease = { pid, host, token: `${pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`, since: new Date().toISOString(), beat: Date.now() };
  const write = (lease: Lease | null) => study.storage.setStudySystemAttr(study.studyId, LEASE, lease);
  write(mine);
  let lost: { to: Lease | null } | null = null;
  const verify = () => {
    if (lost) return;
    const now = read();
    if (now?.token !== mine.token) {
      lost = { to: now };
      study.stop();
    }
  };
  verify();
  const beat = setInterval(() => {
    verify();
    if (!lost) write({ ...mine, beat: Date.now() });
  }, BEAT_S * 1000);
  (beat as { unref?: () => void }).unref?.();
  return {
    check() {
      verify();
      const to = (lost as { to: Lease | null } | null)?.to;
      if (lost) throw new NNError(ErrorCode.StateMismatch, `search: study "${study.studyName}" was taken over by ${to ? describe(to) : 'another search'} while this search ran; run one search process per study`, { studyName: study.studyName });
    },
    release() {
      clearInterval(beat);
      if (read()?.token === mine.token) write(null);
    },
  };
}
