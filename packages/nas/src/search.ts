import { ErrorCode, NNError, type JsonObject } from '@nn/core';
import { createStudy, TrialPruned, type FrozenTrial, type Pruner, type Storage, type Study, type Trial } from '@nn/hpo';
import { evaluateCandidate, type Outcome } from './evaluate-candidate.js';
import { EvaluateWorkers, type EvaluateModule } from './evaluate-workers.js';
import { takeStudy } from './search-lease.js';
import type { Architecture, SearchSpace } from './space.js';
import type { Candidate, Strategy } from './strategy.js';

/** What `evaluate` is given for one candidate. */
export interface EvaluationContext<M> {
  architecture: Architecture;
  /** The space's model of the architecture, freshly built (untrained). */
  model: M;
  /** The @nn/hpo trial the candidate runs as. */
  trial: Trial;
  /**
   * Records an intermediate reward after `step` units of fidelity (epochs) and stops the candidate (throws
   * `TrialPruned`) when the pruner says so; its last reported reward is then what the strategy is told.
   */
  report(reward: number, step: number): void;
}

/** `evaluate` returns the reward (higher is better), or the reward with the trained model to keep. */
export type EvaluationResult<M> = number | { reward: number; model?: M };

export type EvaluateFunction<M> = (context: EvaluationContext<M>) => EvaluationResult<M> | Promise<EvaluationResult<M>>;

export interface SearchOptions<M> {
  space: SearchSpace<M>;
  strategy: Strategy;
  /**
   * Trains and scores one candidate. A function runs in this process; `{ module, export, space }` names a
   * module's export instead, and each candidate then runs in one of `concurrency` worker processes (see
   * {@link EvaluateModule}).
   */
  evaluate: EvaluateFunction<M> | EvaluateModule;
  /** Candidates in all (complete and pruned trials of the study count, so a resumed search runs only the rest). */
  budget: number;
  /** An @nn/hpo storage or URL ('sqlite:///nas.db'); default in memory. A stored search resumes where it stopped. */
  storage?: Storage | string;
  /** Default 'nas'. */
  studyName?: string;
  /** An @nn/hpo pruner (or name): `new SuccessiveHalvingPruner({ minResource: 1 })` runs every candidate at low fidelity first. Default none. */
  pruner?: Pruner | string;
  /**
   * Candidates evaluated at once. Default 1. With a function `evaluate` they overlap in this process (only
   * where evaluate awaits); with an evaluate module each runs in its own worker process, in parallel.
   */
  concurrency?: number;
}

/** One candidate as the study recorded it. */
export interface SearchRecord {
  trial: number;
  architecture: Architecture;
  /** The reward told to the strategy (for a pruned candidate, its last reported one); null if it failed. */
  reward: number | null;
  state: FrozenTrial['state'];
}

export interface SearchResult<M> {
  architecture: Architecture;
  reward: number;
  /** The trained model `evaluate` returned for the best candidate in this run, else the architecture built afresh. */
  model: M;
  study: Study;
  /** Every finished candidate, in trial order. */
  history: SearchRecord[];
}

const STRATEGY_STATE = 'nas:strategy';
const ARCHITECTURE = 'nas:architecture';
const CANDIDATE_META = 'nas:meta';

function fail(message: string): never {
  throw new NNError(ErrorCode.InvalidArgument, message);
}

/** The reward a finished trial stands for: its value when complete, its last intermediate value when pruned. */
function rewardOf(t: FrozenTrial): number | null {
  if (t.state === 'complete' || t.state === 'pruned') return t.values?.[0] ?? null;
  return null;
}

/**
 * Architecture search as an @nn/hpo study: each candidate the strategy asks for runs as a trial (its
 * architecture stored with it), its reward is told to the strategy, and the strategy's state is saved in the
 * study after every tell — so a search stored in SQLite that is killed resumes from the storage with the
 * strategy as it was. Trials a killed run left running are marked failed (run one search process per study).
 */
