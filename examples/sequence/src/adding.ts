import { Generator, tensor, type Tensor } from '@nn/tensor';

/**
 * The adding problem (Hochreiter & Schmidhuber 1997; Le et al. 2015): each step carries a random value in
 * [0, 1) and a marker; exactly two steps are marked, one in each half of the sequence, and the target is the
 * sum of their two values. The first marked value must be held over about `length / 2` steps — the long
 * dependency whose gradient vanishes through a plain RNN's repeated tanh.
 */
export function addingProblem(n: number, length: number, seed: number): { x: Tensor; y: Tensor; marked: [number, number][] } {
  if (!Number.isInteger(length) || length < 2) throw new Error(`addingProblem: length must be an integer >= 2, got ${length}`);
  const g = new Generator(seed);
  const x = new Float32Array(n * length * 2);
  const y = new Float32Array(n);
  const marked: [number, number][] = [];
  const half = Math.floor(length / 2);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < length; t++) x[(i * length + t) * 2] = g.uniform();
    const a = g.int(half);
    const b = half + g.int(length - half);
    x[(i * length + a) * 2 + 1] = 1;
    x[(i * length + b) * 2 + 1] = 1;
    y[i] = x[(i * length + a) * 2] + x[(i * length + b) * 2];
    marked.push([a, b]);
  }
  return { x: tensor(x, [n, length, 2]), y: tensor(y, [n, 1]), marked };
}

/** The mean squared error of always answering 1 (the mean target): what a model that learned nothing gets, about 1/6. */
export const BASELINE_MSE = 1 / 6;
