import { ErrorCode, NNError } from '@nn/core';
import { checkOptions } from './options.js';
import type { Direction } from './types.js';

export interface SuccessiveHalvingOptions<C> {
  /** The configurations to race. */
  candidates: readonly C[];
  /** The resource (epochs, samples, seconds) every candidate gets in the first rung. */
  minResource: number;
  /** The most resource any candidate gets. */
  maxResource: number;
  /** Keep the best 1/eta of each rung and give the survivors eta times the resource. Default 3. */
  eta?: number;
  /** Trains/evaluates a candidate with the given resource and returns its score (NaN or a throw: worst). */
  evaluate: (candidate: C, resource: number, info: { rung: number; index: number }) => number | Promise<number>;
  /** Default 'minimize' (a loss). */
  direction?: Direction;
  /** How many evaluations run at once (async evaluate). Default 1. */
  concurrency?: number;
}

export interface RungResult<C> {
  rung: number;
  resource: number;
  /** Every candidate evaluated at this rung, best first. */
  results: { index: number; candidate: C; value: number; error?: string }[];
}

export interface SuccessiveHalvingResult<C> {
  best: C;
  bestIndex: number;
  bestValue: number;
  rungs: RungResult<C>[];
  /** The resource spent in all, summed over evaluations. */
  totalResource: number;
}

const fail = (message: string): never => {
  throw new NNError(ErrorCode.InvalidArgument, message);
};

/**
 * The course's successive halving, without a study: evaluate every candidate with `minResource`, keep the
 * best 1/eta, multiply the resource by eta, and repeat until the resource reaches `maxResource`; the last
 * survivor always gets `maxResource`. Each rung calls `evaluate` afresh with the larger resource (resume from a checkpoint
 * inside `evaluate` if training is costly).
 */
export async function successiveHalving<C>(options: SuccessiveHalvingOptions<C>): Promise<SuccessiveHalvingResult<C>> {
  const where = 'successiveHalving';
  checkOptions(where, options, ['candidates', 'minResource', 'maxResource', 'eta', 'evaluate', 'direction', 'concurrency']);
  const { candidates, minResource, maxResource, evaluate, eta = 3, direction = 'minimize', concurrency = 1 } = options;
  if (!Array.isArray(candidates) || candidates.length === 0) fail(`${where}: candidates must be a non-empty array`);
  if (typeof minResource !== 'number' || !(minResource > 0) || !Number.isFinite(minResource)) fail(`${where}: minResource must be a positive number, got ${String(minResource)}`);
  if (typeof maxResource !== 'number' || !Number.isFinite(maxResource) || maxResource < minResource) fail(`${where}: maxResource must be a number >= minResource (${minResource}), got ${String(maxResource)}`);
  if (typeof eta !== 'number' || !(eta > 1) || !Number.isFinite(eta)) fail(`${where}: eta must be a number > 1, got ${String(eta)}`);
  if (typeof evaluate !== 'function') fail(`${where}: evaluate must be a function (candidate, resource) => number`);
  if (direction !== 'minimize' && direction !== 'maximize') fail(`${where}: direction must be "minimize" or "maximize", got ${JSON.stringify(direction)}`);
  if (!Number.isInteger(concurrency) || concurrency < 1) fail(`${where}: concurrency must be a positive integer, got ${String(concurrency)}`);

  const better = (a: number, b: number) => (Number.isNaN(b) ? !Number.isNaN(a) : !Number.isNaN(a) && (direction === 'minimize' ? a < b : a > b));
  const rungs: RungResult<C>[] = [];
  let alive = candidates.map((_, i) => i);
  let resource = minResource;
  let totalResource = 0;
  for (let rung = 0; ; rung++) {
    const results: RungResult<C>['results'] = new Array(alive.length);
    let next = 0;
    const worker = async () => {
      while (next < alive.length) {
        const slot = next++;
        const index = alive[slot];
        try {
          const value = await evaluate(candidates[index], resource, { rung, index });
          results[slot] = { index, candidate: candidates[index], value: typeof value === 'number' ? value : Number.NaN };
        } catch (e) {
          results[slot] = { index, candidate: candidates[index], value: Number.NaN, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, alive.length) }, worker));
    totalResource += resource * alive.length;
    if (results.every((r) => r.error !== undefined)) {
      throw new NNError(ErrorCode.InvalidArgument, `${where}: every evaluation at rung ${rung} (resource ${resource}) failed; the first: ${results[0].error}`);
    }
    // Stable sort: ties keep the candidates' order.
    results.sort((a, b) => (better(a.value, b.value) ? -1 : better(b.value, a.value) ? 1 : a.index - b.index));
    rungs.push({ rung, resource, results });
    // A lone candidate goes on too: it has not had the full budget yet (the next rung gives it maxResource).
    if (resource >= maxResource) break;
    alive = results.slice(0, Math.max(1, Math.floor(alive.length / eta))).map((r) => r.index);
    // The last survivor is trained with the full budget: that is the model the search hands back.
    resource = alive.length === 1 ? maxResource : Math.min(maxResource, resource * eta);
  }
  const winner = rungs[rungs.length - 1].results[0];
  return { best: winner.candidate, bestIndex: winner.index, bestValue: winner.value, rungs, totalResource };
}
