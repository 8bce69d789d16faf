import { checkOptions, deserialize, ErrorCode, NNError, runCallbacks, serialize, type Callback, type JsonObject, type Logs, type Serialized, type TrainingTarget } from '@nn/core';
import { add, concat, gather, globalGenerator, noGrad, slice, tensor, tidy, tidyOwned, type Generator, type Tensor } from '@nn/tensor';
import { assertFinite, toTensor, type Data } from './data.js';
import { History } from './history.js';
import type { AugmenterLike, OptimizerLike } from './kinds.js';
import { Layer, type Shape } from './layer.js';
import { getLoss, type Loss } from './losses.js';
import { getMetric, type Metric } from './metrics.js';
import { metricState, restoreTrainingState, trainingContexts, type EpochPosition, type TrainingContext } from './checkpoint.js';
import { checkGuardOptions, lowerLr, Snapshot, weightsFinite, type DivergenceGuardOptions } from './divergence.js';
import { checkBatchOptions, checkFitOptions, checkMetricSpecs, COMPILE_OPTIONS, resolveCallbacks } from './fit-options.js';
import { ProgressBar } from './progress.js';
import { hasMethod, instantiate } from './resolve.js';
import { trainStep } from './train-step.js';
import type { SaveTarget } from './io/handler.js';
import type { SaveOptions } from './save.js';

export interface CompileOptions {
  /** An optimizer (e.g. `new SGD({ lr: 0.001 })`) or a registered name (`'adam'`, with its defaults). */
  optimizer: OptimizerLike | string;
  /** A loss or a registered name (`'binaryCrossentropy'`, or Keras' `'binary_crossentropy'`). */
  loss: Loss | string;
  /** Metrics or names: `'accuracy'` picks binary/categorical/sparse from the loss, as Keras. */
  metrics?: (Metric | string)[];
}

export interface FitOptions {
  epochs?: number;
  batchSize?: number;
  /** The last fraction of the samples (taken before shuffling, as Keras) held out for validation. */
  validationSplit?: number;
  validationData?: [Data, Data];
  /** Reshuffle the training samples every epoch (default true). */
  shuffle?: boolean;
  /** Callback objects, or names registered under kind `callback` (with their defaults), e.g. `'earlyStopping'`. */
  callbacks?: (Callback | string)[];
  /** 0 silent, 1 progress bar (default), 2 one line per epoch. */
  verbose?: 0 | 1 | 2;
  /** Applied to each training batch's inputs (never to validation): a data-augment transform or pipeline. */
  augment?: AugmenterLike;
  /** Epoch to start from (resuming a run): epochs counts up to `epochs`, as Keras' initial_epoch. */
  initialEpoch?: number;
  /** Generator for the shuffles; the global one (`setSeed`) by default. */
  generator?: Generator;
  /**
   * Opt-in: at a non-finite loss, roll back to the last good in-memory snapshot (the start of fit, then the
   * end of every epoch that lowered the loss without a rollback), multiply the lr by `factor` (0.5) and carry
   * on; each rollback is recorded in `history.divergence`. Without it fit stops at the first non-finite loss with an error naming the epoch and
   * batch, keeping the last finite weights.
   */
  divergenceGuard?: boolean | DivergenceGuardOptions;
  /**
   * A checkpoint written by `modelCheckpoint` (its directory or save target, e.g. `checkpoint.latest`): the
   * weights, the optimizer, every schedule's and callback's state, the RNG streams and the epoch are restored,
   * and training goes on exactly as the run that wrote it would have. Build and compile the model, and pass
   * the same callbacks, as for that run.
   */
  resumeFrom?: string;
}

export interface EvaluateOptions {
  batchSize?: number;
  /** 0 silent (default), 1 progress bar, 2 Keras 2.x's one line (`5/5 - 0s - loss: … - 32ms/epoch - 6ms/step`). */
  verbose?: 0 | 1 | 2;
}

/**
 * Keras' Model: compile/fit/evaluate/predict on top of a layer. The model is the callbacks' TrainingTarget
 * (`stopTraining`, `getWeights`, `setWeights`).
 */
export abstract class Model extends Layer implements TrainingTarget {
  stopTraining = false;
  optimizer?: OptimizerLike;
  loss?: Loss;
  metrics: Metric[] = [];
  history?: History;
  private metricSpecs: (Metric | string)[] = [];
  /** The input shape the model was built for (batch axis null), saved with the model. */
  buildInputShape?: Shape;

