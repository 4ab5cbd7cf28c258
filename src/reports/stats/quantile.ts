import { assertFiniteSample, type NumericSample } from './input-checks.js';
import { StatsInputError } from './stats-input-error.js';

/**
 * Sample quantiles by R's default definition, `quantile(x, probs, type = 7)` (Hyndman and Fan 1996,
 * definition 7): with the sorted sample x(1) <= ... <= x(n) and h = 1 + (n - 1) p,
 * Q(p) = (1 - g) x(floor h) + g x(floor h + 1), where g = h - floor h.
 *
 * Ties need no special handling (equal order statistics interpolate to themselves). A single value is
 * every quantile of itself. The result is in the units of `x`.
 *
 * @param x sample, any order; not modified.
 * @param probs probabilities in [0, 1], e.g. [0.5, 0.9].
 * @returns one quantile per probability, in the order of `probs`.
 * @throws StatsInputError for an empty sample, a non-finite value, or a probability outside [0, 1].
 */
export function quantiles(x: NumericSample, probs: readonly number[]): number[] {
  assertFiniteSample(x, 'x', 1);
  const sorted = Float64Array.from(x).sort();
  return probs.map((p, i) => {
    if (!(p >= 0 && p <= 1)) {
      throw new StatsInputError('probs', `probs[${i}] must be between 0 and 1, got ${String(p)}.`);
    }
    return quantileOfSorted(sorted, p);
  });
}

/** One type-7 quantile; see {@link quantiles}. */
export function quantile(x: NumericSample, p: number): number {
  return quantiles(x, [p])[0]!;
}

/** Median (type-7 quantile at 0.5, equal to R's `median`). */
export function median(x: NumericSample): number {
  return quantile(x, 0.5);
}

/** 90th percentile (type-7 quantile at 0.9), used for time-on-task tails. */
export function p90(x: NumericSample): number {
  return quantile(x, 0.9);
}

/**
 * Type-7 quantile of an already sorted, validated sample (ascending). Exposed for callers that take many
 * quantiles of one large sample and want to sort once.
 */
export function quantileOfSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  const index = (n - 1) * p; // zero-based h - 1
  const lo = Math.floor(index);
  const hi = Math.ceil(index);
  const low = sorted[lo]!;
  const high = sorted[hi]!;
  if (index === lo || high === low) return low;
  const g = index - lo;
  // Same arithmetic form as R's quantile.default so results agree to the last bit in ordinary cases.
  return (1 - g) * low + g * high;
}
