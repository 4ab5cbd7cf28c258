import { StatsInputError } from './stats-input-error.js';

const TWO_POW_32 = 4294967296;
const INV_TWO_POW_32 = 1 / TWO_POW_32;
// r * n < 2^53 for every 32-bit r, so the product is exact.
const MAX_EXACT_MULTIPLY = 2 ** 21;
const MASK_64 = (1n << 64n) - 1n;

/**
 * xoshiro128** 1.0 (Blackman and Vigna, "Scrambled linear pseudorandom number generators", ACM TOMS
 * 2021; reference C code xoshiro128starstar.c): a small, fast, well-tested 32-bit generator with a
 * 128-bit state and period 2^128 - 1. It only uses 32-bit integer operations, so it runs at full speed
 * in JavaScript without BigInt.
 *
 * Not cryptographic. Its job is reproducibility: the same seed gives the same bootstrap replicates on
 * every machine, so a reported interval can be regenerated exactly.
 */
export class Xoshiro128StarStar {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /**
   * Starts from an explicit 128-bit state given as four unsigned 32-bit words (s[0]..s[3] of the
   * reference code). Prefer {@link Xoshiro128StarStar.fromSeed} unless reproducing a published vector.
   *
   * @throws StatsInputError when a word is not a 32-bit unsigned integer or the state is all zero.
   */
  constructor(state: readonly [number, number, number, number]) {
    for (const [i, w] of state.entries()) {
      if (!Number.isInteger(w) || w < 0 || w >= TWO_POW_32) {
        throw new StatsInputError('state', `state[${i}] must be an unsigned 32-bit integer, got ${w}.`);
      }
    }
    if (state.every((w) => w === 0)) {
      throw new StatsInputError('state', 'the all-zero state is not allowed for xoshiro generators.');
    }
    [this.s0, this.s1, this.s2, this.s3] = state.map((w) => w | 0) as [number, number, number, number];
  }

  /**
   * Seeds the generator from one integer by running SplitMix64 twice, the seeding method the xoshiro
   * authors recommend: the first 64-bit output fills s[0] (low word) and s[1] (high word), the second
   * s[2] and s[3].
   *
   * @param seed integer in [0, 2^64), as a number (safe integer) or bigint.
   */
  static fromSeed(seed: number | bigint): Xoshiro128StarStar {
    const start = typeof seed === 'bigint' ? seed : Number.isSafeInteger(seed) ? BigInt(seed) : -1n;
    if (start < 0n || start > MASK_64) {
      throw new StatsInputError(
        'seed',
        `seed must be a whole number from 0 to 2^64 - 1, got ${String(seed)}.`,
      );
    }
    const mixer = splitMix64(start);
    const a = mixer();
    const b = mixer();
    const low = (v: bigint): number => Number(v & 0xffffffffn);
    const high = (v: bigint): number => Number(v >> 32n);
    return new Xoshiro128StarStar([low(a), high(a), low(b), high(b)]);
  }

  /** Next output as an unsigned 32-bit integer, exactly as the reference `next()`. */
  nextUint32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 = s1 ^ this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits (two outputs). */
  nextFloat(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /**
   * Uniform integer in [0, n) without bias, by Lemire's multiply-and-reject method ("Fast random
   * integer generation in an interval", ACM TOMS 2019): the 32-bit output r maps to floor(r n / 2^32),
   * and the few r whose low part r n mod 2^32 falls below 2^32 mod n are redrawn. For n up to 2^21 the
   * product is exact in a double, which keeps this a multiply and a floor in the common case; larger n
   * use plain rejection with a modulo.
   *
   * @param n whole number from 1 to 2^32.
   */
  nextInt(n: number): number {
    if (n <= MAX_EXACT_MULTIPLY) {
      let m = this.nextUint32() * n;
      let high = Math.floor(m * INV_TWO_POW_32);
      let low = m - high * TWO_POW_32;
      if (low < n) {
        const threshold = (TWO_POW_32 - n) % n;
        while (low < threshold) {
          m = this.nextUint32() * n;
          high = Math.floor(m * INV_TWO_POW_32);
          low = m - high * TWO_POW_32;
        }
      }
      return high;
    }
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const r = this.nextUint32();
      if (r < limit) return r % n;
    }
  }

  /** Current state as four unsigned 32-bit words, for tests and checkpoints. */
  state(): [number, number, number, number] {
    return [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0];
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * SplitMix64 (Steele, Lea and Flood 2014; Vigna's splitmix64.c), used only to expand a seed into a
 * generator state. BigInt is fine here: it runs twice per seeding.
 */
export function splitMix64(seed: bigint): () => bigint {
  let state = seed & MASK_64;
  return () => {
    state = (state + 0x9e3779b97f4a7c15n) & MASK_64;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK_64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK_64;
    return z ^ (z >> 31n);
  };
}
