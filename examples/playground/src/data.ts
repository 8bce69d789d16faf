import breastCancerCsv from './breast_cancer.csv?raw';
import { gaussian, mulberry32, permutation } from './rng.js';

export const DATASETS = ['circles', 'xor', 'gaussians', 'spirals', 'regression', 'breastCancer'] as const;
export type DatasetName = (typeof DATASETS)[number];

export interface DataOptions {
  dataset: DatasetName;
  /** Number of points generated (the 2-D sets; breast cancer has its 569 samples). */
  points: number;
  /** Noise, 0..1: the spread added to each point (or to the regression target). */
  noise: number;
  /** Fraction of the points used for training; the rest are the test points. */
  trainRatio: number;
  seed: number;
  /** Breast cancer: 'pca' (the first two principal components of the 30 standardized features) or two feature indices. */
  projection: 'pca' | 'features';
  featureX: number;
  featureY: number;
}

/** Points in the square [-1, 1]² (inputs) and their targets: a class 0/1, or a real value for regression. */
export interface Points {
  x: number[][];
  y: number[];
}

export interface Dataset {
  train: Points;
  test: Points;
  /** Regression (real targets, mean squared error) or binary classification (cross-entropy). */
  task: 'classification' | 'regression';
  /** Axis names for the plot. */
  axes: [string, string];
}

/** The 30 feature names of the Wisconsin breast-cancer data (scikit-learn's order, the CSV's columns). */
export const BREAST_CANCER_FEATURES = [
  'mean radius', 'mean texture', 'mean perimeter', 'mean area', 'mean smoothness', 'mean compactness', 'mean concavity',
  'mean concave points', 'mean symmetry', 'mean fractal dimension', 'radius error', 'texture error', 'perimeter error',
  'area error', 'smoothness error', 'compactness error', 'concavity error', 'concave points error', 'symmetry error',
  'fractal dimension error', 'worst radius', 'worst texture', 'worst perimeter', 'worst area', 'worst smoothness',
  'worst compactness', 'worst concavity', 'worst concave points', 'worst symmetry', 'worst fractal dimension',
];

function classic(name: Exclude<DatasetName, 'breastCancer'>, n: number, noise: number, rand: () => number): Points {
  const x: number[][] = [];
  const y: number[] = [];
  const push = (a: number, b: number, label: number) => {
    x.push([a, b]);
    y.push(label);
  };
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    if (name === 'circles') {
      // Inner disc (label 1) inside a ring (label 0), TensorFlow Playground's "circle".
      const r = label ? rand() * 0.4 : 0.6 + rand() * 0.35;
      const t = rand() * 2 * Math.PI;
      push(r * Math.cos(t) + noise * 0.3 * gaussian(rand), r * Math.sin(t) + noise * 0.3 * gaussian(rand), label);
    } else if (name === 'xor') {
      const a = rand() * 2 - 1;
      const b = rand() * 2 - 1;
      const pad = (v: number) => v + Math.sign(v) * 0.05;
      push(pad(a) + noise * 0.3 * gaussian(rand), pad(b) + noise * 0.3 * gaussian(rand), a * b > 0 ? 1 : 0);
    } else if (name === 'gaussians') {
      const c = label ? 0.45 : -0.45;
      const s = 0.12 + noise * 0.35;
      push(c + s * gaussian(rand), c + s * gaussian(rand), label);
    } else if (name === 'spirals') {
      const t = (Math.floor(i / 2) / (n / 2)) * 1.75 * 2 * Math.PI;
      const r = (0.9 * Math.floor(i / 2)) / (n / 2) + 0.05;
      const phase = label ? Math.PI : 0;
      push(r * Math.cos(t + phase) + noise * 0.15 * gaussian(rand), r * Math.sin(t + phase) + noise * 0.15 * gaussian(rand), label);
    } else {
      // A smooth bump with a ridge: y = sin(πa)·cos(πb/2), plus noise on the target.
      const a = rand() * 2 - 1;
      const b = rand() * 2 - 1;
      push(a, b, Math.sin(Math.PI * a) * Math.cos((Math.PI * b) / 2) + noise * 0.3 * gaussian(rand));
    }
  }
  return { x, y };
}

