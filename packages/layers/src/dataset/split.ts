import { ErrorCode, NNError } from '@nn/core';
import { gather, Generator, Tensor } from '@nn/tensor';

export interface TrainTestSplitOptions {
  /** The test share in (0, 1), or a number of test rows (an integer >= 1). Default 0.25, as scikit-learn. */
  testSize?: number;
  /** Seed of the shuffle (default 0): the same seed gives the same split. */
  seed?: number;
  /** Shuffle before splitting (default true); false takes the last rows as the test set. */
  shuffle?: boolean;
  /** Keep each class's share in both parts (labels: class indices, or one-hot rows). Default false. */
  stratify?: boolean;
}

export interface TrainTestSplit<X, Y> {
  xTrain: X;
  xTest: X;
  yTrain: Y;
  yTest: Y;
}

type Rows = Tensor | readonly unknown[];
const fail = (message: string) => new NNError(ErrorCode.InvalidArgument, `trainTestSplit: ${message}`);
const rowCount = (v: Rows) => (v instanceof Tensor ? v.shape[0] ?? 0 : v.length);
const take = <T extends Rows>(v: T, idx: number[]): T =>
  (v instanceof Tensor ? gather(v, idx, 0) : idx.map((i) => (v as readonly unknown[])[i])) as T;

/** Class of each row: the value of a column vector / plain label, or the argmax of a one-hot row. */
function classesOf(y: Rows): number[] {
  if (y instanceof Tensor) {
    const d = y.dataSync();
    const k = y.rank === 1 ? 1 : y.size / (y.shape[0] || 1);
    return Array.from({ length: y.shape[0] ?? 0 }, (_, r) => {
      if (k === 1) return d[r];
      let best = 0;
      for (let j = 1; j < k; j++) if (d[r * k + j] > d[r * k + best]) best = j;
      return best;
    });
  }
  return y.map((v) => (Array.isArray(v) ? (v.length === 1 ? Number(v[0]) : v.indexOf(Math.max(...(v as number[])))) : Number(v)));
}

function shuffled(idx: number[], rng: Generator): number[] {
  const a = [...idx];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/**
 * Splits rows into a training and a test part, as scikit-learn's `train_test_split`: seeded shuffle, `testSize`
 * as a share (rounded up) or a count, and `stratify` to keep the class proportions in both parts (each class
 * gives its share, rounded so the total is kept). `x` and `y` may be tensors (split along axis 0) or arrays;
 * each part comes back in the same form.
 */
export function trainTestSplit<X extends Rows, Y extends Rows>(x: X, y: Y, options: TrainTestSplitOptions = {}): TrainTestSplit<X, Y> {
  const { testSize = 0.25, seed = 0, shuffle = true, stratify = false } = options;
  const n = rowCount(x);
  if (rowCount(y) !== n) throw fail(`x has ${n} rows but y has ${rowCount(y)}`);
  const nTest = testSize > 0 && testSize < 1 ? Math.ceil(testSize * n) : testSize;
  if (!Number.isInteger(nTest) || nTest < 1 || nTest >= n) throw fail(`testSize must be a share in (0, 1) or a row count in [1, ${n - 1}], got ${testSize}`);
  const rng = new Generator(seed);
  const all = Array.from({ length: n }, (_, i) => i);
  let test: number[];
  if (stratify) {
    if (!shuffle) throw fail('stratify needs shuffle');
    const byClass = new Map<number, number[]>();
    classesOf(y).forEach((c, i) => byClass.set(c, [...(byClass.get(c) ?? []), i]));
    const groups = [...byClass.entries()].sort(([a], [b]) => a - b);
    // Largest remainder: floor of each class's share, then one more to the classes with the largest fractions.
    const exact = groups.map(([, rows]) => (rows.length * nTest) / n);
    const counts = exact.map(Math.floor);
    const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    for (let k = 0; k < nTest - counts.reduce((s, c) => s + c, 0); k++) counts[order[k]![1]]! += 1;
    test = groups.flatMap(([, rows], g) => shuffled(rows, rng).slice(0, counts[g]));
    test = shuffled(test, rng);
  } else {
    test = shuffle ? shuffled(all, rng).slice(0, nTest) : all.slice(n - nTest);
  }
  const inTest = new Set(test);
  const train = shuffle ? shuffled(all.filter((i) => !inTest.has(i)), rng) : all.filter((i) => !inTest.has(i));
  return { xTrain: take(x, train), xTest: take(x, test), yTrain: take(y, train), yTest: take(y, test) };
}