  override ensureBuilt(inputShape: Shape): void {
    if (this.built) return;
    super.ensureBuilt(inputShape);
    this.buildInputShape = [null, ...inputShape.slice(1)];
    // Compiled before it was built (predict or a call built it): bind the optimizer and metrics now, so a
    // save at this point writes an optimizer state that matches the model.
    if (this.optimizer || this.loss) this.prepare(this.buildInputShape);
  }

  /** Builds from the first layer's `inputShape` when given; otherwise the model builds on its first data. */
  protected declaredInputShape(): number[] | undefined {
    return this.inputShape;
  }

  /** Builds now if an input shape was declared; returns whether the model is built. */
  buildIfDeclared(): boolean {
    const declared = this.declaredInputShape();
    if (!this.built && declared) this.ensureBuilt([null, ...declared]);
    return this.built;
  }

  override setWeights(values: Parameters<Layer['setWeights']>[0]): void {
    this.buildIfDeclared();
    super.setWeights(values);
  }

  override getWeights(): Tensor[] {
    this.buildIfDeclared();
    return super.getWeights();
  }

  compile(options: CompileOptions): void {
    const { optimizer, loss, metrics = [] } = checkOptions('compile', options, COMPILE_OPTIONS, { required: ['optimizer', 'loss'] });
    checkMetricSpecs(metrics);
    this.optimizer = resolveOptimizer(optimizer);
    this.loss = getLoss(loss);
    this.metricSpecs = [...metrics];
    this.metrics = [];
    const declared = this.buildInputShape ?? (this.declaredInputShape() ? [null, ...this.declaredInputShape()!] : undefined);
    if (declared) this.prepare(declared);
  }

  /** Builds the model and binds its weights to the optimizer; metrics need the output size to pick their kind. */
  private prepare(inputShape: Shape): void {
    this.ensureBuilt(inputShape);
    if (this.optimizer && this.optimizer.paramGroups.length === 0) this.optimizer.addParamGroup({ params: this.trainableWeights });
    if (this.loss && this.metrics.length !== this.metricSpecs.length) {
      const out = this.computeOutputShape(inputShape);
      const l = this.loss as Loss & { fromLogits?: boolean };
      this.metrics = this.metricSpecs.map((m) => getMetric(m, { lossKind: l.kind, fromLogits: l.fromLogits, outputDim: out[out.length - 1] ?? undefined }));
    }
  }

  /** The metrics as given to `compile` (names or instances), which `save` writes. @internal */
  get compiledMetrics(): readonly (Metric | string)[] {
    return this.metricSpecs;
  }

  /** The optimizer and loss, or an error naming `op` when the model is not compiled. @internal (trainStep) */
  requireCompiled(op: string): { optimizer: OptimizerLike; loss: Loss } {
    if (!this.optimizer || !this.loss) throw new NNError(ErrorCode.StateMismatch, `${op}: compile the model first (model.compile({ optimizer, loss, metrics }))`);
    return { optimizer: this.optimizer, loss: this.loss };
  }

  /** Checks x and y before any step: same sample count, feature shape, finite values, labels the loss accepts. */
  private checkData(op: string, x: Tensor, y: Tensor | undefined, what = ''): void {
    if (x.rank < 1) throw new NNError(ErrorCode.ShapeMismatch, `${op}: x${what} must have a batch axis, got a scalar`);
    if (y && y.rank >= 1 && x.shape[0] !== y.shape[0]) {
      throw new NNError(ErrorCode.ShapeMismatch, `${op}: x${what} has ${x.shape[0]} samples but y${what} has ${y.shape[0]}`, { x: x.shape, y: y.shape });
    }
    const expected = this.buildInputShape ?? (this.declaredInputShape() ? [null, ...this.declaredInputShape()!] : undefined);
    if (expected) {
      const got = x.shape.slice(1);
      const want = expected.slice(1);
      if (got.length !== want.length || want.some((d, i) => d !== null && d !== got[i])) {
        if (x.rank === want.length && want.every((d, i) => d === null || d === x.shape[i])) {
          throw new NNError(ErrorCode.ShapeMismatch, `${op}: x${what} of shape [${x.shape.join(',')}] is one sample without the batch axis; the model takes a batch of samples of shape [${want.join(',')}]: wrap it, [x], for a batch of one (shape [1,${x.shape.join(',')}])`);
        }
        throw new NNError(ErrorCode.ShapeMismatch, `${op}: the model expects samples of shape [${want.join(',')}] (${want[want.length - 1]} features), got x${what} of shape [${x.shape.join(',')}]`);
      }
    }
    assertFinite(x, `${op}: x${what}`);
    if (y) {
      assertFinite(y, `${op}: y${what}`);
      if (this.loss) {
        const outShape = this.computeOutputShape([null, ...x.shape.slice(1)]);
        const problem = this.loss.checkTargets(y.dataSync(), y.shape, outShape);
        if (problem) throw new NNError(ErrorCode.InvalidArgument, `${op}: y${what}: ${problem}`);
      }
    }
  }

