import {
  activation, batchNorm, dense, layerNorm, maxout, prelu, residual, sequential, swishActivation,
  type Layer, type Sequential,
} from '@nn/layers';
import { Adadelta, Adagrad, Adam, AdamW, NAdam, RMSprop, SGD, type Optimizer } from '@nn/optim';
import { l1l2, dropout } from '@nn/regularize';
import {
  constant, cosineDecay, cyclic, exponentialDecay, inverseSqrtDecay, inverseTimeDecay, multiStep, naturalExpDecay, oneCycle, polynomialDecay, reduceOnPlateau, stepDecay,
  warmRestarts, withWarmup,
  type Schedule,
} from '@nn/schedule';
import { setSeed, type Tensor } from '@nn/tensor';
import type { LayerConfig, PlaygroundConfig } from './config.js';

/** A config the app cannot build (shown to the user in place of training). */
export class ConfigError extends Error {}

export interface BuiltModel {
  model: Sequential;
  /** One block per hidden layer, then the output layer: `model.layers`, in order. */
  blocks: Layer[];
  /** The kernel of each block's dense (or maxout) layer, first layer first, for the gradient-norm plot. */
  kernels: Tensor[];
  task: 'classification' | 'regression';
}

function activationLayer(l: LayerConfig, config: PlaygroundConfig): Layer | null {
  switch (l.activation) {
    case 'linear':
    case 'maxout':
      return null;
    case 'prelu':
      return prelu();
    case 'swish':
      return swishActivation({ learnable: config.swishLearnable });
    default:
      return activation(l.activation);
  }
}

/**
 * The network a config describes: each hidden layer is a block dense → [batch/layer norm] → activation →
 * [dropout], maxout units replacing dense → activation, optionally wrapped as a residual z = a + f(a); then one
 * output unit (sigmoid for classification, linear for regression). Weights come from `config.seed`.
 */
export function buildModel(config: PlaygroundConfig, task: BuiltModel['task']): BuiltModel {
  setSeed(config.seed);
  const regularizer = config.l1 > 0 || config.l2 > 0 ? l1l2({ l1: config.l1, l2: config.l2 }) : undefined;
  const kernelOptions = { kernelInitializer: config.initializer, ...(regularizer ? { kernelRegularizer: regularizer } : {}) };
  const blocks: Layer[] = [];
  const kernelOwners: { kernel: Tensor }[] = [];
  let width = 2;
  config.layers.forEach((l, i) => {
    const where = `layer ${i + 1}`;
    if (l.residual && l.units !== width) throw new ConfigError(`${where}: a residual block must keep the width; it has ${l.units} units and ${width} inputs`);
    const parts: Layer[] = [];
    let affine: Layer & { kernel: Tensor };
    if (l.activation === 'maxout') {
      affine = maxout(l.units, { pieces: config.maxoutPieces, kernelInitializer: config.initializer });
    } else {
      affine = dense(l.units, kernelOptions);
    }
    parts.push(affine);
    if (l.norm === 'batchNorm') parts.push(batchNorm());
    if (l.norm === 'layerNorm') parts.push(layerNorm());
    const act = activationLayer(l, config);
    if (act) parts.push(act);
    if (l.dropout > 0) parts.push(dropout(l.dropout));
    const block = sequential(parts);
    blocks.push(l.residual ? residual(block) : block);
    kernelOwners.push(affine);
    width = l.units;
  });
  const out = dense(1, { ...kernelOptions, ...(task === 'classification' ? { activation: 'sigmoid' } : {}) });
  blocks.push(out);
  kernelOwners.push(out);
  const model = sequential(blocks);
  model.ensureBuilt([null, 2]);
  return { model, blocks, kernels: kernelOwners.map((k) => k.kernel), task };
}

/** The learning-rate schedule of a config; `warmupCosine` spends a tenth of `scheduleSteps` warming up. */
export function buildSchedule(config: PlaygroundConfig): Schedule {
  const { lr, scheduleSteps: n } = config;
  switch (config.schedule) {
    case 'constant':
      return constant({ lr });
    case 'stepDecay':
      return stepDecay({ lr, stepSize: Math.max(1, Math.round(n / 4)), gamma: 0.5 });
    case 'multiStep':
      return multiStep({ lr, milestones: [Math.round(n / 2), Math.round((3 * n) / 4)], gamma: 0.1 });
    case 'exponentialDecay':
      return exponentialDecay({ lr, gamma: Math.pow(0.01, 1 / n) });
    case 'inverseTimeDecay':
      return inverseTimeDecay({ lr, beta: 10 / n });
    case 'naturalExpDecay':
      return naturalExpDecay({ lr, beta: 3 / n });
    case 'polynomialDecay':
      return polynomialDecay({ lr, totalSteps: n, power: 2, endLr: lr / 100 });
    case 'inverseSqrtDecay':
      return inverseSqrtDecay({ lr });
    case 'cosineDecay':
      return cosineDecay({ lr, tMax: n, etaMin: 0 });
    case 'warmupCosine': {
      const warm = Math.max(1, Math.round(n / 10));
      return withWarmup(cosineDecay({ lr, tMax: n - warm, etaMin: 0 }), { steps: warm });
    }
    case 'warmRestarts':
      return warmRestarts({ lr, t0: Math.max(1, Math.round(n / 7)), tMult: 2, etaMin: 0 });
    case 'cyclic':
      return cyclic({ baseLr: lr / 10, maxLr: lr, stepSizeUp: Math.max(1, Math.round(n / 8)), cycleMomentum: false });
    case 'oneCycle':
      return oneCycle({ maxLr: lr, totalSteps: n, cycleMomentum: false });
    case 'reduceOnPlateau':
      // Stateful: the trainer feeds it the test loss at each epoch's end (`update`), and lrAt is the current lr.
      return reduceOnPlateau({ lr, factor: 0.5, patience: 3 });
  }
}

/** The optimizer of a config, bound to the model's parameters by `compile`; `lr` follows the schedule. */
export function buildOptimizer(config: PlaygroundConfig, schedule: Schedule): Optimizer {
  const clip = config.clipNorm > 0 ? { clipNorm: config.clipNorm } : {};
  const lr = schedule;
  switch (config.optimizer) {
    case 'sgd':
      return new SGD({ lr, ...clip });
    case 'momentum':
      return new SGD({ lr, momentum: 0.9, ...clip });
    case 'nesterov':
      return new SGD({ lr, momentum: 0.9, nesterov: true, ...clip });
    case 'adagrad':
      return new Adagrad({ lr, ...clip });
    case 'rmsprop':
      return new RMSprop({ lr, ...clip });
    case 'adadelta':
      return new Adadelta({ lr, ...clip });
    case 'adam':
      return new Adam({ lr, ...clip });
    case 'nadam':
      return new NAdam({ lr, ...clip });
    case 'adamw':
      return new AdamW({ lr, ...clip });
  }
}
