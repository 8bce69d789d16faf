import { describe, expect, it } from 'vitest';
import { constant, cosineDecay, cyclic, oneCycle, renderSvg, sequentialLR, stepDecay } from './index.js';

const polylines = (svg: string) => [...svg.matchAll(/<polyline points="([^"]*)"/g)].map((m) => m[1].split(' ').map((p) => p.split(',').map(Number)));
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

/** Every opened element is closed (or self-closed) in order: the string is well-formed enough for a browser. */
function expectWellFormed(svg: string) {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-z]+)[^>]*?(\/?)>/g)) {
    if (m[1]) expect(stack.pop()).toBe(m[2]);
    else if (!m[3]) stack.push(m[2]);
  }
  expect(stack).toEqual([]);
}

describe('renderSvg', () => {
  it('draws the lr as one polyline with a point per step, inside the plot, with axis tick labels', () => {
    const svg = renderSvg(cosineDecay({ lr: 0.1, tMax: 50 }), 51, { width: 600, height: 300 });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="600" height="300"')).toBe(true);
    expectWellFormed(svg);
    const [lr, ...rest] = polylines(svg);
    expect(rest).toEqual([]);
    expect(lr).toHaveLength(51);
    for (const [x, y] of lr) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(600);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(300);
    }
    // the first point is the highest (smallest y), the last the lowest
    expect(lr[0][1]).toBeLessThan(lr[50][1]);
    const labels = texts(svg);
    expect(labels).toEqual(expect.arrayContaining(['0', '0.02', '0.04', '0.06', '0.08', '0.10', '10', '20', '50', 'step', 'learning rate']));
    expect(labels).not.toContain('momentum');
  });

  it('adds momentum on a right-hand axis, with a legend, when the schedule cycles it', () => {
    const svg = renderSvg(oneCycle({ maxLr: 0.5, totalSteps: 100 }), 100);
    expectWellFormed(svg);
    expect(polylines(svg)).toHaveLength(2);
    expect(texts(svg)).toEqual(expect.arrayContaining(['momentum', 'lr', '0.86', '0.94']));
    expect(polylines(renderSvg(oneCycle({ maxLr: 0.5, totalSteps: 100 }), 100, { momentum: false }))).toHaveLength(1);
  });

  it('breaks the momentum line where the schedule in force has none', () => {
    const s = sequentialLR([constant({ lr: 0.01 }), cyclic({ baseLr: 0.01, maxLr: 0.1, stepSizeUp: 5 }), constant({ lr: 0.01 })], [10, 30]);
    const lines = polylines(renderSvg(s, 40));
    expect(lines.map((l) => l.length)).toEqual([40, 20]);
  });

  it('stepped: each value holds flat until the next step', () => {
    const [line] = polylines(renderSvg(stepDecay({ lr: 1, stepSize: 2, gamma: 0.5 }), 4, { stepped: true }));
    // 4 values, each after the first preceded by a flat point at the new step's x: 7 points
    expect(line).toHaveLength(7);
    expect(line[1][1]).toBe(line[0][1]);
    expect(line[1][0]).toBe(line[2][0]);
    expect(line[3][1]).toBe(line[2][1]); // steps 1 -> 2 is a drop, steps 0 -> 1 is flat
  });

  it('samples long schedules to at most 2000 points', () => {
    expect(polylines(renderSvg(stepDecay({ lr: 1, stepSize: 10_000 }), 100_000))[0]).toHaveLength(2000);
  });

  it('writes tiny lrs in exponent form and escapes the title', () => {
    const svg = renderSvg(constant({ lr: 2e-6 }), 10, { title: 'a <b> & "c"' });
    expect(svg).toContain('>a &lt;b&gt; &amp; &quot;c&quot;</text>');
    expect(texts(svg)).toEqual(expect.arrayContaining(['2e-6']));
    expectWellFormed(svg);
  });

  it('is deterministic and handles a single step and an all-zero lr', () => {
    const s = cosineDecay({ lr: 0.1, tMax: 10 });
    expect(renderSvg(s, 20)).toBe(renderSvg(s, 20));
    expectWellFormed(renderSvg(s, 1));
    expectWellFormed(renderSvg(constant({ lr: 0 }), 5));
    expect(renderSvg(constant({ lr: 0 }), 5)).not.toContain('NaN');
    expect(renderSvg(s, 1)).not.toContain('NaN');
  });
});
