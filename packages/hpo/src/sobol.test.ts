import { describe, expect, it } from 'vitest';
import { SOBOL_MAX_DIMS, SobolSequence, isPrimitive, primitivePolynomials } from './sobol.js';

// Unscrambled points (× 2³²) of SciPy's `qmc.Sobol(d=40, scramble=False, bits=32)`, which uses Joe and
// Kuo's new-joe-kuo-6.21201 direction numbers, at a few indices.
const REF: Record<number, number[]> = {
  1: [2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648],
  2: [3221225472, 1073741824, 1073741824, 1073741824, 3221225472, 3221225472, 1073741824, 3221225472, 3221225472, 3221225472, 3221225472, 3221225472, 1073741824, 1073741824, 3221225472, 1073741824, 3221225472, 1073741824, 3221225472, 1073741824, 1073741824, 3221225472, 1073741824, 1073741824, 1073741824, 3221225472, 1073741824, 3221225472, 1073741824, 3221225472, 1073741824, 1073741824, 1073741824, 3221225472, 3221225472, 3221225472, 1073741824, 1073741824, 1073741824, 1073741824],
  3: [1073741824, 3221225472, 3221225472, 3221225472, 1073741824, 1073741824, 3221225472, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 3221225472, 3221225472, 1073741824, 3221225472, 1073741824, 3221225472, 1073741824, 3221225472, 3221225472, 1073741824, 3221225472, 3221225472, 3221225472, 1073741824, 3221225472, 1073741824, 3221225472, 1073741824, 3221225472, 3221225472, 3221225472, 1073741824, 1073741824, 1073741824, 3221225472, 3221225472, 3221225472, 3221225472],
  5: [3758096384, 3758096384, 536870912, 1610612736, 3758096384, 2684354560, 3758096384, 1610612736, 1610612736, 536870912, 1610612736, 3758096384, 3758096384, 536870912, 3758096384, 1610612736, 3758096384, 1610612736, 1610612736, 2684354560, 2684354560, 2684354560, 3758096384, 1610612736, 1610612736, 1610612736, 3758096384, 536870912, 2684354560, 2684354560, 3758096384, 2684354560, 1610612736, 1610612736, 536870912, 536870912, 536870912, 1610612736, 3758096384, 1610612736],
  100: [1778384896, 1107296256, 3321888768, 3120562176, 3791650816, 3187671040, 100663296, 2046820352, 2717908992, 2986344448, 1979711488, 2919235584, 2046820352, 3657433088, 1375731712, 2113929216, 2919235584, 3187671040, 3590324224, 1442840576, 3254779904, 1711276032, 33554432, 2113929216, 100663296, 33554432, 4060086272, 2852126720, 1040187392, 3120562176, 3053453312, 1778384896, 1107296256, 1107296256, 1577058304, 2852126720, 4194304000, 2046820352, 3858759680, 570425344],
  777: [2973761536, 4022337536, 700448768, 1178599424, 2730491904, 1530920960, 817889280, 3275751424, 1497366528, 1388314624, 3200253952, 2990538752, 1648361472, 2034237440, 2445279232, 2210398208, 1732247552, 3711959040, 1589641216, 3233808384, 1019215872, 1170210816, 4064280576, 2067791872, 1480589312, 624951296, 255852544, 3351248896, 272629760, 473956352, 2327838720, 3862953984, 482344960, 12582912, 3460300800, 4064280576, 1983905792, 1505755136, 1472200704, 1539309568],
  1023: [4194304, 3233808384, 2629828608, 624951296, 801112064, 1883242496, 599785472, 2654994432, 1480589312, 3653238784, 2915041280, 155189248, 557842432, 2856321024, 1556086784, 1992294400, 1346371584, 3762290688, 2512388096, 1371537408, 3720347648, 79691776, 3409969152, 843055104, 1027604480, 1614807040, 2185232384, 3267362816, 3611295744, 1866465280, 3988783104, 2638217216, 1941962752, 3753902080, 1430257664, 3711959040, 4047503360, 4240441344, 3871342592, 2998927360],
};

