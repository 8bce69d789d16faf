import { ErrorCode, NNError, registry, type JsonObject } from '@nn/core';
import { categoricalDistribution, describeDistribution, floatDistribution, gridValues, intDistribution } from './distributions.js';
import { checkOptions, seedOption } from './options.js';
import { RNG } from './rng.js';
import type { Distribution, FrozenTrial, ParamValue, Sampler, StudyView } from './types.js';

/**
 * One axis of a grid: the values themselves, or a range discretized into `n` points — evenly on a log scale
 * when `log` is set (learning rates: 1e-4, 1e-3, 1e-2, …); every value of an int/step range when `n` is
 * omitted, 5 points of a continuous one.
 */
export type GridAxis =
  | readonly ParamValue[]
  | { type?: 'float' | 'int'; low: number; high: number; log?: boolean; step?: number; n?: number }
  | { type: 'categorical'; choices: readonly ParamValue[] };

export interface GridSamplerOptions {
  /** Parameter name -> its grid axis. The objective suggests each parameter as usual; the grid decides the value. */
  searchSpace: Record<string, GridAxis>;
  /** Seeds the order in which combinations are visited (random order, so a study cut short still spreads out). */
  seed?: number;
}

const MAX_COMBINATIONS = 10_000_000;

/**
 * Exhaustive search over a declared grid: every combination exactly once (across processes sharing a
 * storage, too, barring races), then the study stops. Combinations are taken in a seeded random order.
 */
export class GridSampler implements Sampler {
  /** The resolved values of each axis, in sorted parameter order. */
  readonly grid: Record<string, ParamValue[]>;
  readonly seed: number | undefined;
  private readonly names: string[];
  private readonly total: number;
  private readonly rng: RNG;

  constructor(options: GridSamplerOptions) {
    const where = 'GridSampler';
    if (options === undefined) throw new NNError(ErrorCode.InvalidArgument, `${where}: options { searchSpace } are required`);
    checkOptions(where, options, ['searchSpace', 'seed']);
    const space = options.searchSpace;
    if (typeof space !== 'object' || space === null || Array.isArray(space) || Object.keys(space).length === 0) {
      throw new NNError(ErrorCode.InvalidArgument, `${where}: searchSpace must be a non-empty object { name: values | { low, high, log?, step?, n? } }`);
    }
    this.names = Object.keys(space).sort();
    this.grid = Object.fromEntries(this.names.map((name) => [name, axisValues(name, space[name])]));
    this.total = this.names.reduce((n, name) => n * this.grid[name].length, 1);
    if (this.total > MAX_COMBINATIONS) {
      throw new NNError(ErrorCode.InvalidArgument, `${where}: the grid has ${this.total} combinations (over ${MAX_COMBINATIONS}); use fewer points or a RandomSampler/QMCSampler`, { combinations: this.total });
    }
    this.seed = seedOption(where, options.seed);
    this.rng = new RNG(this.seed);
  }

  /** How many combinations the grid has. */
  get size(): number {
    return this.total;
  }

  /** The parameter values of combination `id` (mixed radix over the sorted names). */
  combination(id: number): Record<string, ParamValue> {
    const out: Record<string, ParamValue> = {};
    for (let i = this.names.length - 1; i >= 0; i--) {
      const values = this.grid[this.names[i]];
      out[this.names[i]] = values[id % values.length];
      id = Math.floor(id / values.length);
    }
    return out;
  }

  beforeTrial(study: StudyView, trial: FrozenTrial): void {
    if ('gridId' in trial.systemAttrs || 'fixedParams' in trial.systemAttrs) return;
    if (!study.setTrialSystemAttr) throw new NNError(ErrorCode.InvalidArgument, 'GridSampler: the study must implement setTrialSystemAttr to record grid points');
    const { finished, running } = this.taken(study);
    let candidates = this.free((id) => finished.has(id) || running.has(id));
    if (candidates.length === 0) candidates = this.free((id) => finished.has(id));
    let id: number;
    if (candidates.length > 0) {
      id = this.rng.choice(candidates);
    } else {
      // Every combination has been tried: this trial repeats one, and the study stops (as Optuna does).
      id = this.rng.integer(0, this.total - 1);
      study.stop?.();
    }
    study.setTrialSystemAttr(trial.number, 'gridId', id);
  }

