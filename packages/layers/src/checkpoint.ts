import { checkOptions, registry, ErrorCode, NNError, nonNegativeInteger, oneOfChoices, positiveInteger, type Callback, type JsonObject, type Logs, type TrainingTarget } from '@nn/core';
import { globalGenerator, type Generator } from '@nn/tensor';
import type { Layer } from './layer.js';
import type { Model } from './model.js';
import { hasMethod } from './resolve.js';

/** Where fit is inside an epoch, when a checkpoint is taken between two batches. */
export interface EpochPosition {
  epoch: number;
  /** The next batch to run. */
  batch: number;
  /** The epoch's sample order (drawn at its start). */
  order: number[];
  lossSum: number;
  seen: number;
  /** The metrics' accumulators (their own number/boolean/array fields). */
  metrics: Record<string, unknown>[];
}

/** What fit shares with checkpoints while it runs. @internal */
export interface TrainingContext {
  generator: Generator;
  callbacks: readonly Callback[];
  /** Optimizer steps fit has taken in this run and the runs it resumes. */
  step: number;
  /** Set between batches (while afterBatch runs): a checkpoint then resumes mid-epoch. A function, so the order and metric state are copied only when a checkpoint is written. */
  position?: () => EpochPosition;
}

/** A metric's accumulators (its own number, boolean and array fields), for a mid-epoch checkpoint. */
export function metricState(metric: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(metric)) {
    if (k === 'name') continue;
    if (typeof v === 'number' || typeof v === 'boolean' || (Array.isArray(v) && v.every((e) => typeof e === 'number' || typeof e === 'boolean'))) out[k] = Array.isArray(v) ? [...v] : v;
  }
  return out;
}

/** Puts back what {@link metricState} saved, field by field, refusing a field the metric does not have or of another type. */
export function loadMetricState(metric: object, state: Record<string, unknown>): void {
  const m = metric as Record<string, unknown>;
  for (const [k, v] of Object.entries(state ?? {})) {
    if (!(k in m) || Array.isArray(m[k]) !== Array.isArray(v) || (!Array.isArray(v) && typeof m[k] !== typeof v)) throw bad(`the metric state field ${k} does not fit ${kindOf(metric)}`);
    m[k] = Array.isArray(v) ? [...v] : v;
  }
}

/** fit's context per model while it trains (set by fit, read by modelCheckpoint). @internal */
export const trainingContexts = new WeakMap<Model, TrainingContext>();

/** An object a checkpoint can save and restore: early stopping, reduce-on-plateau, a modelCheckpoint. */
interface Stateful {
  state(): unknown;
  loadState(state: unknown): void;
}
const isStateful = (v: unknown): v is Stateful => hasMethod(v, 'state') && hasMethod(v, 'loadState');
const kindOf = (v: unknown): string => (v as object)?.constructor?.name ?? typeof v;

/** Everything besides weights and optimizer state that a resumed fit needs to go on bit for bit. */
export interface TrainingState {
  format: 'nn-training-state';
  /** The epoch the resumed fit starts with. */
  nextEpoch: number;
  /** Optimizer steps taken so far (modelCheckpoint's everySteps counts them). */
  step: number;
  /** Set when the checkpoint was taken inside an epoch: where to go on. */
  position?: EpochPosition;
  /** Whether a callback had stopped training (early stopping): the resumed fit then runs no epoch. */
  stopped: boolean;
  /** The global generator (initializers, unseeded dropout, shuffles by default). */
  rng: number[];
  /** fit's shuffle generator when it is not the global one. */
  shuffle: number[] | null;
  /** Layers' own random streams (seeded dropout), by weight path prefix (the layer's name path). */
  layers: Record<string, unknown>;
  /** Each callback's state, by position in fit's callbacks (null for one without state). */
  callbacks: ({ kind: string; state: unknown } | null)[];
  /** Each parameter group's lr schedule state (reduce-on-plateau), null for stateless schedules and numbers. */
  schedules: ({ kind: string; state: unknown } | null)[];
}

