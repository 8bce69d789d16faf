import { RNG } from '../src/rng.js';

/** A benchmark function on a box, with its known global minimizers and minimum. */
export interface Problem {
  name: string;
  lower: number[];
  upper: number[];
  /** Global minimizers of the unshifted function (Branin has three). */
  optima: number[][];
  minimum: number;
  f: (x: number[]) => number;
}

/** Branin–Hoo on [-5, 10] × [0, 15]; three global minima of 0.397887. */
export const branin: Problem = {
  name: 'Branin',
  lower: [-5, 0],
  upper: [10, 15],
  optima: [
    [-Math.PI, 12.275],
    [Math.PI, 2.275],
    [9.42478, 2.475],
  ],
  minimum: 0.397887357729738,
  f: ([x1, x2]) => {
    const b = 5.1 / (4 * Math.PI ** 2);
    const c = 5 / Math.PI;
    const t = 1 / (8 * Math.PI);
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
  },
};

const H_ALPHA = [1.0, 1.2, 3.0, 3.2];
const H_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const H_P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
].map((r) => r.map((v) => v * 1e-4));

/** Hartmann-6 on [0, 1]^6; global minimum -3.32237. */
export const hartmann6: Problem = {
  name: 'Hartmann6',
  lower: Array(6).fill(0),
  upper: Array(6).fill(1),
  optima: [[0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573]],
  minimum: -3.32236801141551,
  f: (x) => {
    let s = 0;
    for (let i = 0; i < 4; i++) {
      let e = 0;
      for (let j = 0; j < 6; j++) e += H_A[i][j] * (x[j] - H_P[i][j]) ** 2;
      s += H_ALPHA[i] * Math.exp(-e);
    }
    return -s;
  },
};

/** Levy on [-10, 10]^10; global minimum 0 at x = 1. */
export const levy10: Problem = {
  name: 'Levy-10',
  lower: Array(10).fill(-10),
  upper: Array(10).fill(10),
  optima: [Array(10).fill(1)],
  minimum: 0,
  f: (x) => {
    const w = x.map((v) => 1 + (v - 1) / 4);
    const d = w.length;
    let s = Math.sin(Math.PI * w[0]) ** 2;
    for (let i = 0; i < d - 1; i++) s += (w[i] - 1) ** 2 * (1 + 10 * Math.sin(Math.PI * w[i] + 1) ** 2);
    s += (w[d - 1] - 1) ** 2 * (1 + Math.sin(2 * Math.PI * w[d - 1]) ** 2);
    return s;
  },
};

/**
 * The problem translated so that one of its global minimizers (chosen at random) lands uniformly at
 * random inside the box, 2% away from the faces: f_shifted(x) = f(x - δ) on the same box. The box and the
 * minimum value do not change, so simple regret stays comparable, but a sampler that favours the centre
 * of the box (or a corner) gains nothing.
 */
export function shifted(problem: Problem, seed: number): Problem {
  const rng = new RNG(seed * 7919 + 17);
  const opt = problem.optima[rng.integer(0, problem.optima.length - 1)];
  const delta = opt.map((o, d) => {
    const span = problem.upper[d] - problem.lower[d];
    const target = problem.lower[d] + span * (0.02 + 0.96 * rng.random());
    return target - o;
  });
  return { ...problem, optima: problem.optima.map((o) => o.map((v, d) => v + delta[d])), f: (x) => problem.f(x.map((v, d) => v - delta[d])) };
}
