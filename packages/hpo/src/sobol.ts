import { ErrorCode, NNError } from '@nn/core';
import { RNG } from './rng.js';

/**
 * Initial direction numbers m_1..m_s of Joe and Kuo's `new-joe-kuo-6.21201` set (2008) for dimensions 2 to
 * 40, one row per dimension. Only the m_i are data: the primitive polynomial of each dimension (its degree
 * s and inner coefficients a) is generated below by enumerating the primitive polynomials over GF(2) in
 * Joe and Kuo's order (by degree, then by a), and each row's length must equal its polynomial's degree —
 * which checks the table against the enumeration. Dimension 1 (van der Corput) needs no row.
 */
const JOE_KUO_M =
  '1|1 3|1 3 1|1 1 1|1 1 3 3|1 3 5 13|1 1 5 5 17|1 1 5 5 5|1 1 7 11 19|1 1 5 1 1|1 1 1 3 11|1 3 5 5 31|' +
  '1 3 3 9 7 49|1 1 1 15 21 21|1 3 1 13 27 49|1 1 1 15 7 5|1 3 1 15 13 25|1 1 5 5 19 61|' +
  '1 3 7 11 23 15 103|1 3 7 13 13 15 69|1 1 3 13 7 35 63|1 3 5 9 1 25 53|1 3 1 13 9 35 107|1 3 1 5 27 61 31|' +
  '1 1 5 11 19 41 61|1 3 5 3 3 13 69|1 1 7 13 1 19 1|1 3 7 5 13 19 59|1 1 3 9 25 29 41|1 3 5 13 23 1 55|' +
  '1 3 7 3 13 59 17|1 3 1 3 5 53 69|1 1 5 5 23 33 13|1 1 7 7 1 61 123|1 1 7 9 13 61 49|1 3 3 5 3 55 33|' +
  '1 3 1 15 31 13 49 245|1 3 5 15 31 59 63 97|1 3 1 11 11 11 77 249';

/** The largest dimension this table supports. */
export const SOBOL_MAX_DIMS = 40;
const BITS = 32;

/** Whether x^s + (bits of a)·x^{s-1..1} + 1 is primitive over GF(2): x has multiplicative order 2^s - 1 modulo it. */
export function isPrimitive(s: number, a: number): boolean {
  const poly = (1 << s) | (a << 1) | 1;
  const period = (1 << s) - 1;
  let r = 1;
  for (let k = 1; k <= period; k++) {
    r <<= 1;
    if (r & (1 << s)) r ^= poly;
    if (r === 1) return k === period;
  }
  return false;
}

/** The first `count` primitive polynomials as (degree s, inner coefficients a), in Joe and Kuo's order. */
export function primitivePolynomials(count: number): { s: number; a: number }[] {
  const out: { s: number; a: number }[] = [];
  for (let s = 1; out.length < count; s++) {
    for (let a = 0; a < 1 << (s - 1) && out.length < count; a++) if (isPrimitive(s, a)) out.push({ s, a });
  }
  return out;
}

/** Direction numbers v_0..v_31 of every dimension, left-aligned in 32 bits (v_k = m_{k+1}·2^{31-k}). */
const DIRECTIONS: Uint32Array[] = (() => {
  const rows = JOE_KUO_M.split('|').map((r) => r.split(' ').map(Number));
  const polys = primitivePolynomials(rows.length);
  const all = [Uint32Array.from({ length: BITS }, (_, k) => (1 << (31 - k)) >>> 0)];
  rows.forEach((m, i) => {
    const { s, a } = polys[i];
    if (m.length !== s) throw new Error(`sobol: row for dimension ${i + 2} has ${m.length} numbers, its polynomial has degree ${s}`);
    const v = new Uint32Array(BITS);
    for (let k = 0; k < BITS; k++) {
      if (k < s) {
        v[k] = (m[k] << (31 - k)) >>> 0;
        continue;
      }
      // Bratley–Fox recurrence: v_k = v_{k-s} ⊕ (v_{k-s} >> s) ⊕ Σ_j a_j v_{k-j}.
      let x = v[k - s] ^ (v[k - s] >>> s);
      for (let j = 1; j < s; j++) if ((a >>> (s - 1 - j)) & 1) x ^= v[k - j];
      v[k] = x >>> 0;
    }
    all.push(v);
  });
  return all;
})();