  sampleIndependent(_study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue {
    if (!(name in this.grid)) {
      throw new NNError(ErrorCode.InvalidArgument, `GridSampler: parameter "${name}" is not in the grid (grid parameters: ${this.names.join(', ')}); add it to searchSpace`, { name });
    }
    const id = trial.systemAttrs.gridId;
    if (typeof id !== 'number') throw new NNError(ErrorCode.InvalidArgument, `GridSampler: trial ${trial.number} has no grid point (was it enqueued without "${name}"?)`, { name });
    const value = this.combination(id)[name];
    // A value of another kind (a fraction for suggestInt, a number for a list of strings) would be returned
    // as the parameter and break everything that reads it later; a value out of range is allowed, as in Optuna.
    const fits = distribution.type === 'categorical' ? distribution.choices.includes(value) : typeof value === 'number' && (distribution.type === 'float' || Number.isInteger(value));
    if (!fits) {
      throw new NNError(
        ErrorCode.InvalidArgument,
        `GridSampler: the grid value ${JSON.stringify(value)} of "${name}" is not a value of ${describeDistribution(distribution)}${distribution.type === 'int' ? "; give the axis type: 'int' (or list the integers)" : ''}`,
        { name, value },
      );
    }
    return value;
  }

  afterTrial(study: StudyView, trial: FrozenTrial): void {
    const { finished } = this.taken(study);
    if (typeof trial.systemAttrs.gridId === 'number') finished.add(trial.systemAttrs.gridId);
    if (finished.size >= this.total) study.stop?.();
  }

  /** True once every combination is finished or running: `optimize` then starts nothing more. */
  isExhausted(study: StudyView): boolean {
    const { finished, running } = this.taken(study);
    return new Set([...finished, ...running]).size >= this.total;
  }

  stateDict(): JsonObject {
    return { rng: this.rng.getState() };
  }

  loadStateDict(state: JsonObject): void {
    if (!Array.isArray(state?.rng)) throw new NNError(ErrorCode.StateMismatch, 'GridSampler.loadStateDict: expected { rng: number[4] }');
    this.rng.setState(state.rng as number[]);
  }

  getConfig(): Record<string, unknown> {
    return { searchSpace: this.grid, seed: this.seed };
  }

  static fromConfig(config: JsonObject): GridSampler {
    return new GridSampler(config as unknown as GridSamplerOptions);
  }

  private taken(study: StudyView): { finished: Set<number>; running: Set<number> } {
    const finished = new Set<number>();
    const running = new Set<number>();
    for (const t of study.getTrials()) {
      const id = t.systemAttrs.gridId;
      if (typeof id !== 'number') continue;
      if (t.state === 'running') running.add(id);
      else if (t.state !== 'waiting') finished.add(id);
    }
    return { finished, running };
  }

  private free(isTaken: (id: number) => boolean): number[] {
    const out: number[] = [];
    for (let id = 0; id < this.total; id++) if (!isTaken(id)) out.push(id);
    return out;
  }
}

function axisValues(name: string, axis: GridAxis): ParamValue[] {
  const where = `GridSampler: searchSpace.${name}`;
  if (Array.isArray(axis)) {
    categoricalDistribution(axis, where);
    return [...axis];
  }
  if (typeof axis !== 'object' || axis === null) {
    throw new NNError(ErrorCode.InvalidArgument, `${where} must be an array of values or { low, high, log?, step?, n? }`, { name });
  }
  const a = axis as Record<string, unknown>;
  if (a.type === 'categorical') {
    checkOptions(where, a, ['type', 'choices']);
    return [...(categoricalDistribution(a.choices as ParamValue[], where) as { choices: ParamValue[] }).choices];
  }
  checkOptions(where, a, ['type', 'low', 'high', 'log', 'step', 'n']);
  if (a.type !== undefined && a.type !== 'float' && a.type !== 'int') {
    throw new NNError(ErrorCode.InvalidArgument, `${where}: type must be "float", "int" or "categorical", got ${JSON.stringify(a.type)}`, { name });
  }
  const d: Distribution =
    a.type === 'int'
      ? intDistribution(a.low as number, a.high as number, { log: a.log as boolean | undefined, step: a.step as number | undefined }, where)
      : floatDistribution(a.low as number, a.high as number, { log: a.log as boolean | undefined, step: a.step as number | undefined }, where);
  if (a.n !== undefined && (!Number.isInteger(a.n) || (a.n as number) < 1)) {
    throw new NNError(ErrorCode.InvalidArgument, `${where}: n must be a positive integer, got ${String(a.n)}`, { name });
  }
  return gridValues(d, a.n as number | undefined);
}

registry.register('sampler', 'grid', GridSampler);