export async function search<M>(options: SearchOptions<M>): Promise<SearchResult<M>> {
  const known = ['space', 'strategy', 'evaluate', 'budget', 'storage', 'studyName', 'pruner', 'concurrency'];
  if (typeof options !== 'object' || options === null) fail('search: expected an options object { space, strategy, evaluate, budget, ... }');
  const unknown = Object.keys(options).filter((k) => !known.includes(k));
  if (unknown.length) fail(`search: unknown option ${unknown.join(', ')} (known: ${known.join(', ')})`);
  const { space, strategy, evaluate, budget, storage, studyName = 'nas', pruner = 'nop', concurrency = 1 } = options;
  if (!space || typeof space.walk !== 'function') fail('search: space must be a searchSpace(...)');
  if (!strategy || typeof strategy.ask !== 'function' || typeof strategy.tell !== 'function') fail('search: strategy must have ask() and tell(candidate, reward)');
  const isModule = typeof evaluate === 'object' && evaluate !== null && 'module' in evaluate;
  if (typeof evaluate !== 'function' && !isModule) fail('search: evaluate must be a function ({ architecture, model, trial, report }) => reward, or { module, export } to run candidates in worker processes');
  if (!Number.isInteger(budget) || budget < 1) fail(`search: budget must be a positive integer (candidates), got ${String(budget)}`);
  if (!Number.isInteger(concurrency) || concurrency < 1) fail(`search: concurrency must be a positive integer, got ${String(concurrency)}`);

  const study = createStudy({ direction: 'maximize', sampler: 'random', pruner, storage, studyName, loadIfExists: true });
  const lease = await takeStudy(study);
  try {
    for (const t of study.getTrials(['running'])) study.tell(t.number, 'fail', { error: 'left running by an earlier search process' });
    const saved = study.userAttrs[STRATEGY_STATE];
    if (saved && typeof saved === 'object') strategy.loadStateDict(saved as JsonObject);
    const remaining = budget - study.getTrials(['complete', 'pruned']).length;
    if (remaining <= 0) return result(study, space, null);
    const workers = isModule ? await EvaluateWorkers.start(study, evaluate, Math.min(concurrency, remaining)) : null;
    try {
      const best = await runCandidates(study, space, strategy, workers ?? (evaluate as EvaluateFunction<M>), remaining, concurrency);
      lease.check();
      return result(study, space, best);
    } finally {
      await workers?.close();
    }
  } finally {
    lease.release();
  }
}

/** Runs `remaining` candidates as trials; returns the best model `evaluate` returned in this run, if any. */
async function runCandidates<M>(study: Study, space: SearchSpace<M>, strategy: Strategy, evaluator: EvaluateFunction<M> | EvaluateWorkers, remaining: number, concurrency: number): Promise<{ number: number; reward: number; model: M } | null> {
  let best: { number: number; reward: number; model: M | null } = { number: -1, reward: -Infinity, model: null };
  const tellStrategy = async (candidate: Candidate, reward: number) => {
    await strategy.tell(candidate, reward);
    study.setUserAttr(STRATEGY_STATE, strategy.stateDict());
  };
  const objective = async (trial: Trial): Promise<number> => {
    const candidate: Candidate = await strategy.ask();
    const { architecture } = candidate;
    trial.setUserAttr(ARCHITECTURE, architecture);
    if (candidate.meta) trial.setUserAttr(CANDIDATE_META, candidate.meta);
    const outcome: Outcome<M> = evaluator instanceof EvaluateWorkers ? await evaluator.evaluate({ trial: trial.number, architecture }) : await evaluateCandidate(evaluator, trial, { architecture, model: space.build(architecture) });
    if (outcome.pruned) {
      if (outcome.reward !== null) await tellStrategy(candidate, outcome.reward);
      throw new TrialPruned(outcome.message);
    }
    const { result } = outcome;
    const reward = typeof result === 'number' ? result : result?.reward;
    if (typeof reward !== 'number' || !Number.isFinite(reward)) fail(`search: evaluate returned ${String(reward)} for trial ${trial.number}; expected a finite reward`);
    await tellStrategy(candidate, reward);
    if (reward > best.reward) best = { number: trial.number, reward, model: typeof result === 'object' && result.model !== undefined ? result.model : null };
    return reward;
  };
  // A candidate that failed in a worker process fails its trial only; any other error stops the search.
  const tolerated = (e: unknown) => evaluator instanceof EvaluateWorkers && evaluator.isTrialFailure(e);
  await study.optimize(objective, { nTrials: remaining, concurrency, catch: tolerated });
  return best.model === null ? null : { number: best.number, reward: best.reward, model: best.model };
}

/** The search's result as the study records it (the best complete candidate of all runs). */
function result<M>(study: Study, space: SearchSpace<M>, kept: { number: number; model: M } | null): SearchResult<M> {
  const history: SearchRecord[] = study.getTrials(['complete', 'pruned', 'fail']).map((t) => ({
    trial: t.number,
    architecture: t.userAttrs[ARCHITECTURE] as Architecture,
    reward: rewardOf(t),
    state: t.state,
  }));
  const complete = history.filter((h) => h.state === 'complete' && h.reward !== null);
  if (complete.length === 0) throw new NNError(ErrorCode.StateMismatch, `search: no candidate of study "${study.studyName}" completed`);
  const top = complete.reduce((a, b) => (b.reward! > a.reward! ? b : a));
  return { architecture: top.architecture, reward: top.reward!, model: kept && kept.number === top.trial ? kept.model : space.build(top.architecture), study, history };
}
