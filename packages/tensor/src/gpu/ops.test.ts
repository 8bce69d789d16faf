import { afterAll, describe, expect, it } from 'vitest';
import { gpuBackendInfo } from '../gpu.js';
import { CASES, compare, measure, runCase } from './cases.js';

// Every op's forward and backward on 'gpujs' against the cpu reference, in whatever mode gpu.js selects here
// (webasm without a GL context; headless-gl under Xvfb — NN_GPU_EXPECT_MODE makes a variant assert its mode).
const expected = process.env.NN_GPU_EXPECT_MODE;
const table: string[] = [];

describe(`gpujs backend equals the cpu backend (mode: ${gpuBackendInfo().mode})`, () => {
  if (expected) {
    it(`runs in the mode this variant asks for (${expected})`, () => {
      expect(gpuBackendInfo().mode).toBe(expected);
    });
  }

  for (const c of CASES) {
    const skip = c.skip?.[gpuBackendInfo().mode];
    it.skipIf(skip !== undefined)(`${c.name}${c.backward ? ' (forward and backward)' : ''}${skip ? ` — skipped: ${skip}` : ''}`, async () => {
      const cpu = await runCase(c, 'cpu');
      const gpu = await runCase(c, 'gpujs');
      const { abs, rel } = measure(cpu, gpu);
      table.push(`| ${c.name} | ${abs.toExponential(1)} | ${rel.toExponential(1)} |`);
      const worst = compare(cpu, gpu, c.tol);
      expect(worst, `${c.name}: ${JSON.stringify(worst)} (atol ${c.tol.atol}, rtol ${c.tol.rtol})`).toBeNull();
    });
  }

  afterAll(() => {
    if (process.env.NN_GPU_PRECISION_TABLE) {
      console.log(`precision in mode ${gpuBackendInfo().mode} (largest |gpu − cpu| and relative difference):\n| op | abs | rel |\n|---|---|---|\n${table.join('\n')}`);
    }
  });
});
