import { deserialize, serialize } from '@nn/core';
import { Generator, tensor } from '@nn/tensor';
import { describe, expect, it } from 'vitest';
import { cutmix, mixup, sampleBeta, sampleGamma, type Mixup } from './index.js';
import { image, values } from './testing.js';

const stats = (xs: number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { mean, variance: xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length };
};

describe('Gamma and Beta sampling (Marsaglia–Tsang)', () => {
  it('Gamma(k) has mean k and variance k, also for k < 1', () => {
    for (const k of [0.3, 1, 2.5]) {
      const g = new Generator(42);
      const s = stats(Array.from({ length: 40000 }, () => sampleGamma(g, k)));
      expect(Math.abs(s.mean - k)).toBeLessThan(0.03 * Math.max(1, k));
      expect(Math.abs(s.variance - k)).toBeLessThan(0.08 * Math.max(1, k));
    }
  });

  it('lambda ~ Beta(alpha, alpha): mean 1/2, variance 1/(4(2 alpha + 1))', () => {
    for (const alpha of [0.2, 1, 4]) {
      const g = new Generator(7);
      const s = stats(Array.from({ length: 40000 }, () => sampleBeta(g, alpha, alpha)));
      expect(Math.abs(s.mean - 0.5)).toBeLessThan(0.01);
      expect(Math.abs(s.variance - 1 / (4 * (2 * alpha + 1)))).toBeLessThan(0.004);
    }
  });

  it('mixup draws its lambdas from Beta(alpha, alpha) on its own stream', () => {
    const alpha = 0.4;
    const m = mixup({ alpha, seed: 11 });
    const batch = { image: image(2, 2, 1, 4), labels: tensor([[1, 0], [0, 1], [1, 0], [0, 1]]) };
    const lambdas = Array.from({ length: 4000 }, () => {
      m.apply(batch);
      return (m.lastParams!.record as { lambda: number }).lambda;
    });
    const s = stats(lambdas);
    expect(Math.abs(s.mean - 0.5)).toBeLessThan(0.02);
    expect(Math.abs(s.variance - 1 / (4 * (2 * alpha + 1)))).toBeLessThan(0.01);
    expect(lambdas.every((l) => l >= 0 && l <= 1)).toBe(true);
  });
});

