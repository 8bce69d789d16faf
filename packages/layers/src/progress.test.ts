import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ProgressBar, formatLogs, formatTime } from './progress.js';
import { pyExp, pyFixed } from './py-format.js';

const sink = () => {
  const out: string[] = [];
  return { out, sink: { write: (s: string) => void out.push(s), isTTY: false } };
};

describe("Python's %-formatting, as Keras prints numbers", () => {
  it('agrees with CPython on 246 doubles (fixtures/py-format.json: random, exact ties, edge cases)', () => {
    const { cases } = JSON.parse(readFileSync(new URL('./fixtures/py-format.json', import.meta.url), 'utf8')) as { cases: { x: number; f4: string; f0: string; e4: string }[] };
    expect(cases).toHaveLength(246);
    for (const { x, f4, f0, e4 } of cases) expect([pyFixed(x, 4), pyFixed(x, 0), pyExp(x, 4)], String(x)).toEqual([f4, f0, e4]);
  });

  it('%.Nf: as toFixed, but exact ties round to even', () => {
    // '%.4f' % 0.03125 == '0.0312', '%.4f' % 0.09375 == '0.0938', '%.0f' % 2.5 == '2', '%.0f' % 0.5 == '0'
    expect([pyFixed(0.03125, 4), pyFixed(0.09375, 4), pyFixed(2.5, 0), pyFixed(0.5, 0), pyFixed(1.5, 0), pyFixed(-0.03125, 4)]).toEqual(['0.0312', '0.0938', '2', '0', '2', '-0.0312']);
    // not ties: the nearest value, as toFixed (0.00015 is a little below its decimal)
    expect([pyFixed(0.50271, 4), pyFixed(0.95804, 4), pyFixed(0.00015, 4), pyFixed(12.34567, 4)]).toEqual(['0.5027', '0.9580', '0.0001', '12.3457']);
    expect([pyFixed(NaN, 4), pyFixed(Infinity, 4), pyFixed(-Infinity, 0)]).toEqual(['nan', 'inf', '-inf']);
    // '%.4f' % 1e22 == '10000000000000000000000.0000' (toFixed would write '1e+22')
    expect([pyFixed(1e22, 4), pyFixed(-(2 ** 80), 0)]).toEqual(['10000000000000000000000.0000', '-1208925819614629174706176']);
  });

  it('%.Ne: a two-digit exponent at least', () => {
    // '%.4e' % 0.000123456 == '1.2346e-04', '%.4e' % 0 == '0.0000e+00', '%.4e' % -2.5e-7 == '-2.5000e-07'
    expect([pyExp(0.000123456, 4), pyExp(0, 4), pyExp(-2.5e-7, 4), pyExp(1e-100, 4)]).toEqual(['1.2346e-04', '0.0000e+00', '-2.5000e-07', '1.0000e-100']);
    // exact ties to even: '%.4e' % 2**-15 == '3.0518e-05' (3.0517578125e-05: not a tie), '%.1e' % 0.125 == '1.2e-01',
    // '%.1e' % 0.375 == '3.8e-01', '%.0e' % 2.5 == '2e+00'
    expect([pyExp(2 ** -15, 4), pyExp(0.125, 1), pyExp(0.375, 1), pyExp(2.5, 0), pyExp(-0.125, 1)]).toEqual(['3.0518e-05', '1.2e-01', '3.8e-01', '2e+00', '-1.2e-01']);
  });
});

describe("Keras 2.x's progress lines", () => {
  it('formats logs: %.4f above 1e-3, else %.4e (|v| with verbose 1, v with verbose 2)', () => {
    expect(formatLogs({ loss: 0.50271, accuracy: 0.81462 })).toBe(' - loss: 0.5027 - accuracy: 0.8146');
    expect(formatLogs({ loss: 0.001, mae: 0 })).toBe(' - loss: 1.0000e-03 - mae: 0.0000e+00');
    expect(formatLogs({ r: -0.5 })).toBe(' - r: -0.5000');
    expect(formatLogs({ r: -0.5 }, 2)).toBe(' - r: -5.0000e-01');
  });

  it('formats times as _format_time: s at 1 s and above (or exactly 0), else ms, else us', () => {
    expect([formatTime(0, 'epoch'), formatTime(1.4, 'epoch'), formatTime(0.0123, 'epoch'), formatTime(0.0004567, 'step')]).toEqual([' 0s/epoch', ' 1s/epoch', ' 12ms/epoch', ' 457us/step']);
  });

  it("verbose 2: '5/5 - 0s - loss: … - accuracy: … - Nms/epoch - Nms/step', one line when done", () => {
    const { out, sink: s } = sink();
    const bar = new ProgressBar(5, 2, s);
    bar.update(2, { loss: 1 });
    bar.end(5, { loss: 0.12345, accuracy: 0.965034965 });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^5\/5 - 0s - loss: 0\.1235 - accuracy: 0\.9650 - \d+(us|ms)\/epoch - \d+(us|ms)\/step\n$/);
    const { out: wide, sink: w } = sink();
    new ProgressBar(14, 2, w).end(14, { loss: 0.5 });
    expect(wide[0]).toMatch(/^14\/14 - 0s - loss: 0\.5000 - \d+(us|ms)\/epoch - \d+(us|ms)\/step\n$/);
  });

  it("prints Keras' 'Epoch 3/10' header, but none for a single epoch (as Keras' ProgbarLogger)", () => {
    const { out, sink: s } = sink();
    ProgressBar.epochHeader(2, 10, 2, s);
    ProgressBar.epochHeader(0, 1, 1, s);
    ProgressBar.epochHeader(0, 10, 0, s);
    expect(out).toEqual(['Epoch 3/10\n']);
  });
});
