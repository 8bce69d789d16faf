import { Adam, SGD } from '@nn/optim';
import { earlyStopping } from '@nn/regularize';
import { cosineDecay } from '@nn/schedule';
import { setSeed } from '@nn/tensor';
import { classificationReport, dense, sequential, standardScaler, type History } from '@nn/layers';
import { courseSplit, loadBreastCancer } from './data.js';

export interface RunOptions {
  /** Seeds the initial weights and the shuffles (the split is the course's, fixed). */
  seed?: number;
  verbose?: 0 | 1 | 2;
}

export interface RunResult {
  history: History;
  testLoss: number;
  testAccuracy: number;
  seconds: number;
}

const DEFAULT_SEED = 0;

/**
 * The course's Keras example, line for line: its train_test_split(random_state=0), raw features, Dense 64
 * relu, Dense 64 relu, Dense 1 sigmoid, SGD(lr 0.001), binary cross-entropy, batch 32, 10 epochs, then
 * evaluate with verbose=2. Unstable by nature (unscaled inputs): left as is.
 */
export async function courseExample({ seed = DEFAULT_SEED, verbose = 1 }: RunOptions = {}): Promise<RunResult> {
  const start = performance.now();
  const data = loadBreastCancer();
  const { xTrain, xTest, yTrain, yTest } = courseSplit(data.x, data.y);
  setSeed(seed);

  const model = sequential();
  model.add(dense(64, { activation: 'relu', inputShape: [30] }));
  model.add(dense(64, { activation: 'relu' }));
  model.add(dense(1, { activation: 'sigmoid' }));
  model.compile({ optimizer: new SGD({ lr: 0.001 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
  const history = await model.fit(xTrain, yTrain, { batchSize: 32, epochs: 10, verbose });

  // The course's model.evaluate(X_test, y_test, verbose=2): Keras 2.x's one line, `5/5 - 0s - loss: … - accuracy: …`.
  const [testLoss, testAccuracy] = model.evaluate(xTest, yTest, { verbose: verbose ? 2 : 0 });
  return { history, testLoss, testAccuracy, seconds: (performance.now() - start) / 1000 };
}

/**
 * The same net done well: standardized features (training-set statistics), Adam at 1e-3 decayed along a
 * cosine, and early stopping on a held-out 15% of the training set (restoring the best weights), up to 30
 * epochs. Same split, same network, same batch size.
 */
export async function stableExample({ seed = DEFAULT_SEED, verbose = 1 }: RunOptions = {}): Promise<RunResult> {
  const start = performance.now();
  const data = loadBreastCancer();
  const split = courseSplit(data.x, data.y);
  const scaler = standardScaler().fit(split.xTrain);
  const [xTrain, xTest] = [scaler.transform(split.xTrain), scaler.transform(split.xTest)];
  setSeed(seed);

  const maxEpochs = 30;
  const batchSize = 32;
  const validationSplit = 0.15;
  const steps = maxEpochs * Math.ceil((xTrain.shape[0]! * (1 - validationSplit)) / batchSize);
  const model = sequential([
    dense(64, { activation: 'relu', inputShape: [30] }),
    dense(64, { activation: 'relu' }),
    dense(1, { activation: 'sigmoid' }),
  ]);
  model.compile({ optimizer: new Adam({ lr: cosineDecay({ lr: 1e-3, tMax: steps, etaMin: 1e-4 }) }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
  const history = await model.fit(xTrain, split.yTrain, {
    batchSize,
    epochs: maxEpochs,
    validationSplit,
    callbacks: [earlyStopping({ monitor: 'val_loss', patience: 5, restoreBestWeights: true })],
    verbose,
  });

  const [testLoss, testAccuracy] = model.evaluate(xTest, split.yTest, { verbose: verbose ? 2 : 0 });
  if (verbose) console.log(`\n${classificationReport(split.yTest, model.predict(xTest), { classNames: data.classNames })}`);
  return { history, testLoss, testAccuracy, seconds: (performance.now() - start) / 1000 };
}
