import { tQuantile, tTwoSidedP } from './stats/distributions.js';
import { StatsInputError } from './stats/stats-input-error.js';
import { linearTrend } from './stats/trend.js';

/** The participants' mean of a metric in one month. `time` counts months from the first pre month. */
export interface MonthlyMean {
  month: string;
  time: number;
  phase: 'pre' | 'post';
  mean: number;
  people: number;
}

/** Post-window level against the pre-window trend projected forward (raw units, not yet oriented). */
export interface TrendShift {
  /** Mean of the post months minus the projected trend at their mean time. */
  estimate: number;
  lower: number;
  upper: number;
  se: number;
  df: number;
  p: number;
  /** The projected counterfactual level (trend at the mean post time). */
  counterfactual: number;
  slope: number;
  intercept: number;
  preMonths: number;
  postMonths: number;
}

/**
 * The trend-line fallback when a program has no comparison group: fit y = a + b t by OLS to the
 * participants' monthly means in the pre window (stats/trend.ts, as R's `lm`), project it over the post
 * months, and compare the post months' mean with the projection at their mean time t_p:
 *
 *   estimate = mean(post) - (a + b t_p),
 *   SE = sigma sqrt(1/m + 1/n + (t_p - mean(t_pre))^2 / Sxx),   t with n - 2 df,
 *
 * (n pre months, m post months): the variance of a mean of m new observations about a fitted line, which
 * is exact when monthly residuals are independent. It attributes to the training everything that moved
 * the post months off the pre-window line.
 *
 * @throws StatsInputError with fewer than 3 pre months or no post month.
 */
export function trendShift(series: readonly MonthlyMean[], confidence = 0.95): TrendShift {
  const pre = series.filter((s) => s.phase === 'pre');
  const post = series.filter((s) => s.phase === 'post');
  if (pre.length < 3)
    throw new StatsInputError(
      'pre',
      `the pre window has ${pre.length} month(s) with data; a trend needs at least 3 (extend the pre window)`,
    );
  if (post.length === 0) throw new StatsInputError('post', 'the post window has no month with data yet');
  const fit = linearTrend(
    pre.map((s) => s.time),
    pre.map((s) => s.mean),
    confidence,
  );
  const m = post.length;
  const tp = post.reduce((s, x) => s + x.time, 0) / m;
  const postMean = post.reduce((s, x) => s + x.mean, 0) / m;
  const counterfactual = fit.intercept + fit.slope * tp;
  const estimate = postMean - counterfactual;
  const dt = tp - fit.timeMean;
  const se = fit.sigma * Math.sqrt(1 / m + 1 / fit.n + (dt * dt) / fit.timeSumSquares);
  const q = tQuantile(1 - (1 - confidence) / 2, fit.df);
  return {
    estimate,
    lower: estimate - q * se,
    upper: estimate + q * se,
    se,
    df: fit.df,
    p: se > 0 ? tTwoSidedP(estimate / se, fit.df) : estimate === 0 ? 1 : 0,
    counterfactual,
    slope: fit.slope,
    intercept: fit.intercept,
    preMonths: fit.n,
    postMonths: m,
  };
}

/** First days of the months that overlap [start, end], as YYYY-MM-DD, with each month's part inside. */
export function monthsBetween(start: string, end: string): { month: string; from: string; to: string }[] {
  const out: { month: string; from: string; to: string }[] = [];
  let y = Number(start.slice(0, 4));
  let mo = Number(start.slice(5, 7));
  for (;;) {
    const first = `${y}-${String(mo).padStart(2, '0')}-01`;
    if (first > end) break;
    const last = new Date(Date.UTC(y, mo, 0)).toISOString().slice(0, 10);
    out.push({ month: first, from: first < start ? start : first, to: last > end ? end : last });
    mo += 1;
    if (mo === 13) [y, mo] = [y + 1, 1];
  }
  return out;
}