function layerStreams(model: Model): Map<string, { get(): unknown; set(s: unknown): void }> {
  const out = new Map<string, { get(): unknown; set(s: unknown): void }>();
  const visit = (layer: Layer, path: string): void => {
    const here = path ? `${path}/${layer.name}` : layer.name;
    out.set(here, { get: () => layer.randomState(), set: (s) => layer.setRandomState(s) });
    for (const c of layer.children()) visit(c, here);
  };
  visit(model, '');
  return out;
}

/** The training state at the end of `epoch` (after every callback's onEpochEnd). */
export function captureTrainingState(model: Model, ctx: TrainingContext, epoch: number): TrainingState {
  const position = ctx.position?.();
  const layers: Record<string, unknown> = {};
  for (const [path, s] of layerStreams(model)) {
    const v = s.get();
    if (v !== undefined) layers[path] = v;
  }
  const stateOf = (v: unknown) => (isStateful(v) ? { kind: kindOf(v), state: JSON.parse(JSON.stringify(v.state())) as unknown } : null);
  return {
    format: 'nn-training-state',
    nextEpoch: position ? position.epoch : epoch + 1,
    step: ctx.step,
    ...(position ? { position } : {}),
    stopped: model.stopTraining,
    rng: globalGenerator.getState(),
    shuffle: ctx.generator === globalGenerator ? null : ctx.generator.getState(),
    layers,
    callbacks: ctx.callbacks.map(stateOf),
    schedules: (model.optimizer?.paramGroups ?? []).map((g) => stateOf((g as { lr?: unknown }).lr)),
  };
}

const bad = (message: string) => new NNError(ErrorCode.StateMismatch, `fit: resumeFrom: ${message}`);

/** Checks a saved training state against this fit (same callbacks, schedules, layers) and applies it. */
export function restoreTrainingState(model: Model, ctx: TrainingContext, saved: unknown): TrainingState {
  const s = saved as TrainingState;
  if (typeof s !== 'object' || s === null || s.format !== 'nn-training-state') throw bad('the checkpoint holds no training state (was it saved by modelCheckpoint?)');
  nonNegativeInteger('fit: resumeFrom', 'nextEpoch', s.nextEpoch);
  ctx.step = nonNegativeInteger('fit: resumeFrom', 'step', s.step ?? 0);
  if (s.position !== undefined) {
    const p = s.position;
    if (typeof p !== 'object' || p === null || !Array.isArray(p.order) || !Array.isArray(p.metrics) || p.metrics.length !== model.metrics.length) throw bad('its epoch position is malformed');
    nonNegativeInteger('fit: resumeFrom', 'position.batch', p.batch);
    model.metrics.forEach((m, i) => loadMetricState(m, p.metrics[i] as Record<string, unknown>));
  }
  const restoreList = (what: string, saved: unknown, current: readonly unknown[]) => {
    if (!Array.isArray(saved) || saved.length !== current.length) throw bad(`the checkpoint has ${Array.isArray(saved) ? saved.length : 'no'} ${what}; this fit has ${current.length}`);
    saved.forEach((entry: { kind: string; state: unknown } | null, i) => {
      const now = current[i];
      if (entry === null) {
        if (isStateful(now)) throw bad(`${what} ${i} (${kindOf(now)}) has state but the checkpoint holds none for it`);
        return;
      }
      if (!isStateful(now) || kindOf(now) !== entry.kind) throw bad(`${what} ${i} was a ${entry.kind} when saved; here it is ${kindOf(now)}`);
      now.loadState(entry.state);
    });
  };
  restoreList('callbacks', s.callbacks, ctx.callbacks);
  restoreList('lr schedules', s.schedules, (model.optimizer?.paramGroups ?? []).map((g) => (g as { lr?: unknown }).lr));
  const streams = layerStreams(model);
  for (const [path, state] of Object.entries(s.layers ?? {})) {
    const stream = streams.get(path);
    if (!stream) throw bad(`the checkpoint has a random stream for layer ${path}, which this model does not have`);
    stream.set(state);
  }
  globalGenerator.setState(s.rng);
  if (s.shuffle) ctx.generator.setState(s.shuffle);
  return s;
}

