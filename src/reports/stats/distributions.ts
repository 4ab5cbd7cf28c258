import normalCdfStd from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantileStd from '@stdlib/stats-base-dists-normal-quantile';
import tCdfStd from '@stdlib/stats-base-dists-t-cdf';
import tQuantileStd from '@stdlib/stats-base-dists-t-quantile';

// Thin, named wrappers so calculators read like R (pnorm, qnorm, pt, qt) and the stdlib argument order
// lives in one place.

/** Standard normal CDF, R's `pnorm(x)`. */
export function normalCdf(x: number): number {
  return normalCdfStd(x, 0, 1);
}

/** Standard normal quantile, R's `qnorm(p)`; p in [0, 1]. */
export function normalQuantile(p: number): number {
  return normalQuantileStd(p, 0, 1);
}

/** Student t CDF with `df` (real, > 0) degrees of freedom, R's `pt(x, df)`. */
export function tCdf(x: number, df: number): number {
  return tCdfStd(x, df);
}

/** Student t quantile with `df` (real, > 0) degrees of freedom, R's `qt(p, df)`. */
export function tQuantile(p: number, df: number): number {
  return tQuantileStd(p, df);
}

/** Two-sided p-value of a t statistic, R's `2 * pt(-abs(t), df)`. */
export function tTwoSidedP(t: number, df: number): number {
  return 2 * tCdfStd(-Math.abs(t), df);
}
