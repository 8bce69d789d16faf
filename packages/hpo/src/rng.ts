import { ErrorCode, NNError, Xoshiro128 } from '@nn/core';

/** splitmix32: spreads a seed over the 128-bit state so nearby seeds give unrelated streams. */
function splitmix32(a: number): () => number {
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let t = a ^ (a >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    t ^= t >>> 15;
    return t >>> 0;
  };
}

/**
 * A small seeded generator (@nn/core's xoshiro128**, seeded here through splitmix32), so every sampler is
 * reproducible without depending on @nn/tensor. Its whole state is four 32-bit words: `getState`/`setState`
 * let a sampler's position survive a study resume.
 */
export class RNG extends Xoshiro128 {
  /** `seed` may be any finite number; omitted, a random seed is drawn from `Math.random`. */
  constructor(seed?: number) {
    super();
    if (seed !== undefined && (typeof seed !== 'number' || !Number.isFinite(seed))) {
      throw new NNError(ErrorCode.InvalidArgument, `RNG: seed must be a finite number, got ${String(seed)}`, { seed });
    }
    const value = seed ?? Math.floor(Math.random() * 2 ** 32);
    const lo = value >>> 0;
    const hi = Math.floor(Math.abs(value) / 2 ** 32) >>> 0;
    const mix = splitmix32(lo ^ Math.imul(hi, 0x85ebca6b) ^ (value < 0 ? 0x5bd1e995 : 0));
    this.setWords([mix(), mix(), mix(), mix()]);
  }

  /** A float in [0, 1) with 53 random bits. */
  random(): number {
    return this.nextFloat();
  }

  /** A float in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.random();
  }

  /** An integer in [low, high], both ends included. */
  integer(low: number, high: number): number {
    return low + Math.floor(this.random() * (high - low + 1));
  }

  /** A standard normal draw (Box–Muller; no cached second draw, so the state stays four words). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.random());
  }

  /** One element of `items`, uniformly. */
  choice<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }

  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }

  /** A new generator seeded from this one: independent streams for sub-samplers, reproducible from one seed. */
  spawn(): RNG {
    return new RNG(this.nextUint32() * 2 ** 20 + (this.nextUint32() >>> 12));
  }

  /** The four state words, as JSON-friendly numbers. */
  getState(): number[] {
    return Array.from(this.s);
  }

  /** Restores a state from {@link getState}. */
  setState(state: readonly number[]): void {
    if (!Array.isArray(state) || state.length !== 4 || !state.every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32)) {
      throw new NNError(ErrorCode.StateMismatch, 'RNG.setState: expected four 32-bit unsigned integers', { state });
    }
    if (state.every((v) => v === 0)) throw new NNError(ErrorCode.StateMismatch, 'RNG.setState: the all-zero state is invalid for xoshiro128**');
    this.s.set(state);
  }
}
