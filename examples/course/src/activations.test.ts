import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, activationCurve, activationSvg, writeActivationSvgs } from './activations.js';

const sigma = (x: number) => 1 / (1 + Math.exp(-x));
const phi = (x: number) => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
const LAMBDA = 1.0507009873554805;
const ALPHA = 1.6732632423543772;

/** The course's derivatives, by hand (away from the kinks). */
const derivatives: Record<string, (x: number) => number> = {
  step: () => 0,
  sign: () => 0,
  sigmoid: (x) => sigma(x) * (1 - sigma(x)),
  tanh: (x) => 1 - Math.tanh(x) ** 2,
  relu: (x) => (x > 0 ? 1 : 0),
  leakyRelu: (x) => (x > 0 ? 1 : 0.01),
  elu: (x) => (x > 0 ? 1 : Math.exp(x)),
  selu: (x) => (x > 0 ? LAMBDA : LAMBDA * ALPHA * Math.exp(x)),
  softplus: (x) => sigma(x),
  swish: (x) => sigma(x) + x * sigma(x) * (1 - sigma(x)),
  gelu: (x) => 0.5 * (1 + erf(x / Math.SQRT2)) + x * phi(x),
  mish: (x) => {
    const t = Math.tanh(Math.log1p(Math.exp(x)));
    return t + x * (1 - t * t) * sigma(x);
  },
  hardSigmoid: (x) => (x > -3 && x < 3 ? 1 / 6 : 0),
};

/** erf to 1e-12 by its Taylor series (|x| ≤ 3 here). */
function erf(x: number): number {
  let term = x;
  let total = x;
  for (let n = 1; n < 80; n++) {
    term *= (-x * x) / n;
    total += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * total;
}

describe('each activation with its derivative', () => {
  it('autograd gives the course\'s derivative of every activation (float32, away from kinks)', () => {
    expect(Object.keys(derivatives).sort()).toEqual(Object.keys(ACTIVATIONS).sort());
    for (const name of Object.keys(ACTIVATIONS)) {
      const { xs, dys } = activationCurve(name);
      xs.forEach((x, i) => {
        if ([0, -3, 3].includes(x)) return;
        expect(Math.abs(dys[i] - derivatives[name](x)), `${name}'(${x})`).toBeLessThan(2e-5);
      });
    }
  });

  it('pins the values the course quotes: σ\'(0) = 1/4 is the largest, tanh\'(0) = 1, swish\'(0) = gelu\'(0) = 1/2', () => {
    const at0 = (name: string) => activationCurve(name, { lo: -1, hi: 1, n: 3 }).dys[1];
    expect(at0('sigmoid')).toBe(0.25);
    expect(Math.max(...activationCurve('sigmoid').dys)).toBe(0.25);
    expect(at0('tanh')).toBe(1);
    expect(at0('swish')).toBeCloseTo(0.5, 6);
    expect(at0('gelu')).toBeCloseTo(0.5, 6);
    expect(at0('mish')).toBeCloseTo(0.6, 6); // tanh(ln 2) = 3/5
  });

  it("follows PyTorch at 0, where the course's indicator gives 1: step(0) = 0 and relu'(0) = 0", () => {
    const step = activationCurve('step', { lo: -1, hi: 1, n: 3 });
    expect(step.ys).toEqual([0, 0, 1]);
    expect(activationCurve('relu', { lo: -1, hi: 1, n: 3 }).dys).toEqual([0, 0, 1]);
    expect(activationCurve('leakyRelu', { lo: -1, hi: 1, n: 3 }).dys.map((v) => Math.fround(v))).toEqual([0.01, 0.01, 1].map(Math.fround));
  });

  it('draws f and its derivative as one SVG per activation', () => {
    const svg = activationSvg('sigmoid');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('>sigmoid</text>');
    const lines = [...svg.matchAll(/<polyline [^>]*points="([^"]+)"/g)].map((m) => m[1].split(' ').length);
    expect(lines).toEqual([161, 161]);
    expect(svg).toContain('stroke-dasharray'); // the derivative is dashed
    const dir = mkdtempSync(join(tmpdir(), 'course-activations-'));
    try {
      expect(writeActivationSvgs(dir)).toHaveLength(13);
      expect(readdirSync(dir).sort()).toEqual(Object.keys(ACTIVATIONS).map((n) => `${n}.svg`).sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(() => activationSvg('relu6')).toThrow('activationCurve: unknown activation "relu6"');
  });
});