describe('Sobol sequence', () => {
  it('generates the primitive polynomials in Joe and Kuo’s order', () => {
    expect(primitivePolynomials(12)).toEqual([
      { s: 1, a: 0 }, { s: 2, a: 1 }, { s: 3, a: 1 }, { s: 3, a: 2 }, { s: 4, a: 1 }, { s: 4, a: 4 },
      { s: 5, a: 2 }, { s: 5, a: 4 }, { s: 5, a: 7 }, { s: 5, a: 11 }, { s: 5, a: 13 }, { s: 5, a: 14 },
    ]);
    expect(isPrimitive(4, 0)).toBe(false); // x⁴ + 1 = (x + 1)⁴
    expect(isPrimitive(4, 7)).toBe(false); // x⁴+x³+x²+x+1 divides x⁵ - 1: order 5, not 15
  });

  it('starts with the textbook unscrambled points', () => {
    const s = new SobolSequence({ dims: 3, scramble: false });
    const first = Array.from({ length: 8 }, (_, i) => Array.from(s.point(i)));
    expect(first).toEqual([
      [0, 0, 0],
      [0.5, 0.5, 0.5],
      [0.75, 0.25, 0.25],
      [0.25, 0.75, 0.75],
      [0.375, 0.375, 0.625],
      [0.875, 0.875, 0.125],
      [0.625, 0.125, 0.875],
      [0.125, 0.625, 0.375],
    ]);
  });

  it(`matches SciPy's Joe–Kuo points in all ${SOBOL_MAX_DIMS} dimensions`, () => {
    const s = new SobolSequence({ dims: SOBOL_MAX_DIMS, scramble: false });
    for (const [index, want] of Object.entries(REF)) {
      expect(Array.from(s.point(Number(index)), (v) => v * 2 ** 32)).toEqual(want);
    }
  });

  it('is reproducible under a seed and differs across seeds', () => {
    const a = new SobolSequence({ dims: 5, seed: 7 }).points(16);
    const b = new SobolSequence({ dims: 5, seed: 7 }).points(16);
    const c = new SobolSequence({ dims: 5, seed: 8 }).points(16);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('stays a stratified net after scrambling', () => {
    const dims = 21;
    const s = new SobolSequence({ dims, seed: 123 });
    const n = 1024;
    const pts = s.points(n);
    for (let d = 0; d < dims; d++) {
      // Each of the 1024 intervals [k/1024, (k+1)/1024) holds exactly one point in every coordinate.
      const seen = new Set<number>();
      let mean = 0;
      for (let i = 0; i < n; i++) {
        const v = pts[i * dims + d];
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThan(1);
        seen.add(Math.floor(v * n));
        mean += v / n;
      }
      expect(seen.size).toBe(n);
      expect(Math.abs(mean - 0.5)).toBeLessThan(1e-3);
    }
    // Dimensions 1 and 2 form a (0, m, 2)-net: every 32×32 box of the unit square holds exactly one point.
    const boxes = new Set<number>();
    for (let i = 0; i < n; i++) boxes.add(Math.floor(pts[i * dims] * 32) * 32 + Math.floor(pts[i * dims + 1] * 32));
    expect(boxes.size).toBe(n);
    // No point at the origin, unlike the unscrambled sequence.
    expect(pts[0] + pts[1]).toBeGreaterThan(0);
  });

  it('has low discrepancy: a 2-D box count is far closer to its area than random points manage', () => {
    const s = new SobolSequence({ dims: 8, seed: 1 });
    const n = 4096;
    let worst = 0;
    for (const [d1, d2] of [[0, 1], [3, 7], [5, 6]]) {
      for (const [bx, by] of [[0.3, 0.7], [0.55, 0.2], [0.9, 0.9]]) {
        let count = 0;
        for (let i = 0; i < n; i++) if (s.coordinate(i, d1) < bx && s.coordinate(i, d2) < by) count++;
        worst = Math.max(worst, Math.abs(count / n - bx * by));
      }
    }
    // Random points would be off by about √(p(1-p)/n) ≈ 0.007 here.
    expect(worst).toBeLessThan(2e-3);
  });

  it('rejects dimensions it has no direction numbers for', () => {
    expect(() => new SobolSequence({ dims: SOBOL_MAX_DIMS + 1 })).toThrow(/dims must be an integer/);
  });
});
