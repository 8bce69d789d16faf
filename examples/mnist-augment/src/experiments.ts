import { compose, mixup, randomRotation, randomTranslation, type Augmentation } from '@nn/data-augment';
import { conv2d, dense, flatten, maxPool2d, reshape, sequential, type AugmenterLike, type History, type Sequential } from '@nn/layers';
import { Adam } from '@nn/optim';
import { setSeed } from '@nn/tensor';
import { CLASSES, PIXELS, SIDE, loadDigits, split } from './data.js';

/** The training variants compared. */
export const VARIANTS = ['none', 'rotate+shift', 'mixup', 'rotate+shift+mixup'] as const;
export type Variant = (typeof VARIANTS)[number];

/** The models compared: the MLP baseline and a small CNN. */
export const MODELS = ['mlp', 'cnn'] as const;
export type ModelKind = (typeof MODELS)[number];

/** The flat rows fit hands over are 28x28 grey images. */
const IMAGE_SHAPE = [SIDE, SIDE, 1];

/**
 * The augmentation pipeline of a variant (undefined for 'none'). Rotation about ±10° and shifts of up to
 * 2 whole pixels keep a digit the digit it was; mixup (alpha 0.2) blends pairs of digits and their labels.
 */
export function makeAugment(variant: Variant, seed: number): Augmentation | undefined {
  const geometric = () => [randomRotation({ degrees: 10 }), randomTranslation({ translate: [2, 2], unit: 'pixel' })];
  switch (variant) {
    case 'none':
      return undefined;
    case 'rotate+shift':
      return compose(geometric(), { seed, imageShape: IMAGE_SHAPE });
    case 'mixup':
      return mixup({ alpha: 0.2, seed, imageShape: IMAGE_SHAPE });
    case 'rotate+shift+mixup':
      return compose([...geometric(), mixup({ alpha: 0.2 })], { seed, imageShape: IMAGE_SHAPE });
  }
}

/**
 * The MLP: Dense(hidden) ReLU, Dense 10 softmax on the flat 784-pixel rows. The CNN reads the same rows as
 * 28x28x1 images: Conv 8 3x3 ReLU, max-pool 2, Conv 16 3x3 ReLU, max-pool 2, Dense 10 softmax (5,258
 * weights against the MLP's 101,770).
 */
export function makeModel(kind: ModelKind, hidden = 128): Sequential {
  if (kind === 'mlp') return sequential([dense(hidden, { activation: 'relu', inputShape: [PIXELS] }), dense(CLASSES, { activation: 'softmax' })]);
  return sequential([
    reshape(IMAGE_SHAPE, { inputShape: [PIXELS] }),
    conv2d(8, { kernelSize: 3, activation: 'relu' }),
    maxPool2d(),
    conv2d(16, { kernelSize: 3, activation: 'relu' }),
    maxPool2d(),
    flatten(),
    dense(CLASSES, { activation: 'softmax' }),
  ]);
}

export interface RunOptions {
  variant: Variant;
  /** The model (default 'mlp'). */
  model?: ModelKind;
  /** Training digits (balanced over the classes). */
  nTrain: number;
  /** Fixed test digits (default 2,000). */
  nTest?: number;
  /** Picks the training digits and seeds the initial weights, the shuffles and the augmentation. */
  seed: number;
  epochs: number;
  /** Hidden units of the MLP's one hidden layer (default 128). */
  hidden?: number;
  batchSize?: number;
  /** Adam's learning rate (default 1e-3). */
  lr?: number;
  verbose?: 0 | 1 | 2;
  /** Sees every training batch before and after augmentation (augmented variants only; the test uses it). */
  spy?: (before: { image: number[]; labels: number[] }, after: { image: number[]; labels: number[] }) => void;
  /** The digits, so a caller running many configurations loads them once. */
  digits?: Float32Array[][];
}

export interface RunResult {
  history: History;
  testLoss: number;
  testAccuracy: number;
  seconds: number;
}

/**
 * Trains a model (Adam 1e-3, categorical cross-entropy on one-hot labels, so mixup's soft labels fit) on
 * `nTrain` digits with one variant and tests it on the fixed test set.
 */
export async function runVariant(options: RunOptions): Promise<RunResult> {
  const { variant, model: kind = 'mlp', nTrain, nTest = 2000, seed, epochs, hidden = 128, batchSize = 32, lr = 1e-3, verbose = 0, spy } = options;
  const start = performance.now();
  const { train, test } = split(options.digits ?? loadDigits(), { nTrain, nTest, seed });
  setSeed(seed);
  const model = makeModel(kind, hidden);
  model.compile({ optimizer: new Adam({ lr }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });

  const pipeline = makeAugment(variant, seed);
  let augment: AugmenterLike | undefined = pipeline;
  if (pipeline && spy) {
    augment = {
      apply: (batch) => {
        const before = { image: Array.from(batch.image.dataSync()), labels: Array.from(batch.labels.dataSync()) };
        const out = pipeline.apply(batch);
        spy(before, { image: Array.from(out.image.dataSync()), labels: Array.from((out.labels ?? batch.labels).dataSync()) });
        return out;
      },
    };
  }
  const history = await model.fit(train.x, train.y, { epochs, batchSize, verbose, augment });
  const [testLoss, testAccuracy] = model.evaluate(test.x, test.y, { batchSize: 500 });
  return { history, testLoss, testAccuracy, seconds: (performance.now() - start) / 1000 };
}

/** One column of the comparison: a model trained with one augmentation variant. */
export interface Setup {
  model: ModelKind;
  variant: Variant;
}

/** `cnn:rotate+shift` → { model: 'cnn', variant: 'rotate+shift' }; the name of a column. */
export function parseSetup(text: string): Setup {
  const [model, variant] = text.split(':');
  if (!(MODELS as readonly string[]).includes(model) || !(VARIANTS as readonly string[]).includes(variant)) {
    throw new Error(`unknown setup "${text}": expected model:variant with model one of ${MODELS.join(', ')} and variant one of ${VARIANTS.join(', ')}`);
  }
  return { model: model as ModelKind, variant: variant as Variant };
}

export const setupName = ({ model, variant }: Setup): string => `${model}:${variant}`;

export interface CompareOptions {
  sizes: number[];
  seeds: number[];
  epochs: number;
  setups: readonly Setup[];
  nTest?: number;
  hidden?: number;
  /** Called after each run (progress). */
  onRun?: (r: Setup & { nTrain: number; seed: number } & RunResult) => void;
}

export interface Cell extends Setup {
  nTrain: number;
  accuracies: number[];
  mean: number;
  seconds: number;
}

/** Every setup on every training size and seed; one cell (mean and per-seed accuracies) per size and setup. */
export async function compare({ sizes, seeds, epochs, setups, nTest, hidden, onRun }: CompareOptions): Promise<Cell[]> {
  const digits = loadDigits();
  const cells: Cell[] = [];
  for (const nTrain of sizes) {
    for (const { model, variant } of setups) {
      const accuracies: number[] = [];
      let seconds = 0;
      for (const seed of seeds) {
        const r = await runVariant({ variant, model, nTrain, nTest, seed, epochs, hidden, digits });
        accuracies.push(r.testAccuracy);
        seconds += r.seconds;
        onRun?.({ model, variant, nTrain, seed, ...r });
      }
      cells.push({ nTrain, model, variant, accuracies, mean: accuracies.reduce((a, b) => a + b, 0) / accuracies.length, seconds });
    }
  }
  return cells;
}
