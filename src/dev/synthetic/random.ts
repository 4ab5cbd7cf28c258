import { Xoshiro128StarStar } from '../../reports/stats/prng.js';

/**
 * Seeded random draws for synthetic data, on the same generator the bootstrap uses, so a seed always
 * produces the same data set on every machine.
 */
export class SeededRandom {
  private readonly rng: Xoshiro128StarStar;
  private spareNormal: number | undefined;

  constructor(seed: number) {
    this.rng = Xoshiro128StarStar.fromSeed(seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.rng.nextFloat();
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + this.rng.nextInt(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.rng.nextInt(items.length)]!;
  }

  /** A shuffled copy (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.rng.nextInt(i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  /** Standard normal by the Marsaglia polar method. */
  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== undefined) {
      const z = this.spareNormal;
      this.spareNormal = undefined;
      return mean + sd * z;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * f;
    return mean + sd * u * f;
  }

  /** Log-normal with the given median and log-scale sd (durations, costs). */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(this.normal(0, sigma));
  }

  /** A version-4-shaped UUID drawn from this generator (deterministic, not for secrets). */
  uuid(): string {
    const hex = Array.from({ length: 4 }, () => this.rng.nextUint32().toString(16).padStart(8, '0')).join('');
    const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}

export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
