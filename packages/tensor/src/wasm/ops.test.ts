import { describe, expect, it } from 'vitest';
import { CASES, compare, runCase } from '../gpu/cases.js';
import './index.js';

// Every op's forward and backward on 'wasm' against the cpu reference: the conformance suite gpujs runs.
describe('wasm backend equals the cpu backend', () => {
  for (const c of CASES) {
    it(`${c.name}${c.backward ? ' (forward and backward)' : ''}`, async () => {
      const cpu = await runCase(c, 'cpu');
      const wasm = await runCase(c, 'wasm');
      const worst = compare(cpu, wasm, c.tol);
      expect(worst, `${c.name}: ${JSON.stringify(worst)} (atol ${c.tol.atol}, rtol ${c.tol.rtol})`).toBeNull();
    });
  }
});
