import { describe, expect, it } from 'vitest';
import { addingProblem, BASELINE_MSE } from './adding.js';
import { compare, SOLVED } from './experiments.js';

describe('the sequence example', () => {
  it('makes adding-problem data: two markers, one in each half, the target their values\' sum; seeded', () => {
    const { x, y, marked } = addingProblem(50, 9, 3);
    expect(x.shape).toEqual([50, 9, 2]);
    const xs = x.toArray() as number[][][];
    const ys = y.toArray() as number[][];
    xs.forEach((seq, i) => {
      const marks = seq.flatMap(([, m], t) => (m === 1 ? [t] : []));
      expect(marks).toEqual(marked[i]);
      expect(marks[0]).toBeLessThan(4);
      expect(marks[1]).toBeGreaterThanOrEqual(4);
      expect(seq.every(([v, m]) => v >= 0 && v < 1 && (m === 0 || m === 1))).toBe(true);
      expect(ys[i][0]).toBeCloseTo(seq[marks[0]][0] + seq[marks[1]][0], 6);
    });
    expect(Array.from(addingProblem(50, 9, 3).x.dataSync())).toEqual(Array.from(x.dataSync()));
    expect(Array.from(addingProblem(50, 9, 4).x.dataSync())).not.toEqual(Array.from(x.dataSync()));
    // The know-nothing answer 1 misses by Var(u1 + u2) = 2/12 on average.
    const big = addingProblem(4000, 4, 0).y.dataSync();
    expect(big.reduce((s, v) => s + (v - 1) ** 2, 0) / big.length).toBeCloseTo(BASELINE_MSE, 1);
  });

  it('prints one line per run and a table whose numbers are the runs\' test errors; a gated cell learns a short sequence', async () => {
    const lines: string[] = [];
    const results = await compare({ lengths: [6], cells: ['simpleRNN', 'gru'], nTrain: 512, nTest: 200, epochs: 8, batchSize: 16, print: (l) => lines.push(l) });
    expect(results.map((r) => [r.cell, r.length])).toEqual([['simpleRNN', 6], ['gru', 6]]);
    for (const r of results) {
      expect(r.losses).toHaveLength(8);
      expect(r.relative).toBeCloseTo(r.testMse / BASELINE_MSE, 10);
      expect(lines.some((l) => l.includes(`length   6  ${r.cell.padEnd(9)}  test MSE ${r.testMse.toFixed(4)}`))).toBe(true);
    }
    const gru = results[1];
    // Well below the baseline: the GRU has learned to add (it reaches ~0.02 here).
    expect(gru.relative).toBeLessThan(0.3);
    expect(gru.losses[7]).toBeLessThan(gru.losses[0] / 3);
    const header = lines.findIndex((l) => l.startsWith('length '));
    expect(lines[header]).toMatch(/^length\s+simpleRNN\s+gru$/);
    const row = lines[header + 1].trim().split(/\s+/);
    expect(row[0]).toBe('6');
    expect(Number(row[3])).toBeCloseTo(gru.relative, 3);
    expect(row[4]).toBe(gru.relative < SOLVED ? 'ok' : '--');
    expect(lines.some((l) => /^gru\s+solved (length 6|no length; failed at 6)$/.test(l))).toBe(true);
  });
});
