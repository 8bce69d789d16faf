import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'nn-nas-example-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The example as a user runs it, with tiny budgets (the MLP candidates in 2 worker processes): what it prints
// and the SVG it writes.
describe('examples/nas', () => {
  const run = () =>
    execFileSync(process.execPath, ['--import', 'tsx', join(here, 'main.ts'), '--budget', '3', '--cnn-budget', '2', '--out', dir, '--db', dir, '--workers', '2'], {
      encoding: 'utf8',
      timeout: 300_000,
      env: { ...process.env, NN_BACKEND: 'cpu' },
    });

  it('searches with each strategy, compares the best MLP with the course net, searches a digits CNN and draws the curves', () => {
    const out = run();
    for (const name of ['random', 'evolution', 'reinforce']) {
      const line = out.split('\n').find((l) => l.startsWith(name));
      expect(line, `${name} line`).toMatch(/best validation accuracy (0\.\d{4}) after 3 candidates \(\d pruned\): \{"numLayers":\d/);
      expect(Number(/accuracy (0\.\d{4})/.exec(line!)![1])).toBeGreaterThan(0.85);
    }
    expect(out).toMatch(/best architecture \((random|evolution|reinforce)\): \{"numLayers"/);
    expect(out).toMatch(/Total params: [\d,]+/);
    const m = /searched (0\.\d{4}) \[(0\.\d{4}), (0\.\d{4})\], course's net (0\.\d{4}) \[(0\.\d{4}), (0\.\d{4})\]/.exec(out);
    expect(m, 'the test-accuracy comparison line').not.toBeNull();
    const [searched, lo, hi, course] = [m![1], m![2], m![3], m![4]].map(Number);
    expect(lo).toBeLessThanOrEqual(searched);
    expect(searched).toBeLessThanOrEqual(hi);
    // Both nets classify the held-out course split well; the course's net reaches about 0.96 there.
    expect(searched).toBeGreaterThan(0.9);
    expect(course).toBeGreaterThan(0.9);
    expect(out).toMatch(/digits CNN: best validation accuracy 0\.\d{4}: \{"numLayers":[12]/);
    expect(Number(/digits CNN test accuracy: (0\.\d{4})/.exec(out)![1])).toBeGreaterThan(0.3);
    const svg = readFileSync(join(dir, 'best-so-far-breast-cancer.svg'), 'utf8');
    expect(svg.match(/<path d="M/g)).toHaveLength(3);
    for (const name of ['random', 'evolution', 'reinforce']) expect(svg).toContain(`>${name}</text>`);
  }, 300_000);
});
