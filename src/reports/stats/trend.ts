import { tQuantile, tTwoSidedP } from './distributions.js';
import { assertConfidence, assertFinite, assertFiniteSample, type NumericSample } from './input-checks.js';
import { meanUnchecked } from './moments.js';
import { StatsInputError } from './stats-input-error.js';

/** Straight-line trend of y on time; slope is in y units per time unit. */
export interface LinearTrend {
  n: number;
  intercept: number;
  slope: number;
  /** Standard error of the slope. */
  slopeSe: number;
  /** Residual standard error, sqrt(RSS / (n - 2)). */
  sigma: number;
  df: number;
  /** t statistic and two-sided p-value for H0: slope = 0. */
  t: number;
  p: number;
  slopeLower: number;
  slopeUpper: number;
  confidence: number;
  /** Kept for {@link predictTrend}: mean of time and sum of squares of time around it. */
  timeMean: number;
  timeSumSquares: number;
}

/** A prediction for one future time with a prediction interval for a single new observation. */
export interface TrendPrediction {
  time: number;
  fit: number;
  lower: number;
  upper: number;
  confidence: number;
}

/**
 * Ordinary least squares fit of y on time, y = a + b t + e, as R's `lm(y ~ t)` with `confint` for the
 * slope. This is the fallback attribution when no control group exists: it describes a trend, it does
 * not separate the training effect from anything else that changed over the same period, and residuals
 * of monthly business metrics are often autocorrelated, which makes these intervals too narrow.
 *
 * @param time observation times (e.g. months since launch); not all equal.
 * @param y outcome values, same length and order as `time`.
 * @param confidence two-sided level for the slope interval, default 0.95.
 * @throws StatsInputError for fewer than 3 points (no residual degrees of freedom), unequal lengths,
 *   non-finite values, or all times equal.
 */
export function linearTrend(time: NumericSample, y: NumericSample, confidence = 0.95): LinearTrend {
  assertFiniteSample(time, 'time', 3);
  assertFiniteSample(y, 'y', 3);
  assertConfidence(confidence);
  if (time.length !== y.length) {
    throw new StatsInputError(
      'y',
      `time has ${time.length} values but y has ${y.length}; pass one y per time.`,
    );
  }
  const n = time.length;
  const tm = meanUnchecked(time);
  const ym = meanUnchecked(y);
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i += 1) {
    const dt = time[i]! - tm;
    sxx += dt * dt;
    sxy += dt * (y[i]! - ym);
  }
  if (sxx === 0) {
    throw new StatsInputError('time', 'all observation times are equal, so no trend can be estimated.');
  }
  const slope = sxy / sxx;
  const intercept = ym - slope * tm;
  let rss = 0;
  for (let i = 0; i < n; i += 1) {
    const r = y[i]! - (intercept + slope * time[i]!);
    rss += r * r;
  }
  const df = n - 2;
  const sigma = Math.sqrt(rss / df);
  const slopeSe = sigma / Math.sqrt(sxx);
  const q = tQuantile(1 - (1 - confidence) / 2, df);
  const t = slope / slopeSe;
  return {
    n,
    intercept,
    slope,
    slopeSe,
    sigma,
    df,
    t,
    p: tTwoSidedP(t, df),
    slopeLower: slope - q * slopeSe,
    slopeUpper: slope + q * slopeSe,
    confidence,
    timeMean: tm,
    timeSumSquares: sxx,
  };
}

/**
 * Prediction for a future time with a prediction interval for one new observation, as R's
 * `predict(fit, data.frame(t = time), interval = "prediction", level = confidence)`:
 * fit -/+ qt(1 - alpha/2, n - 2) * sigma * sqrt(1 + 1/n + (time - mean(t))^2 / Sxx).
 *
 * The interval widens the further `time` is from the observed times; far extrapolation relies entirely
 * on the straight-line assumption.
 */
export function predictTrend(fit: LinearTrend, time: number, confidence = fit.confidence): TrendPrediction {
  assertFinite(time, 'time');
  assertConfidence(confidence);
  const value = fit.intercept + fit.slope * time;
  const dt = time - fit.timeMean;
  const se = fit.sigma * Math.sqrt(1 + 1 / fit.n + (dt * dt) / fit.timeSumSquares);
  const q = tQuantile(1 - (1 - confidence) / 2, fit.df);
  return { time, fit: value, lower: value - q * se, upper: value + q * se, confidence };
}
