import { Xoshiro128 } from '@nn/core';
import { argError } from './shape.js';

/**
 * xoshiro128** (from @nn/core) seeded through splitmix32: 32-bit integer arithmetic only, so the same seed
 * gives the same numbers on every JS engine, platform and backend (random numbers are always drawn here, on
 * the host).
 */
export class Generator extends Xoshiro128 {
  private spare: number | null = null;

  constructor(seed = 0) {
    super();
    this.seed(seed);
  }

  /** Restarts the stream from `seed` (any finite number; its integer part is used). */
  seed(seed: number): void {
    if (!Number.isFinite(seed)) throw argError('setSeed', `seed must be a finite number, got ${seed}`);
    let x = (Math.trunc(seed) >>> 0) ^ Math.floor(Math.trunc(seed) / 2 ** 32);
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      words.push(z ^ (z >>> 16));
    }
    this.setWords(words);
    this.spare = null;
  }

  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number {
    return this.nextFloat();
  }

  /** Standard normal (Box–Muller, both outputs used). */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** An integer uniform on [0, n) without modulo bias. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 2 ** 32) throw argError('randint', `n must be an integer in [1, 2^32], got ${n}`);
    const limit = Math.floor(2 ** 32 / n) * n;
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /** A random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** The generator's full state, to save and restore a stream exactly. */
  getState(): number[] {
    return [...this.s, this.spare ?? NaN];
  }

  setState(state: readonly number[]): void {
    if (state.length !== 5) throw argError('Generator.setState', `expected 5 numbers, got ${state.length}`);
    for (let i = 0; i < 4; i++) this.s[i] = state[i] >>> 0;
    this.spare = Number.isNaN(state[4]) ? null : state[4];
  }
}

/** The global generator behind `rand`, `randn`, shuffles and initializers. */
export const globalGenerator = new Generator(0);

/** Makes every later draw from the global generator reproducible. */
export function setSeed(seed: number): void {
  globalGenerator.seed(seed);
}
