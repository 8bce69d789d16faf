import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GPSampler, SQLiteStorage, SuccessiveHalvingPruner, createStudy, plotOptimizationHistory, plotParamImportances, pruningCallback, type FrozenTrial, type ParamValue, type Study, type Trial } from '@nn/hpo';
import { dense, sequential, standardScaler, type Layer } from '@nn/layers';
import { Adam } from '@nn/optim';
import { dropout } from '@nn/regularize';
import { setSeed } from '@nn/tensor';
import { loadBreastCancer, trainTestSplit } from './data.js';

export interface TuneOptions {
  /** The SQLite file holding the study; an existing study of the same name is resumed. */
  dbPath: string;
  /** Where the SVG plots go. Default: the database's folder. */
  outDir?: string;
  studyName?: string;
  /** Trials the study should hold in all: a resumed study runs only the ones it is missing. Default 40. */
  nTrials?: number;
  /** Epochs of a trial that is not pruned (and of the final retraining). Default 18. */
  maxEpochs?: number;
  /** Seeds the split, the sampler and every trial's weights and shuffles. Default 0. */
  seed?: number;
  /** Finished trials (complete or pruned) sampled quasi-randomly before the GP takes over. Default 10. */
  nStartupTrials?: number;
  /** The pruner's first rung, in epochs. Default 2. */
  minResource?: number;
  /** The pruner's η: the top 1/η of a rung continues. Default 3 (rungs after epochs 2 and 6 of 18). */
  reductionFactor?: number;
  /** Called after every trial (main prints a line). */
  onTrial?: (trial: FrozenTrial, study: Study) => void;
}

export interface TuneResult {
  /** Every trial of the study, as stored (the storage is closed on return). */
  trials: FrozenTrial[];
  best: FrozenTrial;
  /** Test accuracy of the best parameters, retrained on the whole training set. */
  testAccuracy: number;
  testLoss: number;
  /** Trials this call ran (0 when the stored study already had nTrials). */
  ran: number;
  historySvg: string;
  importanceSvg: string;
}

const ACTIVATIONS = ['relu', 'tanh', 'elu'] as const;
const BATCH_SIZE = 32;
const VALIDATION_SPLIT = 0.2;

/** The search space, define-by-run: every trial asks for the same five parameters. */
function suggest(trial: Trial) {
  return {
    lr: trial.suggestFloat('lr', 1e-4, 1e-1, { log: true }),
    units: trial.suggestInt('units', 8, 128, { log: true }),
    depth: trial.suggestInt('depth', 1, 3),
    activation: trial.suggestCategorical('activation', [...ACTIVATIONS]) as string,
    dropout: trial.suggestFloat('dropout', 0, 0.5),
  };
}

type Params = ReturnType<typeof suggest>;

/** `depth` hidden layers of `units`, each followed by dropout, then one sigmoid unit. */
export function buildModel(p: Params) {
  const layers: Layer[] = [];
  for (let i = 0; i < p.depth; i++) {
    layers.push(dense(p.units, { activation: p.activation, ...(i === 0 ? { inputShape: [30] } : {}) }));
    if (p.dropout > 0) layers.push(dropout(p.dropout));
  }
  layers.push(dense(1, { activation: 'sigmoid' }));
  const model = sequential(layers);
  model.compile({ optimizer: new Adam({ lr: p.lr }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
  return model;
}

function asParams(params: Record<string, ParamValue>): Params {
  return params as unknown as Params;
}

/**
 * Tunes the breast-cancer MLP: GP search over the learning rate (log scale), width, depth, activation and
 * dropout, successive-halving pruning on `val_loss` through `fit`, the study in SQLite. The objective is the
 * last epoch's `val_loss` on the last 20% of the training set (the test set is never looked at while tuning);
 * the best parameters are then retrained on the whole training set and scored on the test set.
 */
export async function tune(options: TuneOptions): Promise<TuneResult> {
  const { dbPath, studyName = 'breast-cancer-mlp', nTrials = 40, maxEpochs = 18, seed = 0, nStartupTrials = 10, minResource = 2, reductionFactor = 3 } = options;
  const outDir = options.outDir ?? dirname(dbPath);
  const data = loadBreastCancer();
  const split = trainTestSplit(data.x, data.y, { testSize: 0.25, seed });
  const scaler = standardScaler().fit(split.xTrain);
  const [xTrain, xTest] = [scaler.transform(split.xTrain), scaler.transform(split.xTest)];

  mkdirSync(dirname(dbPath), { recursive: true });
  const storage = new SQLiteStorage({ path: dbPath });
  try {
    const study = createStudy({
      studyName,
      storage,
      loadIfExists: true,
      direction: 'minimize',
      sampler: new GPSampler({ seed, nStartupTrials }),
      pruner: new SuccessiveHalvingPruner({ minResource, reductionFactor }),
    });

    // Count every trial that ended, so that re-running after an interruption only finishes the job.
    const done = study.trials.filter((t) => t.state !== 'running').length;
    const ran = Math.max(0, nTrials - done);
    const objective = async (trial: Trial) => {
      const p = suggest(trial);
      setSeed(seed * 1000 + trial.number); // each trial's weights, dropout and shuffles are its own
      const history = await buildModel(p).fit(xTrain, split.yTrain, {
        epochs: maxEpochs,
        batchSize: BATCH_SIZE,
        validationSplit: VALIDATION_SPLIT,
        verbose: 0,
        callbacks: [pruningCallback(trial, { monitor: 'val_loss' })],
      });
      return history.history.val_loss.at(-1)!;
    };
    if (ran > 0) await study.optimize(objective, { nTrials: ran, callbacks: options.onTrial ? [(s, t) => options.onTrial!(t, s)] : [] });

    const best = study.bestTrial;
    setSeed(seed);
    const model = buildModel(asParams(best.params));
    await model.fit(xTrain, split.yTrain, { epochs: maxEpochs, batchSize: BATCH_SIZE, verbose: 0 });
    const [testLoss, testAccuracy] = model.evaluate(xTest, split.yTest);

    mkdirSync(outDir, { recursive: true });
    const historySvg = join(outDir, `${studyName}-history.svg`);
    const importanceSvg = join(outDir, `${studyName}-importance.svg`);
    writeFileSync(historySvg, plotOptimizationHistory(study, { title: 'Tuning the breast-cancer MLP (complete trials)', targetName: 'val_loss' }));
    writeFileSync(importanceSvg, plotParamImportances(study, { title: 'Hyperparameter importance (val_loss)' }));
    return { trials: study.trials, best, testAccuracy, testLoss, ran, historySvg, importanceSvg };
  } finally {
    storage.close();
  }
}