  /**
   * One optimizer step on one batch (see trainStep); returns the loss (with penalties) as a number. A NaN or
   * infinite loss is returned without updating anything, so the weights stay the last finite ones.
   */
  private step(x: Tensor, y: Tensor): number {
    let value = NaN;
    const loss = trainStep(this, x, y, { beforeUpdate: (l) => Number.isFinite((value = l.item())) });
    loss.dispose();
    return value;
  }

  /**
   * fit's step on the samples `idx` of `x` and `y` (augmented when asked); returns the loss. A method of its
   * own, outside fit's long async body, so that the engine optimizes the per-batch work by itself.
   */
  private trainBatch(x: Tensor, y: Tensor, idx: Int32Array, augment: AugmenterLike | undefined): number {
    // The batch is disposed below whatever happens, so it needs no finalizer (tidyOwned). Consecutive samples
    // (an epoch without shuffling) are a slice: no index tensor to upload and check twice.
    const made = tidyOwned(() => {
      if (isRun(idx)) return [slice(x, [idx[0]], [idx.length]), slice(y, [idx[0]], [idx.length])];
      const i = tensor(idx, [idx.length], 'int32');
      return [gather(x, i), gather(y, i), i];
    });
    const [xRaw, yRaw] = made;
    let xb = xRaw;
    let yb = yRaw;
    try {
      const out = augment ? augment.apply({ image: xRaw, labels: yRaw }) : { image: xRaw, labels: yRaw };
      [xb, yb] = [out.image, out.labels ?? yRaw];
      return this.step(xb, yb);
    } finally {
      for (const t of new Set([...made, xb, yb])) t.dispose();
    }
  }

  /** The data loss plus weight penalties and the activity penalties of this call. @internal (trainStep) */
  totalLoss(dataLoss: Tensor, training: boolean): Tensor {
    let total = dataLoss;
    for (const p of this.regularizationLosses()) total = add(total, p);
    for (const l of this.descendants()) {
      if (l.activityLoss && training) total = add(total, l.activityLoss);
      l.activityLoss = undefined;
    }
    return total;
  }

  /** Trains on one batch; returns `[loss, ...metrics]` for that batch, as Keras' train_on_batch. */
  trainOnBatch(x: Data, y: Data): number[] {
    const xt = toTensor(x, 'trainOnBatch: x');
    const yt = toTensor(y, 'trainOnBatch: y');
    this.requireCompiled('trainOnBatch');
    this.prepare([null, ...xt.shape.slice(1)]);
    this.checkData('trainOnBatch', xt, yt);
    this.metrics.forEach((m) => m.reset());
    const loss = this.step(xt, yt);
    return [loss, ...this.metrics.map((m) => m.result())];
  }

