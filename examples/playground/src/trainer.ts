import { EarlyStopping } from '@nn/regularize';
import { getLoss, trainStep, type Loss } from '@nn/layers';
import type { Schedule } from '@nn/schedule';
import { noGrad, sqrt, square, stack, sum, tensor, type Tensor } from '@nn/tensor';
import type { PlaygroundConfig } from './config.js';
import { makeDataset, type Dataset } from './data.js';
import { buildModel, buildOptimizer, buildSchedule, type BuiltModel } from './model.js';
import { mulberry32, permutation } from './rng.js';

/** What one evaluation records (every `evalEvery` steps and at each epoch's end). */
export interface EvalPoint {
  step: number;
  trainLoss: number;
  testLoss: number;
  /** Classification only: the fraction of points on the right side of 0.5. */
  trainAcc?: number;
  testAcc?: number;
}

/**
 * A training run of one config, one batch at a time, on whatever backend is current: the app's play, step
 * and the end-to-end test all drive it. Each step goes through @nn/layers' `trainStep` (forward, loss,
 * penalties, backward, clipping, the optimizer's update); its `beforeUpdate` hook reads the per-layer
 * gradient norms while the gradients exist.
 */
export class Trainer {
  readonly config: PlaygroundConfig;
  readonly data: Dataset;
  readonly built: BuiltModel;
  readonly schedule: Schedule;
  readonly loss: Loss;
  step = 0;
  epoch = 0;
  stopped = false;
  /** Why training stopped (early stopping, a non-finite loss). */
  stopReason = '';
  readonly evals: EvalPoint[] = [];
  /** Per step: the lr used, the batch's loss and each block's kernel-gradient 2-norm (first layer first). */
  readonly lrs: number[] = [];
  readonly batchLosses: number[] = [];
  readonly gradNorms: number[][] = [];
  private readonly xTrain: Tensor;
  private readonly yTrain: Tensor;
  private readonly xTest: Tensor;
  private readonly yTest: Tensor;
  private readonly rand: () => number;
  private order: number[] = [];
  private cursor = 0;
  private readonly early?: EarlyStopping;
  private readonly target = { stopTraining: false, getWeights: () => this.built.model.getWeights(), setWeights: (w: unknown[]) => this.built.model.setWeights(w as Tensor[]) };

  constructor(config: PlaygroundConfig) {
    this.config = config;
    this.data = makeDataset(config.data);
    this.built = buildModel(config, this.data.task);
    this.schedule = buildSchedule(config);
    this.loss = getLoss(this.data.task === 'classification' ? 'binaryCrossentropy' : 'meanSquaredError');
    this.built.model.compile({ optimizer: buildOptimizer(config, this.schedule), loss: this.loss });
    this.xTrain = tensor(this.data.train.x);
    this.yTrain = tensor(this.data.train.y.map((v) => [v]));
    this.xTest = tensor(this.data.test.x);
    this.yTest = tensor(this.data.test.y.map((v) => [v]));
    this.rand = mulberry32(config.seed * 104729 + 3);
    if (config.patience > 0) {
      this.early = new EarlyStopping({ monitor: 'val_loss', patience: config.patience, restoreBestWeights: true });
      this.early.setTarget(this.target);
      this.early.onTrainBegin();
    }
    this.evaluate();
  }

  get batchSize(): number {
    return Math.min(this.config.batchSize, this.data.train.y.length);
  }

  /** Runs `n` training steps (fewer if training stops); returns how many ran. */
  run(n: number): number {
    let done = 0;
    while (done < n && !this.stopped) {
      this.trainOne();
      done++;
    }
    return done;
  }

  private nextBatch(): number[] {
    const n = this.data.train.y.length;
    if (this.cursor + this.batchSize > n || this.order.length === 0) {
      if (this.order.length > 0) this.endEpoch();
      this.order = permutation(n, this.rand);
      this.cursor = 0;
    }
    const idx = this.order.slice(this.cursor, this.cursor + this.batchSize);
    this.cursor += this.batchSize;
    return idx;
  }

