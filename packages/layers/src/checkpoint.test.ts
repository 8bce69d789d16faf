import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelCheckpoint } from './checkpoint.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const run = (mode: string, out: string) =>
  spawnSync(tsx, ['--tsconfig', join(here, 'testing', 'tsconfig.resume.json'), join(here, 'testing', 'resume-run.ts'), mode, out], { cwd: root, encoding: 'utf8', timeout: 120_000 });

describe('complete checkpoints', () => {
  it('36 steps straight == 18 steps, kill -9, a new process, 18 more (and the same mid-epoch, at step 16): identical losses and weights', () => {
    const out = mkdtempSync(join(tmpdir(), 'nn-resume-'));
    try {
      const straight = run('straight', out);
      expect(straight.status, straight.stderr).toBe(0);
      const first = run('first', out);
      // Killed by its own SIGKILL right after the checkpoint of epoch 3 (step 18): no result file. (tsx runs the
      // script in a child of its own and reports the kill as status 128 + 9.)
      expect(first.signal === 'SIGKILL' || first.status === 137, `status ${first.status}, signal ${first.signal}: ${first.stderr}`).toBe(true);
      expect(existsSync(join(out, 'first.json'))).toBe(false);
      expect(readdirSync(join(out, 'checkpoints')).sort()).toEqual(['epoch-0002', 'epoch-0003']);
      const resumed = run('resume', out);
      expect(resumed.status, resumed.stderr).toBe(0);
      const a = JSON.parse(readFileSync(join(out, 'straight.json'), 'utf8'));
      const b = JSON.parse(readFileSync(join(out, 'resume.json'), 'utf8'));
      expect(a.epochs).toEqual([0, 1, 2, 3, 4, 5]);
      expect(b.epochs).toEqual([3, 4, 5]);
      expect(b.loss).toEqual(a.loss.slice(3));
      expect(b.valLoss).toEqual(a.valLoss.slice(3));
      expect(b.weights).toEqual(a.weights);
      // keepLast 2: the resumed run went on pruning from the list it restored.
      expect(readdirSync(join(out, 'checkpoints')).sort()).toEqual(['epoch-0005', 'epoch-0006']);

      // Every 4 steps, killed after step 16 (batch 4 of epoch 3), resumed inside that epoch.
      const firstSteps = run('first-steps', out);
      expect(firstSteps.signal === 'SIGKILL' || firstSteps.status === 137, firstSteps.stderr).toBe(true);
      expect(readdirSync(join(out, 'step-checkpoints')).sort()).toEqual(['step-0000012', 'step-0000016']);
      const resumedSteps = run('resume-steps', out);
      expect(resumedSteps.status, resumedSteps.stderr).toBe(0);
      const c = JSON.parse(readFileSync(join(out, 'resume-steps.json'), 'utf8'));
      expect(c.epochs).toEqual([2, 3, 4, 5]);
      expect(c.loss).toEqual(a.loss.slice(2));
      expect(c.valLoss).toEqual(a.valLoss.slice(2));
      expect(c.weights).toEqual(a.weights);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 180_000);

  it('checks its options', () => {
    expect(() => modelCheckpoint({ dir: 'x', keeplast: 2 } as never)).toThrow('modelCheckpoint: unknown option "keeplast"; did you mean "keepLast"?');
    expect(() => modelCheckpoint({} as never)).toThrow('modelCheckpoint: option dir is required');
    expect(() => modelCheckpoint({ dir: 'x', everyEpochs: 0 })).toThrow('modelCheckpoint: everyEpochs must be a positive integer, got 0');
  });
});
