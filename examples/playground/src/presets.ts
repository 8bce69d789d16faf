import { DEFAULT_CONFIG, normalizeConfig, type LayerConfig, type PlaygroundConfig } from './config.js';

const hidden = (n: number, units: number, activation: LayerConfig['activation'], extra: Partial<LayerConfig> = {}): LayerConfig[] =>
  Array.from({ length: n }, () => ({ units, activation, norm: 'none', residual: false, dropout: 0, ...extra }));

const base = DEFAULT_CONFIG;

export interface Preset {
  name: string;
  title: string;
  /** What to look at, one sentence. */
  lesson: string;
  config: PlaygroundConfig;
}

/** The course's demonstrations, each a config (and so a link). */
export const PRESETS: Preset[] = [
  {
    name: 'xor',
    title: 'XOR needs a hidden layer',
    lesson: 'With no hidden layer the boundary is a line and XOR stays at chance; add a hidden layer (+ layer) and it is solved.',
    config: normalizeConfig({ ...base, data: { ...base.data, dataset: 'xor', noise: 0.05 }, layers: hidden(1, 4, 'tanh'), optimizer: 'adam', lr: 0.05 }),
  },
  {
    name: 'vanishing',
    title: 'Vanishing gradients',
    lesson: 'Eight sigmoid layers from small random-normal weights: the first layer\'s gradient norm is about 1e-13 of the last one\'s. Cures: ReLU with He init, batch norm, residual connections, Xavier (Glorot) init.',
    config: normalizeConfig({ ...base, data: { ...base.data, dataset: 'circles' }, layers: hidden(8, 8, 'sigmoid'), initializer: 'randomNormal', optimizer: 'sgd', lr: 0.1 }),
  },
  {
    name: 'dyingRelu',
    title: 'Dying ReLU',
    lesson: 'A too-large step (SGD, lr 3) pushes ReLU units where they never fire again: their pictures go flat and stay flat. Leaky ReLU or PReLU keep a slope, so none die.',
    config: normalizeConfig({ ...base, data: { ...base.data, dataset: 'circles' }, layers: hidden(2, 8, 'relu'), optimizer: 'sgd', lr: 3 }),
  },
  {
    name: 'lrTooHigh',
    title: 'Learning rate too high',
    lesson: 'lr 5 with plain SGD: the loss jumps about and climbs instead of falling. Divide it by 10 and it converges.',
    config: normalizeConfig({ ...base, data: { ...base.data, dataset: 'circles' }, layers: [...hidden(1, 6, 'tanh'), ...hidden(1, 4, 'tanh')], optimizer: 'sgd', lr: 5 }),
  },
  {
    name: 'cosineWarmup',
    title: 'Cosine with warm-up',
    lesson: 'The lr climbs linearly for the first tenth of the steps, then follows a half cosine down: watch the marker on the curve.',
    config: normalizeConfig({ ...base, data: { ...base.data, dataset: 'spirals', noise: 0.05, points: 400, trainRatio: 0.7 }, layers: hidden(3, 12, 'relu'), initializer: 'heNormal', optimizer: 'adam', lr: 0.02, schedule: 'warmupCosine', scheduleSteps: 1500 }),
  },
  {
    name: 'dropout',
    title: 'Dropout against overfitting',
    lesson: 'Thirty noisy training points and a wide net: without dropout the train loss goes to 0 and the test loss turns back up (set dropout to 0 to see it); with dropout 0.5 it stays far lower.',
    config: normalizeConfig({ ...base, data: { ...base.data, dataset: 'gaussians', points: 60, noise: 1, trainRatio: 0.5 }, layers: hidden(2, 16, 'relu', { dropout: 0.5 }), initializer: 'heNormal', optimizer: 'adam', lr: 0.01, batchSize: 8 }),
  },
];

export function getPreset(name: string): Preset | undefined {
  return PRESETS.find((p) => p.name === name);
}