  private trainOne(): void {
    const idx = this.nextBatch();
    if (this.stopped) return;
    const x = tensor(idx.map((i) => this.data.train.x[i]));
    const y = tensor(idx.map((i) => [this.data.train.y[i]]));
    const lr = this.schedule.lrAt(this.step);
    let norms: number[] = [];
    const loss = trainStep(this.built.model, x, y, {
      updateMetrics: false,
      beforeUpdate: () => {
        norms = noGrad(() => {
          const each = this.built.kernels.map((k) => (k.grad ? sqrt(sum(square(k.grad))) : tensor(0)));
          const all = stack(each);
          const values = Array.from(all.dataSync());
          all.dispose();
          each.forEach((t) => t.dispose());
          return values;
        });
        return true;
      },
    });
    const value = loss.dataSync()[0];
    loss.dispose();
    x.dispose();
    y.dispose();
    this.lrs.push(lr);
    this.batchLosses.push(value);
    this.gradNorms.push(norms);
    this.step++;
    if (!Number.isFinite(value)) {
      this.stopped = true;
      this.stopReason = `the loss became ${value} at step ${this.step}: the learning rate is too high`;
    }
    if (this.step % this.evalEvery === 0) this.evaluate();
  }

  /** Evaluate about 20 times per epoch, and at least every 10 steps. */
  get evalEvery(): number {
    return Math.max(1, Math.min(10, Math.floor(this.data.train.y.length / this.batchSize / 4)));
  }

  private endEpoch(): void {
    this.epoch++;
    const e = this.evaluate();
    const plateau = this.schedule as Schedule & { update?: (metric: number) => number };
    if (typeof plateau.update === 'function') plateau.update(e.testLoss);
    if (this.early) {
      this.early.onEpochEnd(this.epoch - 1, { loss: e.trainLoss, val_loss: e.testLoss });
      if (this.target.stopTraining) {
        this.stopped = true;
        // Training ends here: the callback puts the best epoch's weights back (as fit's end would); show their score.
        this.early.onTrainEnd();
        this.evaluate();
        this.stopReason = `early stopping at epoch ${this.epoch}: no test-loss improvement for ${this.config.patience} epochs (best weights restored)`;
      }
    }
  }

  /** Loss (and accuracy) on the train and test points, in inference mode (dropout off, batch norm's running stats). */
  evaluate(): EvalPoint {
    const point: EvalPoint = { step: this.step, ...this.measure('train', this.xTrain, this.yTrain), ...this.measure('test', this.xTest, this.yTest) } as EvalPoint;
    const last = this.evals.at(-1);
    if (last?.step === point.step) this.evals[this.evals.length - 1] = point;
    else this.evals.push(point);
    return point;
  }

  private measure(which: 'train' | 'test', x: Tensor, y: Tensor): Partial<EvalPoint> {
    return noGrad(() => {
      const out = this.built.model.call(x, false);
      const l = this.loss.compute(y, out);
      const lossValue = l.dataSync()[0];
      const pred = out.dataSync();
      const labels = which === 'train' ? this.data.train.y : this.data.test.y;
      l.dispose();
      out.dispose();
      if (this.data.task === 'regression') return { [`${which}Loss`]: lossValue };
      let right = 0;
      labels.forEach((v, i) => {
        if ((pred[i] > 0.5 ? 1 : 0) === v) right++;
      });
      return { [`${which}Loss`]: lossValue, [`${which}Acc`]: right / labels.length };
    });
  }

  /**
   * The network's output on an n×n grid over [-1, 1]², and each hidden unit's output on it: what the heatmap
   * and the unit pictures draw. Row 0 is the top (x₂ = 1).
   */
  grid(n: number): { output: Float32Array; units: Float32Array[][] } {
    const pts: number[][] = [];
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) pts.push([-1 + (2 * c) / (n - 1), 1 - (2 * r) / (n - 1)]);
    return noGrad(() => {
      let h = tensor(pts);
      const units: Float32Array[][] = [];
      for (const block of this.built.blocks) {
        const next = block.call(h, false);
        h.dispose();
        h = next;
        const width = h.shape[1];
        const flat = h.dataSync();
        units.push(Array.from({ length: width }, (_, j) => Float32Array.from({ length: n * n }, (_, i) => flat[i * width + j])));
      }
      h.dispose();
      const output = units.pop()![0];
      return { output, units };
    });
  }

  /** Hidden units whose output is the same everywhere on an n×n grid: flat pictures, e.g. dead ReLUs. */
  flatUnits(n = 40): number {
    return this.grid(n).units.flat().filter((u) => Math.max(...u) - Math.min(...u) < 1e-6).length;
  }

  dispose(): void {
    for (const t of [this.xTrain, this.yTrain, this.xTest, this.yTest]) t.dispose();
  }
}