  async fit(x: Data, y: Data, options: FitOptions = {}): Promise<History> {
    options = checkFitOptions(options);
    const { epochs = 1, batchSize = 32, shuffle = true, verbose = 1, validationSplit = 0, augment, generator = globalGenerator } = options;
    let initialEpoch = options.initialEpoch ?? 0;
    const callbacks = resolveCallbacks('fit', options.callbacks);
    const guard = options.divergenceGuard ? checkGuardOptions(options.divergenceGuard) : undefined;
    // terminateOnNaN (or any callback that says so) turns a non-finite loss into a quiet stop, not an error.
    const quietStop = callbacks.some((c) => (c as { handlesNonFinite?: boolean }).handlesNonFinite);
    // Without callbacks a batch awaits nothing (an await is a trip through the microtask queue, per hook per batch).
    const batchHooks = callbacks.length > 0;
    const { optimizer } = this.requireCompiled('fit');
    let xt = toTensor(x, 'fit: x');
    let yt = toTensor(y, 'fit: y');
    this.prepare([null, ...xt.shape.slice(1)]);
    this.checkData('fit', xt, yt);

    let val: [Tensor, Tensor] | undefined;
    if (options.validationData) {
      val = [toTensor(options.validationData[0], 'fit: validationData x'), toTensor(options.validationData[1], 'fit: validationData y')];
      this.checkData('fit', val[0], val[1], ' (validationData)');
    } else if (validationSplit > 0) {
      const n = xt.shape[0];
      const nTrain = Math.floor(n * (1 - validationSplit));
      if (nTrain < 1 || nTrain >= n) throw new NNError(ErrorCode.InvalidArgument, `fit: validationSplit ${validationSplit} of ${n} samples leaves ${nTrain} for training and ${n - nTrain} for validation`);
      val = [slice(xt, [nTrain], [n - nTrain]), slice(yt, [nTrain], [n - nTrain])];
      xt = slice(xt, [0], [nTrain]);
      yt = slice(yt, [0], [nTrain]);
    }

    const n = xt.shape[0];
    const steps = Math.ceil(n / batchSize);
    const history = new History();
    history.params = { epochs, steps, verbose };
    this.history = history;
    this.stopTraining = false;
    for (const cb of callbacks) cb.setTarget?.(this);
    const context: TrainingContext = { generator, callbacks, step: 0 };
    trainingContexts.set(this, context);
    const resumed = options.resumeFrom === undefined ? undefined : await this.loadCheckpoint(options.resumeFrom);
    // A checkpoint taken between two batches: its epoch goes on from there (order, running loss, metrics).
    let resumeAt: EpochPosition | undefined;
    await runCallbacks(callbacks, 'onTrainBegin', {});
    if (resumed !== undefined) {
      // After onTrainBegin, which resets callbacks (early stopping's counters) that the checkpoint restores.
      const state = restoreTrainingState(this, context, resumed);
      initialEpoch = state.nextEpoch;
      resumeAt = state.position;
      this.stopTraining = state.stopped;
    }
    let lastLogs: Logs = {};
    // The last good state in memory, what a divergence goes back to. Without the guard: the start of the epoch.
    // With it: the start of fit, then the end of each epoch that had no rollback and lowered the loss (a
    // finite but exploding loss is not good, so the weights it left are not kept).
    let snapshot: Snapshot | undefined;
    const takeSnapshot = (): void => {
      snapshot?.dispose();
      snapshot = Snapshot.take(this, guard !== undefined);
    };
    let rollbacks = 0;
    // The loss to beat: the model's loss on the training data before the first step.
    let previousLoss = guard ? this.evaluate(xt, yt, { batchSize })[0] : Infinity;
    if (guard) takeSnapshot();
    try {
      for (let epoch = initialEpoch; epoch < epochs && !this.stopTraining; epoch++) {
        const partial = resumeAt?.epoch === epoch ? resumeAt : undefined;
        resumeAt = undefined;
        if (!guard) takeSnapshot();
        const rollbacksBefore = rollbacks;
        // A resumed partial epoch began in the run that saved it (its callbacks saw onEpochBegin there).
        if (!partial) await runCallbacks(callbacks, 'onEpochBegin', epoch, {});
        ProgressBar.epochHeader(epoch, epochs, verbose);
        const bar = new ProgressBar(steps, verbose);
        const order = partial ? Int32Array.from(partial.order) : shuffle ? generator.permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
        if (partial && order.length !== n) throw new NNError(ErrorCode.StateMismatch, `fit: resumeFrom: the checkpoint's epoch order has ${order.length} samples; this fit has ${n}`);
        if (!partial) this.metrics.forEach((m) => m.reset());
        let lossSum = partial?.lossSum ?? 0;
        let seen = partial?.seen ?? 0;
        let logs: Logs = {};
        let done = partial?.batch ?? 0;
        for (let b = partial?.batch ?? 0; b < steps; b++) {
          const idx = order.subarray(b * batchSize, Math.min(n, (b + 1) * batchSize));
          if (batchHooks) await runCallbacks(callbacks, 'onBatchBegin', b, { batch: b, size: idx.length });
          const loss = this.trainBatch(xt, yt, idx, augment);
          if (!Number.isFinite(loss)) {
            const at = `epoch ${epoch + 1}/${epochs}, batch ${b + 1}/${steps}`;
            if (guard) {
              // Roll back to the last good state, lower the lr, and go on with the next batch.
              if (++rollbacks > guard.maxRollbacks) {
                snapshot!.restore(this);
                throw new NNError('DIVERGED', `fit: the loss is ${loss} at ${at} after ${guard.maxRollbacks} rollbacks (divergenceGuard.maxRollbacks); the weights are the last good snapshot`, { epoch, batch: b, loss });
              }
              snapshot!.restore(this);
              history.divergence.push({ epoch, batch: b, loss, lr: lowerLr(optimizer, guard.factor) });
              continue;
            }
            // The update of this batch was skipped; an earlier one may still have overflowed the weights.
            const restored = !weightsFinite(this);
            if (restored) snapshot!.restore(this);
            const kept = restored ? `the weights had become non-finite and are those from the start of epoch ${epoch + 1}` : 'the weights are those from before that batch';
            if (!quietStop) {
              throw new NNError('NON_FINITE', `fit: the loss is ${loss} at ${at}; training stopped and ${kept} (pass callbacks: [terminateOnNaN()] to stop without an error, or divergenceGuard: true to roll back and lower the lr)`, { epoch, batch: b, loss });
            }
          }
          lossSum += loss * idx.length;
          seen += idx.length;
          done = b + 1;
          logs = { loss: lossSum / seen, ...this.metricLogs() };
          if (batchHooks) await runCallbacks(callbacks, 'onBatchEnd', b, { ...logs, batch: b, size: idx.length });
          bar.update(done, logs);
          context.step++;
          if (batchHooks) {
            // The position is for a checkpoint written by a callback during afterBatch.
            const [batchDone, lossNow, seenNow] = [b + 1, lossSum, seen];
            context.position = () => ({ epoch, batch: batchDone, order: Array.from(order), lossSum: lossNow, seen: seenNow, metrics: this.metrics.map(metricState) });
            await runCallbacks(callbacks, 'afterBatch', b, logs);
            context.position = undefined;
          }
          if (this.stopTraining) break;
        }
        if (val) {
          const [vl, ...vm] = this.evaluate(val[0], val[1], { batchSize });
          logs.val_loss = vl;
          this.metrics.forEach((m, i) => (logs[`val_${m.name}`] = vm[i]));
        }
        bar.end(done, logs);
        lastLogs = logs;
        await runCallbacks(callbacks, 'onEpochEnd', epoch, logs);
        // After the callbacks, as Keras' History (the last callback): what they add to the logs is recorded too.
        history.record(epoch, logs);
        // Checkpoints save now, when every callback has seen the epoch.
        await runCallbacks(callbacks, 'afterEpoch', epoch, logs);
        if (guard && rollbacks === rollbacksBefore && logs.loss < previousLoss) takeSnapshot();
        previousLoss = rollbacks === rollbacksBefore ? (logs.loss ?? Infinity) : Infinity;
      }
    } finally {
      snapshot?.dispose();
      trainingContexts.delete(this);
    }
    await runCallbacks(callbacks, 'onTrainEnd', lastLogs);
    return history;
  }

