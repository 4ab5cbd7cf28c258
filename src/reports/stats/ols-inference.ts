/**
 * t-based inference for one regression coefficient: t statistic, two-sided p-value and confidence
 * interval from an estimate, its standard error and degrees of freedom (integer or, for Satterthwaite
 * approximations, fractional).
 */
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/** Inference for one coefficient. Units of estimate, se and the interval are those of the outcome. */
export interface TInference {
  readonly estimate: number;
  readonly se: number;
  /** Degrees of freedom of the reference t distribution; Infinity means the normal distribution. */
  readonly df: number;
  readonly t: number;
  /** Two-sided p-value for estimate = 0. */
  readonly p: number;
  /** Confidence level of the interval, e.g. 0.95. */
  readonly level: number;
  readonly ciLower: number;
  readonly ciUpper: number;
}

/**
 * estimate ± q se with q the (1 + level) / 2 quantile of t(df). Throws a RangeError for a level
 * outside (0, 1), a negative or non-finite SE, or df <= 0. An SE of 0 gives t = ±Infinity and p = 0
 * (or NaN when the estimate is also 0), as R does.
 */
export function tInference(estimate: number, se: number, df: number, level = 0.95): TInference {
  if (!(level > 0 && level < 1))
    throw new RangeError(`confidence level must be between 0 and 1; got ${level}`);
  if (!(se >= 0) || !Number.isFinite(se))
    throw new RangeError(`standard error must be finite and >= 0; got ${se}`);
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be positive; got ${df}`);
  const t = estimate / se;
  const normal = df === Infinity;
  const p = 2 * (normal ? normalCdf(-Math.abs(t), 0, 1) : tCdf(-Math.abs(t), df));
  const q = normal ? normalQuantile((1 + level) / 2, 0, 1) : tQuantile((1 + level) / 2, df);
  return { estimate, se, df, t, p, level, ciLower: estimate - q * se, ciUpper: estimate + q * se };
}
