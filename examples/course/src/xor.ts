import { dense, sequential } from '@nn/layers';
import { Adam } from '@nn/optim';
import { setSeed } from '@nn/tensor';

/** The four XOR points and their labels: 1 exactly when one input is 1. */
export const XOR_X = [[0, 0], [0, 1], [1, 0], [1, 1]];
export const XOR_Y = [0, 1, 1, 0];

/** Accuracy on XOR of the linear classifier `w·x + b > 0`. */
export function linearAccuracy(w1: number, w2: number, b: number): number {
  return XOR_X.filter((x, i) => (w1 * x[0] + w2 * x[1] + b > 0 ? 1 : 0) === XOR_Y[i]).length / 4;
}

/**
 * The best accuracy any linear classifier reaches on a grid of (w1, w2, b) in [−range, range]³. The course's
 * argument says it is 3/4 for every choice: (0,1) and (1,0) positive need w2 + b > 0 and w1 + b > 0, whose sum
 * w1 + w2 + 2b > 0; (0,0) and (1,1) negative need b ≤ 0 and w1 + w2 + b ≤ 0, whose sum w1 + w2 + 2b ≤ 0.
 */
export function bestLinearAccuracy(range = 2, step = 0.1): number {
  let best = 0;
  const n = Math.round((2 * range) / step);
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= n; j++) {
      for (let k = 0; k <= n; k++) best = Math.max(best, linearAccuracy(-range + i * step, -range + j * step, -range + k * step));
    }
  }
  return best;
}

export interface XorRun {
  loss: number;
  accuracy: number;
  /** The net's outputs on the four points. */
  outputs: number[];
}

async function train(hiddenUnits: number, epochs: number, seed: number): Promise<XorRun> {
  setSeed(seed);
  const layers = hiddenUnits ? [dense(hiddenUnits, { activation: 'tanh', inputShape: [2] }), dense(1, { activation: 'sigmoid' })] : [dense(1, { activation: 'sigmoid', inputShape: [2] })];
  const model = sequential(layers);
  model.compile({ optimizer: new Adam({ lr: 0.1 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  await model.fit(XOR_X, XOR_Y, { epochs, batchSize: 4, verbose: 0 });
  const [loss, accuracy] = model.evaluate(XOR_X, XOR_Y);
  return { loss, accuracy, outputs: Array.from(model.predict(XOR_X).dataSync()) };
}

/**
 * Logistic regression on XOR, trained to convergence: by symmetry its best is w = 0, b = 0 — every output
 * 1/2 and a cross-entropy of ln 2 — so training can only approach a coin toss.
 */
export function trainLinear(epochs = 500, seed = 0): Promise<XorRun> {
  return train(0, epochs, seed);
}

/** One hidden layer of tanh units is enough: it maps the points to a space where they are separable. */
export function trainHidden(units = 4, epochs = 300, seed = 0): Promise<XorRun> {
  return train(units, epochs, seed);
}

/**
 * The course's hand-built solution (Goodfellow et al., ch. 6.1): h = relu(x·[[1, 1], [1, 1]] + [0, −1]),
 * y = h·[1, −2]. The hidden layer sends (0,1) and (1,0) to the same point (1, 0), (0,0) to (0, 0) and (1,1)
 * to (2, 1), where a line separates them. Returns the outputs, computed by the layers package.
 */
export function handBuiltXor(): number[] {
  const model = sequential([dense(2, { activation: 'relu', inputShape: [2] }), dense(1)]);
  model.setWeights([[[1, 1], [1, 1]], [0, -1], [[1], [-2]], [0]]);
  return Array.from(model.predict(XOR_X).dataSync());
}
