import { assertFiniteSample, type NumericSample } from './input-checks.js';

/**
 * Arithmetic mean.
 *
 * @throws StatsInputError for an empty sample or a non-finite value.
 */
export function mean(x: NumericSample): number {
  assertFiniteSample(x, 'x', 1);
  return meanUnchecked(x);
}

/**
 * Sample variance with divisor n - 1 (R's `var`). Two-pass algorithm: the mean is taken first, then the
 * squared deviations, which avoids the cancellation of the one-pass sum-of-squares formula.
 *
 * @throws StatsInputError for fewer than 2 values or a non-finite value.
 */
export function variance(x: NumericSample): number {
  assertFiniteSample(x, 'x', 2);
  return varianceUnchecked(x, meanUnchecked(x));
}

/** Sample standard deviation, divisor n - 1 (R's `sd`). Same edge cases as {@link variance}. */
export function standardDeviation(x: NumericSample): number {
  return Math.sqrt(variance(x));
}

/** Mean of an already validated sample. */
export function meanUnchecked(x: NumericSample): number {
  let sum = 0;
  for (let i = 0; i < x.length; i += 1) sum += x[i]!;
  const m = sum / x.length;
  // One correction pass (as R's mean does) removes most of the rounding error of the naive sum.
  let correction = 0;
  for (let i = 0; i < x.length; i += 1) correction += x[i]! - m;
  return m + correction / x.length;
}

/** Variance (divisor n - 1) of an already validated sample around a given mean. */
export function varianceUnchecked(x: NumericSample, m: number): number {
  let ss = 0;
  for (let i = 0; i < x.length; i += 1) {
    const d = x[i]! - m;
    ss += d * d;
  }
  return ss / (x.length - 1);
}
