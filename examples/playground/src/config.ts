import { DATASETS, type DataOptions } from './data.js';

export const ACTIVATIONS = ['sign', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'prelu', 'elu', 'softplus', 'swish', 'maxout', 'linear'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];
export const INITIALIZERS = ['glorotUniform', 'glorotNormal', 'heNormal', 'heUniform', 'lecunNormal', 'randomNormal', 'zeros'] as const;
export const OPTIMIZERS = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adadelta', 'adam', 'nadam', 'adamw'] as const;
export const SCHEDULES = ['constant', 'stepDecay', 'multiStep', 'exponentialDecay', 'inverseTimeDecay', 'naturalExpDecay', 'polynomialDecay', 'inverseSqrtDecay', 'cosineDecay', 'warmupCosine', 'warmRestarts', 'cyclic', 'oneCycle', 'reduceOnPlateau'] as const;
export const NORMS = ['none', 'batchNorm', 'layerNorm'] as const;
export const BACKENDS = ['cpu', 'wasm', 'gpujs'] as const;

/** One hidden layer: dense (or maxout) units, optional normalization before the activation, dropout after it. */
export interface LayerConfig {
  units: number;
  activation: ActivationName;
  norm: (typeof NORMS)[number];
  /** Wrap the layer as z = a + f(a) (needs as many units as its input). */
  residual: boolean;
  /** Dropout rate after the activation (0: none). */
  dropout: number;
}

export interface PlaygroundConfig {
  data: DataOptions;
  layers: LayerConfig[];
  initializer: (typeof INITIALIZERS)[number];
  /** Swish: learn beta; maxout: pieces per unit. */
  swishLearnable: boolean;
  maxoutPieces: number;
  optimizer: (typeof OPTIMIZERS)[number];
  lr: number;
  batchSize: number;
  schedule: (typeof SCHEDULES)[number];
  /** Steps the schedule spans (decay length, cycle length, warm-up is a tenth of it); reduceOnPlateau halves the lr after 3 epochs without a better test loss instead. */
  scheduleSteps: number;
  /** Gradient clipping by global norm (0: off). */
  clipNorm: number;
  l1: number;
  l2: number;
  /** Early stopping patience in epochs on the test loss (0: off). */
  patience: number;
  backend: (typeof BACKENDS)[number];
  /** Seed of the weights, the batch order and dropout masks (the data has its own in `data.seed`). */
  seed: number;
}

export const DEFAULT_CONFIG: PlaygroundConfig = {
  data: { dataset: 'circles', points: 400, noise: 0.1, trainRatio: 0.5, seed: 1, projection: 'pca', featureX: 0, featureY: 1 },
  layers: [
    { units: 6, activation: 'tanh', norm: 'none', residual: false, dropout: 0 },
    { units: 4, activation: 'tanh', norm: 'none', residual: false, dropout: 0 },
  ],
  initializer: 'glorotUniform',
  swishLearnable: true,
  maxoutPieces: 2,
  optimizer: 'adam',
  lr: 0.03,
  batchSize: 16,
  schedule: 'constant',
  scheduleSteps: 1000,
  clipNorm: 0,
  l1: 0,
  l2: 0,
  patience: 0,
  backend: 'cpu',
  seed: 1,
};

export const MAX_LAYERS = 8;
export const MAX_UNITS = 16;

const oneOf = <T extends string>(list: readonly T[], v: unknown, fallback: T): T => (list.includes(v as T) ? (v as T) : fallback);
const num = (v: unknown, lo: number, hi: number, fallback: number, int = false): number => {
  const n = typeof v === 'number' ? v : Number.NaN;
  if (!Number.isFinite(n)) return fallback;
  const c = Math.min(hi, Math.max(lo, n));
  return int ? Math.round(c) : c;
};

/**
 * A complete, valid config from anything (a URL's JSON, a preset): unknown keys dropped, each value kept
 * when valid, else the default. A shared link from an older or edited URL still opens.
 */
export function normalizeConfig(input: unknown): PlaygroundConfig {
  const o = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const d = DEFAULT_CONFIG;
  const di = (o.data && typeof o.data === 'object' ? o.data : {}) as Record<string, unknown>;
  const layersIn = Array.isArray(o.layers) ? o.layers.slice(0, MAX_LAYERS) : d.layers;
  return {
    data: {
      dataset: oneOf(DATASETS, di.dataset, d.data.dataset),
      points: num(di.points, 20, 2000, d.data.points, true),
      noise: num(di.noise, 0, 1, d.data.noise),
      trainRatio: num(di.trainRatio, 0.05, 0.95, d.data.trainRatio),
      seed: num(di.seed, 0, 2 ** 31, d.data.seed, true),
      projection: di.projection === 'features' ? 'features' : 'pca',
      featureX: num(di.featureX, 0, 29, d.data.featureX, true),
      featureY: num(di.featureY, 0, 29, d.data.featureY, true),
    },
    layers: layersIn.map((l: unknown) => {
      const li = (l && typeof l === 'object' ? l : {}) as Record<string, unknown>;
      return {
        units: num(li.units, 1, MAX_UNITS, 4, true),
        activation: oneOf(ACTIVATIONS, li.activation, 'tanh'),
        norm: oneOf(NORMS, li.norm, 'none'),
        residual: li.residual === true,
        dropout: num(li.dropout, 0, 0.9, 0),
      };
    }),
    initializer: oneOf(INITIALIZERS, o.initializer, d.initializer),
    swishLearnable: typeof o.swishLearnable === 'boolean' ? o.swishLearnable : d.swishLearnable,
    maxoutPieces: num(o.maxoutPieces, 2, 5, d.maxoutPieces, true),
    optimizer: oneOf(OPTIMIZERS, o.optimizer, d.optimizer),
    lr: num(o.lr, 1e-5, 100, d.lr),
    batchSize: num(o.batchSize, 1, 512, d.batchSize, true),
    schedule: oneOf(SCHEDULES, o.schedule, d.schedule),
    scheduleSteps: num(o.scheduleSteps, 10, 100_000, d.scheduleSteps, true),
    clipNorm: num(o.clipNorm, 0, 1000, d.clipNorm),
    l1: num(o.l1, 0, 1, d.l1),
    l2: num(o.l2, 0, 1, d.l2),
    patience: num(o.patience, 0, 1000, d.patience, true),
    backend: oneOf(BACKENDS, o.backend, d.backend),
    seed: num(o.seed, 0, 2 ** 31, d.seed, true),
  };
}

/** The config as a URL hash (`#c=` + JSON): the whole state, shareable by link. */
export function configToHash(config: PlaygroundConfig): string {
  return `#c=${encodeURIComponent(JSON.stringify(config))}`;
}

/** The config a hash holds, or the defaults when it holds none or an unreadable one. */
export function configFromHash(hash: string): PlaygroundConfig {
  const m = /^#?c=(.*)$/.exec(hash);
  if (!m) return normalizeConfig({});
  try {
    return normalizeConfig(JSON.parse(decodeURIComponent(m[1])));
  } catch {
    return normalizeConfig({});
  }
}
