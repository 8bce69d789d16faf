import { readFileSync } from 'node:fs';
import { Generator } from '@nn/tensor';

// A trimmed copy of examples/breast-cancer/src/data.ts, so this example stands alone.

/** The shipped CSV: a header `569,30,malignant,benign`, then 30 features and the 0/1 target per row. */
export function loadBreastCancer(path = new URL('../data/breast_cancer.csv', import.meta.url)): { x: number[][]; y: number[] } {
  const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const [rows, cols] = lines[0].split(',').map(Number);
  const x: number[][] = [];
  const y: number[] = [];
  for (const line of lines.slice(1)) {
    const v = line.split(',').map(Number);
    x.push(v.slice(0, -1));
    y.push(v[v.length - 1]);
  }
  if (x.length !== rows || x[0].length !== cols) throw new Error(`breast_cancer.csv: header says ${rows}x${cols}, read ${x.length}x${x[0].length}`);
  return { x, y };
}

/** scikit-learn's train_test_split: a seeded shuffle, then ceil(testSize·n) samples for the test set. */
export function trainTestSplit<X, Y>(x: X[], y: Y[], { testSize = 0.25, seed = 0 } = {}) {
  const order = new Generator(seed).permutation(x.length);
  const nTest = Math.ceil(testSize * x.length);
  const pick = <T>(a: T[], idx: Int32Array) => Array.from(idx, (i) => a[i]);
  const test = order.subarray(0, nTest);
  const train = order.subarray(nTest);
  return { xTrain: pick(x, train), xTest: pick(x, test), yTrain: pick(y, train), yTest: pick(y, test) };
}