  private metricLogs(): Logs {
    return Object.fromEntries(this.metrics.map((m) => [m.name, m.result()]));
  }

  /** `[loss, ...metrics]` over the data, in inference mode. */
  evaluate(x: Data, y: Data, options: EvaluateOptions = {}): number[] {
    const { batchSize, verbose } = checkBatchOptions('evaluate', options);
    const { loss } = this.requireCompiled('evaluate');
    const xt = toTensor(x, 'evaluate: x');
    const yt = toTensor(y, 'evaluate: y');
    this.prepare([null, ...xt.shape.slice(1)]);
    this.checkData('evaluate', xt, yt);
    const n = xt.shape[0];
    this.metrics.forEach((m) => m.reset());
    const bar = new ProgressBar(Math.ceil(n / batchSize), verbose);
    let lossSum = 0;
    noGrad(() => {
      for (let start = 0; start < n; start += batchSize) {
        const size = Math.min(batchSize, n - start);
        lossSum += tidy(() => {
          const xb = slice(xt, [start], [size]);
          const yb = slice(yt, [start], [size]);
          const out = this.call(xb, false);
          this.metrics.forEach((m) => m.update(yb, out));
          return this.totalLoss(loss.compute(yb, out), false).item() * size;
        });
      }
    });
    const result = [lossSum / n, ...this.metrics.map((m) => m.result())];
    bar.end(Math.ceil(n / batchSize), { loss: result[0], ...this.metricLogs() });
    return result;
  }

