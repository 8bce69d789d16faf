import { readFileSync } from 'node:fs';
import { ErrorCode, NNError } from '@nn/core';

export interface Dataset {
  x: number[][];
  y: number[];
  classNames: string[];
}

/** The shipped CSV: a header `569,30,malignant,benign`, then 30 features and the 0/1 target per row. */
export function loadBreastCancer(path = new URL('../data/breast_cancer.csv', import.meta.url)): Dataset {
  const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const [rows, cols, ...classNames] = lines[0].split(',');
  const x: number[][] = [];
  const y: number[] = [];
  for (const line of lines.slice(1)) {
    const v = line.split(',').map(Number);
    x.push(v.slice(0, -1));
    y.push(v[v.length - 1]);
  }
  if (x.length !== Number(rows) || x[0].length !== Number(cols)) throw new Error(`breast_cancer.csv: header says ${rows}x${cols}, read ${x.length}x${x[0].length}`);
  return { x, y, classNames };
}

export interface Split<X, Y> {
  xTrain: X[];
  xTest: X[];
  yTrain: Y[];
  yTest: Y[];
}

/**
 * The course's split, exactly: scikit-learn's `train_test_split(X, y, test_size=0.25, random_state=0)` on
 * load_breast_cancer's rows, as the row indices shipped in data/course-split.json (produced once with
 * scikit-learn; see data/README.md), in the order scikit-learn returns them. 426 training and 143 test rows.
 */
export function courseSplit<X, Y>(x: X[], y: Y[], path = new URL('../data/course-split.json', import.meta.url)): Split<X, Y> {
  const file = String(path);
  const { train, test } = JSON.parse(readFileSync(path, 'utf8')) as { train: unknown; test: unknown };
  const seen = new Set<number>();
  const check = (name: string, idx: unknown): number[] => {
    if (!Array.isArray(idx)) throw new NNError(ErrorCode.InvalidArgument, `${file}: "${name}" must be an array of row indices`);
    for (const i of idx) {
      if (!Number.isInteger(i) || i < 0 || i >= x.length) throw new NNError(ErrorCode.InvalidArgument, `${file}: "${name}" holds ${String(i)}, not a row index in [0, ${x.length})`);
      if (seen.has(i)) throw new NNError(ErrorCode.InvalidArgument, `${file}: row ${i} appears twice`);
      seen.add(i);
    }
    return idx as number[];
  };
  const [tr, te] = [check('train', train), check('test', test)];
  if (seen.size !== x.length || y.length !== x.length) throw new NNError(ErrorCode.InvalidArgument, `${file}: the split covers ${seen.size} rows; the data has ${x.length} (and ${y.length} labels)`);
  const pick = <T>(a: T[], idx: number[]) => idx.map((i) => a[i]);
  return { xTrain: pick(x, tr), xTest: pick(x, te), yTrain: pick(y, tr), yTest: pick(y, te) };
}