export interface ModelCheckpointOptions {
  /** Where checkpoints go: `<dir>/epoch-0003`, … (a directory in Node, or any save target such as `indexeddb://run`). */
  dir: string;
  /** Save every this many epochs (default 1, or none when everySteps is given). */
  everyEpochs?: number;
  /** Save every this many optimizer steps, between batches (resuming mid-epoch: order, position, running loss and metrics are saved). */
  everySteps?: number;
  /** Keep only the newest this many checkpoints (default: all); older ones are deleted where the target can. */
  keepLast?: number;
  /** Save only when `monitor` improves on the best so far. */
  saveBestOnly?: boolean;
  /** The metric saveBestOnly watches (default 'val_loss'). */
  monitor?: string;
  /** 'auto' (default) maximizes accuracy-like names and minimizes the rest. */
  mode?: 'auto' | 'min' | 'max';
}

/**
 * Keras' ModelCheckpoint, made complete: each checkpoint holds the model, the optimizer, every schedule's
 * and callback's state, the global RNG, every layer's own RNG stream and the next epoch, so
 * `fit(x, y, { resumeFrom: checkpoint.latest })` in a new process goes on exactly as the run would have.
 */
export class ModelCheckpoint implements Callback {
  readonly dir: string;
  readonly everyEpochs?: number;
  readonly everySteps?: number;
  readonly keepLast?: number;
  readonly saveBestOnly: boolean;
  readonly monitor: string;
  readonly mode: 'auto' | 'min' | 'max';
  /** The checkpoints written and still kept, oldest first. */
  saved: string[] = [];
  /** The best monitored value so far (saveBestOnly). */
  best: number | null = null;
  private model?: Model;

  constructor(options: ModelCheckpointOptions) {
    const w = 'modelCheckpoint';
    const o = checkOptions(w, options, ['dir', 'everyEpochs', 'everySteps', 'keepLast', 'saveBestOnly', 'monitor', 'mode'], { required: ['dir'] });
    if (typeof o.dir !== 'string' || o.dir === '') throw new NNError(ErrorCode.InvalidArgument, `${w}: dir must be a non-empty string (a directory or a save target)`, { option: 'dir' });
    this.dir = o.dir.replace(/\/+$/, '');
    this.everySteps = o.everySteps === undefined ? undefined : positiveInteger(w, 'everySteps', o.everySteps);
    this.everyEpochs = o.everyEpochs === undefined ? (this.everySteps ? undefined : 1) : positiveInteger(w, 'everyEpochs', o.everyEpochs);
    this.keepLast = o.keepLast === undefined ? undefined : positiveInteger(w, 'keepLast', o.keepLast);
    if (o.saveBestOnly !== undefined && typeof o.saveBestOnly !== 'boolean') throw new NNError(ErrorCode.InvalidArgument, `${w}: saveBestOnly must be true or false`, { option: 'saveBestOnly' });
    this.saveBestOnly = o.saveBestOnly ?? false;
    if (o.monitor !== undefined && (typeof o.monitor !== 'string' || o.monitor === '')) throw new NNError(ErrorCode.InvalidArgument, `${w}: monitor must be a metric name`, { option: 'monitor' });
    this.monitor = o.monitor ?? 'val_loss';
    this.mode = oneOfChoices(w, 'mode', o.mode ?? 'auto', ['auto', 'min', 'max'] as const);
  }

