import { tQuantile, tTwoSidedP } from './distributions.js';
import { assertConfidence, assertFiniteSample, type NumericSample } from './input-checks.js';
import { meanUnchecked, varianceUnchecked } from './moments.js';
import { StatsInputError } from './stats-input-error.js';

/** Result of a paired comparison; `mean`, `sd`, `se` and the interval are in the units of the scores. */
export interface PairedDifference {
  /** Number of pairs. */
  n: number;
  /** Mean of post - pre. */
  mean: number;
  /** Standard deviation of the differences (divisor n - 1). */
  sd: number;
  /** Standard error of the mean difference, sd / sqrt(n). */
  se: number;
  /** Degrees of freedom, n - 1. */
  df: number;
  /** t statistic for H0: mean difference = 0. */
  t: number;
  /** Two-sided p-value. */
  p: number;
  lower: number;
  upper: number;
  confidence: number;
}

/**
 * Paired mean difference (post - pre) with a Student t interval, as R's
 * `t.test(post, pre, paired = TRUE, conf.level = confidence)`.
 *
 * Assumes the pairs are independent of each other and the differences are roughly normal (or n large
 * enough for the mean to be). Pre/post gains on a knowledge check are the typical use; the estimate says
 * how much scores changed, not that training caused it (no control group).
 *
 * @param post scores after, one per learner.
 * @param pre scores before, same learners in the same order.
 * @throws StatsInputError when the lengths differ, there are fewer than 2 pairs, a value is not finite,
 *   or every difference is the same (the interval would have zero width; R stops with "data are
 *   essentially constant").
 */
export function pairedDifference(
  post: NumericSample,
  pre: NumericSample,
  confidence = 0.95,
): PairedDifference {
  assertFiniteSample(post, 'post', 2);
  assertFiniteSample(pre, 'pre', 2);
  if (post.length !== pre.length) {
    throw new StatsInputError(
      'pre',
      `post has ${post.length} scores but pre has ${pre.length}; pass one pre and one post score per learner.`,
    );
  }
  assertConfidence(confidence);
  const n = post.length;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i += 1) d[i] = post[i]! - pre[i]!;
  const m = meanUnchecked(d);
  return pairedDifferenceFromMoments(n, m, Math.sqrt(varianceUnchecked(d, m)), confidence);
}

/**
 * {@link pairedDifference} from the differences' count, mean and standard deviation (divisor n - 1),
 * when those were taken elsewhere (in SQL, say) instead of from the scores.
 *
 * @throws StatsInputError for fewer than 2 pairs, a non-finite moment, or no spread (as above).
 */
export function pairedDifferenceFromMoments(
  n: number,
  m: number,
  sd: number,
  confidence = 0.95,
): PairedDifference {
  if (!Number.isInteger(n) || n < 2)
    throw new StatsInputError('post', `a paired interval needs at least 2 pairs, got ${n}.`);
  if (!Number.isFinite(m) || !Number.isFinite(sd) || sd < 0)
    throw new StatsInputError('post', `the differences' mean ${m} and sd ${sd} must be finite, sd >= 0.`);
  assertConfidence(confidence);
  const se = sd / Math.sqrt(n);
  if (se === 0 || se < 10 * Number.EPSILON * Math.abs(m)) {
    throw new StatsInputError(
      'post',
      'every learner changed by exactly the same amount, so there is no variation to build an interval from.',
    );
  }
  const df = n - 1;
  const t = m / se;
  const q = tQuantile(1 - (1 - confidence) / 2, df);
  return {
    n,
    mean: m,
    sd,
    se,
    df,
    t,
    p: tTwoSidedP(t, df),
    lower: m - q * se,
    upper: m + q * se,
    confidence,
  };
}
