import { dense, sequential, type Dense } from '@nn/layers';
import { SGD } from '@nn/optim';
import { add, matmul, noGrad, rand, setSeed, tensor, type Tensor } from '@nn/tensor';

/** Units of a dense layer whose pre-activation is ≤ 0 for every input: a dead ReLU outputs 0 and gets no gradient. */
export function deadUnits(layer: Dense, x: Tensor): number[] {
  const z = noGrad(() => add(matmul(x, layer.kernel), layer.bias!).toArray() as number[][]);
  const dead: number[] = [];
  for (let j = 0; j < layer.units; j++) if (z.every((row) => row[j] <= 0)) dead.push(j);
  return dead;
}

export interface DyingReluOptions {
  /** 'relu' (default) or 'leakyRelu', for the comparison. */
  activation?: 'relu' | 'leakyRelu';
  /** The learning rate of the first phase (default 3: too high). */
  lr?: number;
  /** Epochs of each phase (default 3). */
  epochs?: number;
  seed?: number;
}

export interface DyingReluResult {
  units: number;
  /** Dead units of the first hidden layer at initialization. */
  deadAtInit: number;
  /** ... after the first phase of training with `lr`. */
  deadAfter: number;
  /** Of those, the units whose incoming weights did not move at all during a second phase at a sane lr (0.01). */
  frozen: number;
  /** Training accuracy after the first phase. */
  accuracy: number;
}

/**
 * The dying ReLU. Inputs are non-negative (uniform on [0, 1]², as pixels are), so a first-layer unit whose
 * weights are both negative (about a quarter of them under Glorot init, bias 0) never fires. A too-large
 * step pushes many more units there; a dead unit's gradient is exactly 0, so no later step revives it. A
 * leaky ReLU keeps a small slope for z < 0, so its "dead" units still learn.
 */
export async function dyingRelu({ activation = 'relu', lr = 3, epochs = 3, seed = 0 }: DyingReluOptions = {}): Promise<DyingReluResult> {
  setSeed(seed);
  const x = rand([512, 2]);
  const rows = x.toArray() as number[][];
  const y = tensor(rows.map((r) => [(r[0] - 0.5) * (r[1] - 0.5) > 0 ? 1 : 0]));
  const first = dense(64, { activation, inputShape: [2] });
  const model = sequential([first, dense(64, { activation }), dense(1, { activation: 'sigmoid' })]);
  model.compile({ optimizer: new SGD({ lr }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const deadAtInit = deadUnits(first, x).length;
  const history = await model.fit(x, y, { epochs, batchSize: 32, verbose: 0 });
  const dead = deadUnits(first, x);
  const before = first.kernel.dataSync().slice();
  model.compile({ optimizer: new SGD({ lr: 0.01 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  await model.fit(x, y, { epochs, batchSize: 32, verbose: 0 });
  const after = first.kernel.dataSync();
  const frozen = dead.filter((j) => before[j] === after[j] && before[64 + j] === after[64 + j]).length;
  return { units: 64, deadAtInit, deadAfter: dead.length, frozen, accuracy: history.history.accuracy.at(-1)! };
}