function parity(x: number): number {
  x ^= x >>> 16;
  x ^= x >>> 8;
  x ^= x >>> 4;
  x ^= x >>> 2;
  x ^= x >>> 1;
  return x & 1;
}

export interface SobolOptions {
  /** Number of coordinates per point, 1 to {@link SOBOL_MAX_DIMS}. */
  dims: number;
  /** Seed of the scramble; omitted, a random one. */
  seed?: number;
  /** Randomize (default true). Unscrambled, the sequence starts at the origin and is the textbook one. */
  scramble?: boolean;
}

/**
 * A Sobol low-discrepancy sequence in [0,1)^dims with random access by index (Gray-code order, as in Joe
 * and Kuo's and SciPy's generators). Scrambled by a random linear matrix scramble plus a digital shift
 * (Matoušek 1998; SciPy's default): each dimension's direction numbers are multiplied by a random
 * lower-triangular binary matrix and the result XOR-ed with a random word. That keeps the digital-net
 * structure — every power-of-two prefix stays stratified — while removing the unscrambled sequence's
 * point at the origin and its aligned artefacts, and makes the design a seeded random variable.
 */
export class SobolSequence {
  readonly dims: number;
  private readonly directions: Uint32Array[];
  private readonly shifts: Uint32Array;

  constructor(options: SobolOptions) {
    const { dims, scramble = true } = options;
    if (!Number.isInteger(dims) || dims < 1 || dims > SOBOL_MAX_DIMS) {
      throw new NNError(ErrorCode.InvalidArgument, `SobolSequence: dims must be an integer in [1, ${SOBOL_MAX_DIMS}], got ${String(dims)}`, { dims });
    }
    this.dims = dims;
    this.shifts = new Uint32Array(dims);
    if (!scramble) {
      this.directions = DIRECTIONS.slice(0, dims);
      return;
    }
    const rng = new RNG(options.seed);
    this.directions = [];
    for (let d = 0; d < dims; d++) {
      // Row i of the lower-triangular matrix, as a mask over input bits (MSB first): random bits left of
      // the diagonal, 1 on it.
      const rows = new Uint32Array(BITS);
      for (let i = 0; i < BITS; i++) {
        const diag = (1 << (31 - i)) >>> 0;
        const aboveMask = i === 0 ? 0 : ~(diag * 2 - 1) >>> 0;
        const above = (rng.nextUint32() & aboveMask) >>> 0;
        rows[i] = (above | diag) >>> 0;
      }
      const v = new Uint32Array(BITS);
      for (let k = 0; k < BITS; k++) {
        const src = DIRECTIONS[d][k];
        let out = 0;
        for (let i = 0; i < BITS; i++) if (parity(rows[i] & src)) out |= 1 << (31 - i);
        v[k] = out >>> 0;
      }
      this.directions.push(v);
      this.shifts[d] = rng.nextUint32();
    }
  }

  /** Coordinate `dim` of point `index` (0-based; index < 2^32). */
  coordinate(index: number, dim: number): number {
    let gray = (index ^ (index >>> 1)) >>> 0;
    let x = this.shifts[dim];
    const v = this.directions[dim];
    for (let k = 0; gray !== 0; k++, gray >>>= 1) if (gray & 1) x ^= v[k];
    return (x >>> 0) / 4294967296;
  }

  /** Point `index` of the sequence. */
  point(index: number, out: Float64Array = new Float64Array(this.dims)): Float64Array {
    if (!Number.isInteger(index) || index < 0 || index >= 2 ** 32) {
      throw new NNError(ErrorCode.InvalidArgument, `SobolSequence.point: index must be an integer in [0, 2^32), got ${String(index)}`, { index });
    }
    for (let d = 0; d < this.dims; d++) out[d] = this.coordinate(index, d);
    return out;
  }

  /** `count` consecutive points from `start`, row-major. */
  points(count: number, start = 0): Float64Array {
    const out = new Float64Array(count * this.dims);
    for (let i = 0; i < count; i++) this.point(start + i, out.subarray(i * this.dims, (i + 1) * this.dims));
    return out;
  }
}
