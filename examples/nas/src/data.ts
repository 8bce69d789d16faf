import { readFileSync } from 'node:fs';
import { RNG } from '@nn/hpo';

export interface Split {
  xTrain: number[][];
  yTrain: number[];
  xVal: number[][];
  yVal: number[];
  xTest: number[][];
  yTest: number[];
}

/** Standardizes with the training rows' mean and (population) standard deviation. */
function standardize(train: number[][], ...others: number[][][]): number[][][] {
  const cols = train[0].length;
  const mean = Array.from({ length: cols }, (_, j) => train.reduce((s, r) => s + r[j], 0) / train.length);
  const std = Array.from({ length: cols }, (_, j) => Math.sqrt(train.reduce((s, r) => s + (r[j] - mean[j]) ** 2, 0) / train.length) || 1);
  return [train, ...others].map((rows) => rows.map((r) => r.map((v, j) => (v - mean[j]) / std[j])));
}

/**
 * The breast-cancer data with the course's 75/25 split (data/course-split.json); the last 20% of the course's
 * training rows are held out for validation (the search's reward), so the test rows are never seen while searching.
 */
export function breastCancer(): Split {
  const lines = readFileSync(new URL('../data/breast_cancer.csv', import.meta.url), 'utf8').trim().split(/\r?\n/).slice(1);
  const rows = lines.map((l) => l.split(',').map(Number));
  const { train, test } = JSON.parse(readFileSync(new URL('../data/course-split.json', import.meta.url), 'utf8')) as { train: number[]; test: number[] };
  const nVal = Math.round(train.length * 0.2);
  const fit = train.slice(0, train.length - nVal);
  const val = train.slice(train.length - nVal);
  const x = (idx: number[]) => idx.map((i) => rows[i].slice(0, -1));
  const y = (idx: number[]) => idx.map((i) => rows[i][rows[i].length - 1]);
  const [xTrain, xVal, xTest] = standardize(x(fit), x(val), x(test));
  return { xTrain, yTrain: y(fit), xVal, yVal: y(val), xTest, yTest: y(test) };
}

/** The course's whole training set (training + validation rows), standardized, with the test rows: for the final fits. */
export function breastCancerFull(): { xTrain: number[][]; yTrain: number[]; xTest: number[][]; yTest: number[] } {
  const lines = readFileSync(new URL('../data/breast_cancer.csv', import.meta.url), 'utf8').trim().split(/\r?\n/).slice(1);
  const rows = lines.map((l) => l.split(',').map(Number));
  const { train, test } = JSON.parse(readFileSync(new URL('../data/course-split.json', import.meta.url), 'utf8')) as { train: number[]; test: number[] };
  const x = (idx: number[]) => idx.map((i) => rows[i].slice(0, -1));
  const y = (idx: number[]) => idx.map((i) => rows[i][rows[i].length - 1]);
  const [xTrain, xTest] = standardize(x(train), x(test));
  return { xTrain, yTrain: y(train), xTest, yTest: y(test) };
}

/** The digits as 8x8x1 images (pixels / 16), a seeded 60/20/20 split. */
export function digits(): Split {
  const rows = readFileSync(new URL('../data/digits.csv', import.meta.url), 'utf8').trim().split('\n').map((l) => l.split(',').map(Number));
  const order = new RNG(0).shuffle(rows.map((_, i) => i));
  const part = (from: number, to: number) => order.slice(from, to);
  const x = (idx: number[]) => idx.map((i) => rows[i].slice(0, 64).map((v) => v / 16));
  const y = (idx: number[]) => idx.map((i) => rows[i][64]);
  const [tr, va, te] = [part(0, 1078), part(1078, 1437), part(1437, rows.length)];
  return { xTrain: x(tr), yTrain: y(tr), xVal: x(va), yVal: y(va), xTest: x(te), yTest: y(te) };
}
