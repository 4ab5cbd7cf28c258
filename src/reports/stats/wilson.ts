import { normalQuantile } from './distributions.js';
import { assertConfidence, assertCount } from './input-checks.js';
import { StatsInputError } from './stats-input-error.js';

/** A proportion with its confidence interval; all three values are proportions in [0, 1]. */
export interface ProportionInterval {
  estimate: number;
  lower: number;
  upper: number;
  successes: number;
  trials: number;
  confidence: number;
}

/**
 * Wilson score interval for a binomial proportion without continuity correction: the interval that R's
 * `prop.test(x, n, correct = FALSE)$conf.int` reports. With p = x/n and z = qnorm((1 + confidence) / 2):
 *
 *   (p + z^2/(2n) -/+ z sqrt(p(1 - p)/n + z^2/(4n^2))) / (1 + z^2/n)
 *
 * Unlike the Wald interval it stays inside [0, 1] and is informative at 0/n and n/n: 0 successes give
 * lower = 0 exactly, n successes give upper = 1 exactly (as R does), and the other bound is still a
 * real bound. Use it for completion rates, mastery rates and any "share of learners" KPI.
 *
 * @param successes whole number, 0..trials.
 * @param trials whole number, at least 1.
 * @param confidence two-sided level in (0, 1), default 0.95.
 * @throws StatsInputError for non-integer counts, successes > trials, trials = 0, or a bad level.
 */
export function wilsonInterval(successes: number, trials: number, confidence = 0.95): ProportionInterval {
  assertCount(trials, 'trials', 1);
  assertCount(successes, 'successes', 0);
  if (successes > trials) {
    throw new StatsInputError(
      'successes',
      `successes (${successes}) cannot exceed trials (${trials}); check that both count the same learners.`,
    );
  }
  assertConfidence(confidence);
  const z = normalQuantile((1 + confidence) / 2);
  const p = successes / trials;
  const z22n = (z * z) / (2 * trials);
  const spread = z * Math.sqrt((p * (1 - p)) / trials + z22n / (2 * trials));
  const lower = successes === 0 ? 0 : (p + z22n - spread) / (1 + 2 * z22n);
  const upper = successes === trials ? 1 : (p + z22n + spread) / (1 + 2 * z22n);
  return { estimate: p, lower, upper, successes, trials, confidence };
}