  /** The newest checkpoint kept, what `resumeFrom` takes; undefined before the first save. */
  get latest(): string | undefined {
    return this.saved[this.saved.length - 1];
  }

  setTarget(target: TrainingTarget): void {
    this.model = target as Model;
  }

  private get maximizes(): boolean {
    return this.mode === 'max' || (this.mode === 'auto' && /acc|auc|precision|recall|f1/i.test(this.monitor));
  }

  /** Runs after every callback's onEpochEnd (fit calls it), so the state it saves is the epoch's final one. */
  async afterEpoch(epoch: number, logs: Logs = {}): Promise<void> {
    if (!this.everyEpochs || (epoch + 1) % this.everyEpochs !== 0) return;
    await this.write(epoch, logs, `epoch-${String(epoch + 1).padStart(4, '0')}`);
  }

  /** Runs between two batches (fit calls it): with everySteps, a checkpoint a resumed fit enters mid-epoch. */
  async afterBatch(_batch: number, logs: Logs = {}): Promise<void> {
    const ctx = this.model && trainingContexts.get(this.model);
    if (!this.everySteps || !ctx?.position || ctx.step % this.everySteps !== 0) return;
    await this.write(ctx.position().epoch, logs, `step-${String(ctx.step).padStart(7, '0')}`);
  }

  private async write(epoch: number, logs: Logs, name: string): Promise<void> {
    const model = this.model;
    const ctx = model && trainingContexts.get(model);
    if (!model || !ctx) throw new NNError(ErrorCode.StateMismatch, 'modelCheckpoint: pass it to fit({ callbacks: [...] })');
    if (this.saveBestOnly) {
      const value = logs[this.monitor];
      if (typeof value !== 'number') throw new NNError(ErrorCode.InvalidArgument, `modelCheckpoint: monitor "${this.monitor}" is not in the epoch logs (logs: ${Object.keys(logs).join(', ') || 'none'})`, { monitor: this.monitor });
      const better = this.best === null || (this.maximizes ? value > this.best : value < this.best);
      if (!better) return;
      this.best = value;
    }
    const target = `${this.dir}/${name}`;
    this.saved = [...this.saved.filter((t) => t !== target), target];
    const dropped = this.keepLast ? this.saved.slice(0, Math.max(0, this.saved.length - this.keepLast)) : [];
    this.saved = this.saved.slice(dropped.length);
    // The state is captured with this checkpoint's own list and best in it, so a resumed run keeps pruning.
    await model.save(target, { checkpoint: captureTrainingState(model, ctx, epoch) });
    const { removeSaved } = await import('./io/router.js');
    for (const old of dropped) await removeSaved(old);
  }

  /** The kept checkpoints and the best value, for a resumed run. */
  state(): { saved: string[]; best: number | null } {
    return { saved: [...this.saved], best: this.best };
  }

  loadState(state: unknown): void {
    const s = checkOptions('modelCheckpoint.loadState', state as { saved?: unknown; best?: unknown }, ['saved', 'best'], { noun: 'field' });
    if (!Array.isArray(s.saved) || s.saved.some((t) => typeof t !== 'string')) throw new NNError(ErrorCode.StateMismatch, 'modelCheckpoint.loadState: saved must be an array of targets');
    if (s.best !== null && s.best !== undefined && typeof s.best !== 'number') throw new NNError(ErrorCode.StateMismatch, 'modelCheckpoint.loadState: best must be a number or null');
    this.saved = [...(s.saved as string[])];
    this.best = (s.best as number | null | undefined) ?? null;
  }
}

/** `callbacks: [modelCheckpoint({ dir: 'runs/a', keepLast: 3 })]`. */
export const modelCheckpoint = (options: ModelCheckpointOptions): ModelCheckpoint => new ModelCheckpoint(options);
registry.register('callback', 'modelCheckpoint', {
  fromConfig: (config: JsonObject) => new ModelCheckpoint(config as unknown as ModelCheckpointOptions),
});