/** Parses the breast-cancer CSV (scikit-learn's layout: a count header, then 30 features and the target, 0 = malignant). */
export function parseBreastCancer(text: string): { features: number[][]; target: number[] } {
  const rows = text.trim().split(/\r?\n/).slice(1).map((l) => l.split(',').map(Number));
  const bad = rows.findIndex((r) => r.length !== 31 || r.some((v) => !Number.isFinite(v)));
  if (bad >= 0) throw new Error(`breast_cancer.csv: row ${bad + 2} is not 30 numbers and a target`);
  return { features: rows.map((r) => r.slice(0, 30)), target: rows.map((r) => r[30]) };
}

function standardize(cols: number[][]): number[][] {
  const d = cols[0].length;
  const mean = Array.from({ length: d }, (_, j) => cols.reduce((s, r) => s + r[j], 0) / cols.length);
  const std = Array.from({ length: d }, (_, j) => Math.sqrt(cols.reduce((s, r) => s + (r[j] - mean[j]) ** 2, 0) / cols.length) || 1);
  return cols.map((r) => r.map((v, j) => (v - mean[j]) / std[j]));
}

/** The top `k` principal directions of standardized rows, by power iteration with deflation (k is 2 here). */
export function principalComponents(rows: number[][], k: number): number[][] {
  const d = rows[0].length;
  const cov = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + r[i] * r[j], 0) / rows.length));
  const out: number[][] = [];
  for (let c = 0; c < k; c++) {
    let v = Array.from({ length: d }, (_, i) => 1 / Math.sqrt(d) + i * 1e-3);
    for (let it = 0; it < 200; it++) {
      const w = cov.map((row) => row.reduce((s, a, j) => s + a * v[j], 0));
      const norm = Math.hypot(...w);
      v = w.map((a) => a / norm);
    }
    const lambda = v.reduce((s, a, i) => s + a * cov[i].reduce((t, b, j) => t + b * v[j], 0), 0);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) cov[i][j] -= lambda * v[i] * v[j];
    out.push(v);
  }
  return out;
}

/** Scales each column into [-1, 1] (the plot's square), keeping the data's shape. */
function fitSquare(x: number[][]): number[][] {
  const lo = [0, 1].map((j) => Math.min(...x.map((r) => r[j])));
  const hi = [0, 1].map((j) => Math.max(...x.map((r) => r[j])));
  return x.map((r) => r.map((v, j) => (2 * (v - lo[j])) / (hi[j] - lo[j] || 1) - 1));
}

function breastCancer(o: DataOptions): { all: Points; axes: [string, string] } {
  const { features, target } = parseBreastCancer(breastCancerCsv);
  const z = standardize(features);
  let x: number[][];
  let axes: [string, string];
  if (o.projection === 'pca') {
    const [p1, p2] = principalComponents(z, 2);
    x = z.map((r) => [r.reduce((s, v, j) => s + v * p1[j], 0), r.reduce((s, v, j) => s + v * p2[j], 0)]);
    axes = ['PC 1', 'PC 2'];
  } else {
    x = z.map((r) => [r[o.featureX], r[o.featureY]]);
    axes = [BREAST_CANCER_FEATURES[o.featureX], BREAST_CANCER_FEATURES[o.featureY]];
  }
  return { all: { x: fitSquare(x), y: target }, axes };
}

/** Generates (or loads) the data set and splits it into train and test points with the seed. */
export function makeDataset(o: DataOptions): Dataset {
  const rand = mulberry32(o.seed * 7919 + 17);
  const { all, axes } = o.dataset === 'breastCancer' ? breastCancer(o) : { all: classic(o.dataset, o.points, o.noise, rand), axes: ['x₁', 'x₂'] as [string, string] };
  const order = permutation(all.y.length, rand);
  const nTrain = Math.max(1, Math.min(all.y.length - 1, Math.round(all.y.length * o.trainRatio)));
  const pick = (idx: number[]): Points => ({ x: idx.map((i) => all.x[i]), y: idx.map((i) => all.y[i]) });
  return {
    train: pick(order.slice(0, nTrain)),
    test: pick(order.slice(nTrain)),
    task: o.dataset === 'regression' ? 'regression' : 'classification',
    axes,
  };
}
