// The breast-cancer MLP search's space and evaluate, in a module of their own: with --workers N the search
// runs candidates in worker processes, which import this file (a function cannot be sent to another process).
import { binaryCrossentropy, type Model } from '@nn/layers';
import { mlpSpace, type EvaluationContext, type SpaceModel } from '@nn/nas';
import { Adam } from '@nn/optim';
import { breastCancer } from './data.js';

export const EPOCHS = 12;

/** Trains a binary classifier; calls `onEpoch` after each epoch (the pruner's fidelity). */
export async function trainBinary(model: Model, data: { xTrain: number[][]; yTrain: number[] }, epochs: number, onEpoch?: (epoch: number) => void): Promise<Model> {
  model.compile({ optimizer: new Adam({ lr: 1e-3 }), loss: binaryCrossentropy(), metrics: ['accuracy'] });
  for (let epoch = 1; epoch <= epochs; epoch++) {
    await model.fit(data.xTrain, data.yTrain.map((v) => [v]), { epochs: 1, batchSize: 32, verbose: 0 });
    onEpoch?.(epoch);
  }
  return model;
}
export const accuracy = (model: Model, x: number[][], y: number[]) => model.evaluate(x, y.map((v) => [v]))[1];

/** The space; a worker builds each candidate's model with it. */
export const space = mlpSpace({ inputShape: [30], outputUnits: 1, outputActivation: 'sigmoid', layerCounts: [1, 2, 3], units: [8, 16, 32, 64], activations: ['relu', 'tanh'], normalizations: ['none', 'layer'], dropouts: [0, 0.2] });

const bc = breastCancer();

/** Trains a candidate up to EPOCHS epochs, reporting validation accuracy after each; the reward is the last. */
export async function evaluate({ model, report }: EvaluationContext<SpaceModel>): Promise<number> {
  let acc = 0;
  await trainBinary(model, bc, EPOCHS, (epoch) => {
    acc = accuracy(model, bc.xVal, bc.yVal);
    report(acc, epoch);
  });
  return acc;
}
