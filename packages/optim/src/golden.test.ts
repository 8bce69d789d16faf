import { describe, expect, it } from 'vitest';
import { build, cases, label, problem, trainStep } from './testing/golden.js';

/** Relative 1e-5 with an absolute floor of 1e-6, the golden file's tolerance; returns the worst relative error. */
function close(actual: ArrayLike<number>, expected: number[], where: string): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i] - expected[i]);
    const tol = 1e-6 + 1e-5 * Math.abs(expected[i]);
    if (!(diff <= tol)) throw new Error(`${where}[${i}]: ${actual[i]} vs PyTorch ${expected[i]} (|diff| ${diff} > ${tol})`);
    worst = Math.max(worst, diff / Math.max(Math.abs(expected[i]), 1e-6));
  }
  return worst;
}

describe('golden: PyTorch 1.13, 16 cases x 40 steps, both parameters', () => {
  it('has the 16 cases', () => expect(cases).toHaveLength(16));
  cases.forEach((c, i) => {
    it(label(c, i), () => {
      const { w, b, loss } = problem();
      const opt = build(c, [w, b]);
      for (let s = 0; s < c.losses.length; s++) {
        const l = trainStep(opt, loss);
        close([l], [c.losses[s]], `step ${s} loss`);
        const want = c.params_after_each_step[s];
        close(w.dataSync(), want.w.flat(), `step ${s} w`);
        close(b.dataSync(), want.b.flat(), `step ${s} b`);
      }
      expect(opt.stepCount).toBe(40);
    });
  });
});
