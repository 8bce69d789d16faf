// Runs in the browser (bundled by run.mjs): the same op cases as ops.test.ts, plus a few MLP training steps,
// in the mode the page asks for. The result goes back to the Node side as JSON.
import { gpuBackend, initGpuBackend, type GpuMode } from '../../gpu.js';
import { CASES, compare, measure, runCase } from '../cases.js';
import { Adam } from '@nn/optim';
import { makeData, makeMlp, trainMlp } from '../mlp.js';
import * as nn from '../../index.js';

export interface BrowserRun {
  mode: string;
  fellBack: boolean;
  reason: string | null;
  passed: number;
  failed: number;
  failures: string[];
  table: string[];
  liveTexturesPerStep: number[];
  /** Host-device transfers of each training step (the loop reads the loss: one readback expected). */
  transfersPerStep: { uploads: number; readbacks: number }[];
}

async function run(mode: GpuMode): Promise<BrowserRun> {
  const info = await initGpuBackend({ mode, warn: () => {} });
  const out: BrowserRun = { mode: info.mode, fellBack: info.fellBack, reason: info.reason, passed: 0, failed: 0, failures: [], table: [], liveTexturesPerStep: [], transfersPerStep: [] };
  for (const c of CASES) {
    if (c.skip?.[info.mode]) {
      out.table.push(`| ${c.name} | skipped: ${c.skip[info.mode]} | |`);
      continue;
    }
    try {
      const cpu = await runCase(c, 'cpu');
      const gpu = await runCase(c, 'gpujs');
      const m = measure(cpu, gpu);
      out.table.push(`| ${c.name} | ${m.abs.toExponential(1)} | ${m.rel.toExponential(1)} |`);
      const worst = compare(cpu, gpu, c.tol);
      if (worst) throw new Error(JSON.stringify(worst));
      out.passed++;
    } catch (e) {
      out.failed++;
      out.failures.push(`${c.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  // Training steps with explicit disposal (no forced GC in a page): the live-texture count must stay flat.
  try {
    nn.setBackend('gpujs');
    const { x, labels } = makeData(64, 4, 3);
    const mlp = makeMlp([4, 16, 3]);
    const opt = new Adam(mlp.params, { lr: 0.01 });
    const xt = nn.tensor(x, [64, 4]);
    const yt = nn.tensor(labels, [64], 'int32');
    for (let step = 0; step < 30; step++) {
      // The real optimizer updates the parameters in place on the device; a step frees its intermediates and
      // gradients itself (a page cannot force the GC), so only the loss is left to dispose.
      const before = gpuBackend.transfers();
      const loss = trainMlp(mlp, opt, xt, yt);
      await loss.data();
      loss.dispose();
      const after = gpuBackend.transfers();
      out.transfersPerStep.push({ uploads: after.uploads - before.uploads, readbacks: after.readbacks - before.readbacks });
      if (step % 10 === 9) out.liveTexturesPerStep.push(gpuBackend.memory().liveTextures);
    }
    nn.setBackend('cpu');
  } catch (e) {
    out.failed++;
    out.failures.push(`training steps: ${e instanceof Error ? e.message : String(e)}`);
  }
  return out;
}

(globalThis as { runGpuCases?: typeof run }).runGpuCases = run;
