/**
 * xoshiro128** (Blackman & Vigna): a 128-bit state of four 32-bit words and its step, in 32-bit integer
 * arithmetic only, so a state gives the same numbers on every JS engine and platform. The base of @nn/tensor's
 * `Generator` and @nn/hpo's `RNG`, which seed the state their own way (their seeded streams are pinned) and add
 * their own draws; this class holds what they share.
 */
export class Xoshiro128 {
  /** The state words. Never all zero: xoshiro would then give zeros forever. */
  protected readonly s = new Uint32Array(4);

  /** Sets the state from four words (taken modulo 2^32); an all-zero state becomes [1, 0, 0, 0]. */
  protected setWords(words: ArrayLike<number>): void {
    for (let i = 0; i < 4; i++) this.s[i] = words[i] >>> 0;
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1;
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** A float uniform on [0, 1) with 53 random bits (two draws). */
  nextFloat(): number {
    return ((this.nextUint32() >>> 5) * 67108864 + (this.nextUint32() >>> 6)) / 9007199254740992;
  }
}

const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;
