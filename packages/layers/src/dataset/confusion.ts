import { ErrorCode, NNError } from '@nn/core';
import type { Tensor } from '@nn/tensor';
import { toTensor, type Data } from '../data.js';

/**
 * The class of each row: a one-column tensor of labels or probabilities (probabilities, i.e. non-integers,
 * are thresholded at `threshold`), or the argmax of a `[N, K]` row of one-hot labels, probabilities or logits.
 */
function classes(v: Data, what: string, threshold: number): number[] {
  const t: Tensor = toTensor(v, `confusionMatrix ${what}`);
  const n = t.rank === 0 ? 1 : t.shape[0]!;
  const k = n === 0 ? 1 : t.size / n;
  const d = t.dataSync();
  return Array.from({ length: n }, (_, r) => {
    if (k === 1) {
      const x = d[r]!;
      return Number.isInteger(x) ? x : x >= threshold ? 1 : 0;
    }
    let best = 0;
    for (let j = 1; j < k; j++) if (d[r * k + j]! > d[r * k + best]!) best = j;
    return best;
  });
}

export interface ConfusionOptions {
  /** The number of classes (default: 1 + the largest class seen). */
  numClasses?: number | undefined;
  /** The cut for one-column probabilities (default 0.5). */
  threshold?: number | undefined;
}

/**
 * scikit-learn's confusion matrix: `m[i][j]` counts the rows of true class i predicted as j. `yTrue` and
 * `yPred` are class indices, one-hot rows, or (for `yPred`) probabilities or logits — what `predict` returns.
 */
export function confusionMatrix(yTrue: Data, yPred: Data, { numClasses, threshold = 0.5 }: ConfusionOptions = {}): number[][] {
  const t = classes(yTrue, 'yTrue', threshold);
  const p = classes(yPred, 'yPred', threshold);
  if (t.length !== p.length) throw new NNError(ErrorCode.ShapeMismatch, `confusionMatrix: yTrue has ${t.length} rows but yPred has ${p.length}`);
  const k = numClasses ?? Math.max(1, ...t, ...p) + 1;
  const bad = [...t, ...p].find((c) => !Number.isInteger(c) || c < 0 || c >= k);
  if (bad !== undefined) throw new NNError(ErrorCode.InvalidArgument, `confusionMatrix: class ${bad} is not in [0, ${k})`);
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  t.forEach((c, i) => (m[c]![p[i]!]! += 1));
  return m;
}

export interface ClassReport {
  name: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassificationReport {
  classes: ClassReport[];
  accuracy: number;
  macroAvg: Omit<ClassReport, 'name'>;
  weightedAvg: Omit<ClassReport, 'name'>;
  confusion: number[][];
  /** The table as scikit-learn's `classification_report` prints it. */
  toString(): string;
}

/**
 * Precision, recall, F1 and support per class, accuracy, and macro / weighted averages, as scikit-learn's
 * `classification_report` (a class never predicted has precision 0, as its `zero_division=0`).
 */
export function classificationReport(yTrue: Data, yPred: Data, options: ConfusionOptions & { classNames?: string[] | undefined } = {}): ClassificationReport {
  const m = confusionMatrix(yTrue, yPred, { ...options, ...(options.classNames ? { numClasses: options.classNames.length } : {}) });
  const total = m.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
  const per = m.map((row, i) => {
    const tp = row[i]!;
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = m.reduce((s, r) => s + r[i]!, 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { name: options.classNames?.[i] ?? String(i), precision, recall, f1, support };
  });
  const avg = (w: (c: ClassReport) => number) => {
    const sw = per.reduce((s, c) => s + w(c), 0) || 1;
    return {
      precision: per.reduce((s, c) => s + w(c) * c.precision, 0) / sw,
      recall: per.reduce((s, c) => s + w(c) * c.recall, 0) / sw,
      f1: per.reduce((s, c) => s + w(c) * c.f1, 0) / sw,
      support: total,
    };
  };
  const accuracy = total ? m.reduce((s, row, i) => s + row[i]!, 0) / total : 0;
  const macroAvg = avg(() => 1);
  const weightedAvg = avg((c) => c.support);
  const toString = () => {
    const width = Math.max(12, ...per.map((c) => c.name.length));
    const f = (v: number) => v.toFixed(2).padStart(9);
    const line = (name: string, c: Omit<ClassReport, 'name'>) => `${name.padStart(width)} ${f(c.precision)} ${f(c.recall)} ${f(c.f1)} ${String(c.support).padStart(9)}`;
    return [
      `${''.padStart(width)} ${'precision'.padStart(9)} ${'recall'.padStart(9)} ${'f1-score'.padStart(9)} ${'support'.padStart(9)}`,
      '',
      ...per.map((c) => line(c.name, c)),
      '',
      `${'accuracy'.padStart(width)} ${''.padStart(9)} ${''.padStart(9)} ${f(accuracy)} ${String(total).padStart(9)}`,
      line('macro avg', macroAvg),
      line('weighted avg', weightedAvg),
    ].join('\n');
  };
  return { classes: per, accuracy, macroAvg, weightedAvg, confusion: m, toString };
}