describe('mixup', () => {
  it('mixes images and labels with the same lambda and permutation', () => {
    const x = image(3, 3, 2, 5);
    const y = tensor([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0.5, 0.5, 0], [0, 0, 1]]);
    const m = mixup({ alpha: 0.5, seed: 3 });
    const out = m.apply({ image: x, labels: y });
    const { lambda, perm } = m.lastParams!.record as { lambda: number; perm: number[] };
    expect([...perm].sort()).toEqual([0, 1, 2, 3, 4]);
    const xv = x.toArray() as number[][][][];
    const yv = y.toArray() as number[][];
    const expectImage = xv.map((img, i) => img.map((r, a) => r.map((p, b) => p.map((v, k) => lambda * v + (1 - lambda) * xv[perm[i]][a][b][k]))));
    const expectLabels = yv.map((row, i) => row.map((v, k) => lambda * v + (1 - lambda) * yv[perm[i]][k]));
    (out.image.toArray() as number[][][][]).flat(3).forEach((v, i) => expect(v).toBeCloseTo(expectImage.flat(3)[i], 4));
    (out.labels!.toArray() as number[][]).flat().forEach((v, i) => expect(v).toBeCloseTo(expectLabels.flat()[i], 6));
    for (const row of out.labels!.toArray() as number[][]) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it('one-hots class ids with numClasses, even when p skips the batch', () => {
    const ids = tensor([2, 0, 1]);
    const on = mixup({ numClasses: 3, seed: 1 }).apply({ image: image(2, 2, 1, 3), labels: ids });
    expect(on.labels!.shape).toEqual([3, 3]);
    const off = mixup({ numClasses: 3, p: 0 }).apply({ image: image(2, 2, 1, 3), labels: ids });
    expect(off.labels!.toArray()).toEqual([[0, 0, 1], [1, 0, 0], [0, 1, 0]]);
    expect(values(off.image)).toEqual(values(image(2, 2, 1, 3)));
  });
});

describe('mixup with a fixed lambda', () => {
  it('mixes every batch with the given λ: x̃ = λ·x + (1 − λ)·x[perm], ỹ likewise (hand values)', () => {
    // two images, constant 10 and 20, one-hot labels: any permutation other than the identity swaps them
    const x = image(2, 2, 1, 2, (b) => 10 * (b + 1));
    const y = tensor([[1, 0], [0, 1]]);
    const m = mixup({ lambda: 0.7, seed: 4 });
    for (let trial = 0; trial < 5; trial++) {
      const out = m.apply({ image: x, labels: y });
      const { lambda, perm } = m.lastParams!.record as { lambda: number; perm: number[] };
      expect(lambda).toBe(0.7);
      const swapped = perm[0] === 1;
      const first = swapped ? 0.7 * 10 + 0.3 * 20 : 10;
      expect(values(out.image).slice(0, 4).every((v) => Math.abs(v - first) < 1e-5)).toBe(true);
      (out.labels!.toArray() as number[][])[0].forEach((v, k) => expect(v).toBeCloseTo(swapped ? [0.7, 0.3][k] : [1, 0][k], 6));
    }
  });

  it('λ = 1 leaves the batch as it was; λ = 0.5 averages each pair', () => {
    const x = image(3, 3, 2, 4);
    const y = tensor([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]]);
    expect(values(mixup({ lambda: 1, seed: 2 }).apply({ image: x, labels: y }).image)).toEqual(values(x));
    const m = mixup({ lambda: 0.5, seed: 2 });
    const out = m.apply({ image: x, labels: y });
    const { perm } = m.lastParams!.record as { perm: number[] };
    const xv = x.toArray() as number[][][][];
    (out.image.toArray() as number[][][][]).forEach((img, i) => img.flat(2).forEach((v, k) => expect(v).toBeCloseTo((xv[i].flat(2)[k] + xv[perm[i]].flat(2)[k]) / 2, 4)));
  });

  it('is checked, and kept in the config instead of alpha', () => {
    expect(() => mixup({ lambda: 1.5 })).toThrow(/mixup: lambda/);
    expect(() => mixup({ lambda: -0.1 })).toThrow(/mixup: lambda/);
    expect(() => mixup({ lambda: 0.5, alpha: 0.2 })).toThrow('mixup: give either alpha (λ drawn from Beta(α, α) per batch) or lambda (a fixed λ), not both');
    expect(() => mixup({ lamda: 0.5 } as never)).toThrow(/did you mean "lambda"/);
    const m = mixup({ lambda: 0.3, numClasses: 3 });
    expect(m.getConfig()).toMatchObject({ lambda: 0.3, numClasses: 3 });
    expect(m.getConfig()).not.toHaveProperty('alpha');
    expect(deserialize<Mixup>(JSON.stringify(serialize(m))).lambda).toBe(0.3);
    expect(mixup({ alpha: 0.2 }).lambda).toBeUndefined();
  });
});

describe('cutmix', () => {
  it('pastes a box from the paired image; label weights equal the pasted area fraction', () => {
    const n = 6;
    const x = image(8, 10, 1, n, (b) => b); // image b is constant b
    const y = tensor(Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, k) => (k === i ? 1 : 0))));
    const cm = cutmix({ seed: 5 });
    for (let trial = 0; trial < 20; trial++) {
      const out = cm.apply({ image: x, labels: y });
      const { lambda, perm, box } = cm.lastParams!.record as { lambda: number; perm: number[]; box: number[] };
      const [x1, y1, x2, y2] = box;
      expect(lambda).toBeCloseTo(1 - ((x2 - x1) * (y2 - y1)) / 80, 10);
      const imgs = out.image.toArray() as number[][][][];
      const labels = out.labels!.toArray() as number[][];
      imgs.forEach((img, i) => {
        const pasted = img.flat(2).filter((v) => v === perm[i] && perm[i] !== i).length;
        if (perm[i] !== i) expect(pasted / 80).toBeCloseTo(1 - lambda, 10);
        // the label weight of the pasted class is the pasted area fraction
        expect(labels[i][perm[i]]).toBeCloseTo(perm[i] === i ? 1 : 1 - lambda, 5);
        expect(labels[i].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
        for (let r = 0; r < 8; r++) for (let c = 0; c < 10; c++) expect(img[r][c][0]).toBe(r >= y1 && r < y2 && c >= x1 && c < x2 ? perm[i] : i);
      });
    }
  });

  it('pastes masks with the image', () => {
    const x = image(4, 4, 1, 2, (b) => b);
    const mask = image(4, 4, 1, 2, (b) => 10 + b);
    const cm = cutmix({ seed: 2 });
    const out = cm.apply({ image: x, mask, labels: tensor([[1, 0], [0, 1]]) });
    expect(values(out.mask!)).toEqual(values(out.image).map((v) => v + 10));
  });
});