  /** The model's outputs for `x`, computed in batches in inference mode. */
  predict(x: Data, options: { batchSize?: number } = {}): Tensor {
    const { batchSize } = checkBatchOptions('predict', options);
    const xt = toTensor(x, 'predict: x');
    // A declared input shape builds the model (and checkData then compares x with it); x builds it otherwise.
    if (!this.buildIfDeclared()) this.ensureBuilt([null, ...xt.shape.slice(1)]);
    this.checkData('predict', xt, undefined);
    const n = xt.shape[0];
    return noGrad(() => {
      const parts: Tensor[] = [];
      for (let start = 0; start < n; start += batchSize) parts.push(this.call(slice(xt, [start], [Math.min(batchSize, n - start)]), false));
      return parts.length === 1 ? parts[0] : concat(parts, 0);
    });
  }

  /**
   * Loads a checkpoint's weights and optimizer state into this model (the lr schedules stay this run's
   * objects: their state comes with the rest of the training state, which is returned).
   */
  private async loadCheckpoint(source: string): Promise<unknown> {
    if (typeof source !== 'string' || source === '') throw new NNError(ErrorCode.InvalidArgument, `fit: resumeFrom must be a checkpoint's directory or save target, got ${String(source)}`);
    const { loadModel, savedCheckpoints } = await import('./save.js');
    const saved = await loadModel(source);
    const state = savedCheckpoints.get(saved);
    if (state === undefined) throw new NNError(ErrorCode.StateMismatch, `fit: resumeFrom: ${source} is a saved model without training state; resume from a checkpoint written by modelCheckpoint`);
    this.setWeights(saved.getWeights());
    const optimizer = this.optimizer!;
    const savedState = saved.optimizer?.stateDict?.();
    if (savedState !== undefined && optimizer.loadStateDict) {
      const lrs = optimizer.paramGroups.map((g) => (g as { lr?: unknown }).lr);
      optimizer.loadStateDict(savedState);
      optimizer.paramGroups.forEach((g, i) => ((g as { lr?: unknown }).lr = lrs[i]));
    }
    return state;
  }

  /**
   * Saves architecture, weights and (by default) the optimizer to `target`: a directory (Node), or
   * `indexeddb://name`, `localstorage://name`, `downloads://name` (browsers); see `loadModel`.
   */
  async save(target: SaveTarget, options?: SaveOptions): Promise<void> {
    const { saveModel } = await import('./save.js');
    return saveModel(this, target, options);
  }

  /** The architecture as JSON data (`{ kind, name, config, format }`); `JSON.stringify(model)` uses it too. */
  toJSON(): Serialized {
    return serialize(this);
  }
}

/** Rebuilds a model (architecture only, fresh weights) from `model.toJSON()` or its string. */
export function modelFromJSON(json: Serialized | string | JsonObject): Model {
  const model = deserialize<Model>(json);
  if (!(model instanceof Model)) throw new NNError(ErrorCode.InvalidConfig, 'modelFromJSON: the JSON does not describe a model');
  return model;
}

/** Whether `idx` counts up by one from its first entry (a batch of consecutive samples). */
function isRun(idx: Int32Array): boolean {
  for (let i = 1; i < idx.length; i++) if (idx[i] !== idx[0] + i) return false;
  return idx.length > 0;
}

function resolveOptimizer(spec: OptimizerLike | string): OptimizerLike {
  const opt = typeof spec === 'string' ? (instantiate('optimizer', spec) as OptimizerLike) : spec;
  for (const m of ['step', 'zeroGrad', 'addParamGroup']) {
    if (!hasMethod(opt, m)) throw new NNError(ErrorCode.InvalidArgument, `compile: the optimizer ${typeof spec === 'string' ? `"${spec}" ` : ''}has no ${m}() method`);
  }
  if (!Array.isArray(opt.paramGroups)) throw new NNError(ErrorCode.InvalidArgument, 'compile: the optimizer has no paramGroups array');
  return opt;
}
