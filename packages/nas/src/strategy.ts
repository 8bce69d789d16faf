import { ErrorCode, NNError, type JsonObject, type JsonValue } from '@nn/core';
import type { Architecture, SearchSpace } from './space.js';

/** What a strategy proposes: an architecture, plus whatever the strategy needs back at `tell` (kept as JSON). */
export interface Candidate {
  architecture: Architecture;
  /** The strategy's own record of how it made the candidate (the controller's token indices). */
  meta?: JsonObject;
}

/** The one ask/tell contract of every strategy. `ask` may return a promise; rewards are maximized. */
export interface Strategy {
  ask(): Candidate | Promise<Candidate>;
  tell(candidate: Candidate, reward: number): void | Promise<void>;
  /** The strategy's whole state as JSON (a resumed search continues where it stopped). */
  stateDict(): JsonObject;
  loadStateDict(state: JsonObject): void;
}

/** Options every strategy takes. */
export interface StrategyOptions {
  space: SearchSpace;
  /** Seeds the strategy's random numbers (default 0): the same seed and rewards give the same search. */
  seed?: number;
}

export function checkStrategyOptions(where: string, options: StrategyOptions, allowed: string[]): void {
  if (typeof options !== 'object' || options === null) throw new NNError(ErrorCode.InvalidArgument, `${where}: expected an options object { space, seed, ... }`);
  const unknown = Object.keys(options).filter((k) => !['space', 'seed', ...allowed].includes(k));
  if (unknown.length) throw new NNError(ErrorCode.InvalidArgument, `${where}: unknown option${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: space, seed, ${allowed.join(', ')})`);
  if (!options.space || typeof options.space.walk !== 'function') throw new NNError(ErrorCode.InvalidArgument, `${where}: space must be a searchSpace(...)`);
  if (options.seed !== undefined && !Number.isInteger(options.seed)) throw new NNError(ErrorCode.InvalidArgument, `${where}: seed must be an integer, got ${String(options.seed)}`);
}

export function checkReward(where: string, reward: number): void {
  if (typeof reward !== 'number' || !Number.isFinite(reward)) throw new NNError(ErrorCode.InvalidArgument, `${where}.tell: reward must be a finite number, got ${String(reward)}`);
}

/** Reads a state entry, failing with the strategy's name when it is missing or of the wrong type. */
export function stateEntry<T extends JsonValue>(where: string, state: JsonObject, key: string, ok: (v: unknown) => boolean): T {
  const v = state?.[key];
  if (!ok(v)) throw new NNError(ErrorCode.StateMismatch, `${where}.loadStateDict: "${key}" is missing or invalid`);
  return v as T;
}
