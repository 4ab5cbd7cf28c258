import { StatsInputError } from './stats-input-error.js';

/** Distribution of answers on a 1..points Likert item. Percentages are 0-100. */
export interface LikertSummary {
  n: number;
  points: number;
  /** counts[k - 1] is the number of answers equal to k. */
  counts: number[];
  percents: number[];
  /** Mean response on the 1..points scale (treats the scale as interval; see TSDoc). */
  mean: number;
  /** Share (0-100) answering one of the top two levels, e.g. "agree" or "strongly agree". */
  topTwoPercent: number;
}

/**
 * Summary of one Likert item: counts and percentages per level and the mean.
 *
 * The mean treats the levels as equally spaced numbers, which is a convention rather than a fact; the
 * distribution (counts, percentages, top-two box) is the primary result and should be shown with it.
 *
 * @param responses whole numbers from 1 to `points`; skipped answers must be removed before calling.
 * @param points number of scale levels, e.g. 5 or 7 (at least 2).
 * @throws StatsInputError for an empty list, a bad scale, or a response outside 1..points.
 */
export function likertSummary(responses: ArrayLike<number>, points = 5): LikertSummary {
  if (!Number.isInteger(points) || points < 2) {
    throw new StatsInputError('points', `points must be a whole number of at least 2, got ${points}.`);
  }
  if (responses.length === 0) {
    throw new StatsInputError('responses', 'no responses were given; a Likert summary needs at least one.');
  }
  const counts = new Array<number>(points).fill(0);
  let sum = 0;
  for (let i = 0; i < responses.length; i += 1) {
    const r = responses[i]!;
    if (!Number.isInteger(r) || r < 1 || r > points) {
      throw new StatsInputError(
        'responses',
        `responses[${i}] = ${r} is not a whole number from 1 to ${points}.`,
      );
    }
    counts[r - 1]! += 1;
    sum += r;
  }
  const n = responses.length;
  const percents = counts.map((c) => (100 * c) / n);
  return {
    n,
    points,
    counts,
    percents,
    mean: sum / n,
    topTwoPercent: (100 * (counts[points - 1]! + counts[points - 2]!)) / n,
  };
}
