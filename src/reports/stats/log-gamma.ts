import { StatsInputError } from './stats-input-error.js';

// Lanczos approximation with g = 7 and 9 coefficients (Godfrey's table, as popularised by Numerical
// Recipes 3rd ed., section 6.1): relative error of Gamma about 1e-15 for x >= 0.5.
const LANCZOS_G = 7;
const LANCZOS = [
  0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_TWO_PI = 0.9189385332046728;

/**
 * Natural logarithm of the gamma function for x > 0 (R's `lgamma` on the positive axis). Values below
 * 0.5 use the reflection formula. Accurate to about 1e-14 relative for moderate x; the absolute error
 * grows like x * 1e-16 for very large x, as any double-precision implementation must.
 *
 * @throws StatsInputError when x is not a positive finite number.
 */
export function logGamma(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) {
    throw new StatsInputError('x', `logGamma needs a positive finite argument, got ${x}.`);
  }
  if (x < 0.5) {
    // Gamma(x) Gamma(1 - x) = pi / sin(pi x)
    return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  }
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let k = 1; k < LANCZOS.length; k += 1) sum += LANCZOS[k]! / (z + k);
  const t = z + LANCZOS_G + 0.5;
  return HALF_LOG_TWO_PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}
