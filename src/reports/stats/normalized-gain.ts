import { assertFinite, assertFiniteSample, type NumericSample } from './input-checks.js';
import { StatsInputError } from './stats-input-error.js';

/** Hake normalized gains for one class. Gains are fractions of the possible gain (0.5 = half of it). */
export interface NormalizedGain {
  /** Learners whose individual gain was defined (pre < max). */
  included: number;
  /** Learners left out of the individual-gain mean because their pre score was already the maximum. */
  excludedAtMaximum: number;
  /** Mean of the individual gains (post - pre)/(max - pre); null when no learner is included. */
  meanLearnerGain: number | null;
  /**
   * Class-average gain (mean post - mean pre)/(max - mean pre) over all learners, Hake's <g>; null when
   * the class pre mean is already the maximum.
   */
  classAverageGain: number | null;
  /** Individual gains in input order; null for an excluded learner. */
  learnerGains: (number | null)[];
}

/**
 * Hake (1998) normalized gain: the share of the possible improvement that a learner realised,
 * g = (post - pre) / (max - pre). Negative when the learner scored lower after training.
 *
 * Two averages are reported because they differ: the mean of individual gains (learners with pre = max
 * have no possible gain, so they are excluded and counted in `excludedAtMaximum`), and Hake's
 * class-average gain computed from the class means, which keeps every learner.
 *
 * @param post scores after; same learners and order as `pre`; each in [0, max].
 * @param pre scores before; each in [0, max].
 * @param max highest possible score (e.g. 100 for percentages); must be positive.
 * @throws StatsInputError for unequal lengths, empty input, non-finite values, or a score outside [0, max].
 */
export function normalizedGain(post: NumericSample, pre: NumericSample, max = 100): NormalizedGain {
  assertFiniteSample(post, 'post', 1);
  assertFiniteSample(pre, 'pre', 1);
  assertFinite(max, 'max');
  if (!(max > 0)) throw new StatsInputError('max', `max must be positive, got ${max}.`);
  if (post.length !== pre.length) {
    throw new StatsInputError(
      'pre',
      `post has ${post.length} scores but pre has ${pre.length}; pass one pre and one post score per learner.`,
    );
  }
  const learnerGains: (number | null)[] = [];
  let sumGain = 0;
  let included = 0;
  let sumPre = 0;
  let sumPost = 0;
  for (let i = 0; i < pre.length; i += 1) {
    const a = pre[i]!;
    const b = post[i]!;
    for (const [name, v] of [
      ['pre', a],
      ['post', b],
    ] as const) {
      if (v < 0 || v > max) {
        throw new StatsInputError(
          name,
          `${name}[${i}] = ${v} is outside 0..${max}; rescale scores or pass max.`,
        );
      }
    }
    sumPre += a;
    sumPost += b;
    if (a === max) {
      learnerGains.push(null);
      continue;
    }
    const g = (b - a) / (max - a);
    learnerGains.push(g);
    sumGain += g;
    included += 1;
  }
  const n = pre.length;
  return {
    ...normalizedGainFromMeans(
      {
        n,
        included,
        meanPre: sumPre / n,
        meanPost: sumPost / n,
        meanLearnerGain: included ? sumGain / included : null,
      },
      max,
    ),
    learnerGains,
  };
}

/** What a class's normalized gains are computed from: see {@link normalizedGainFromMeans}. */
export interface GainMeans {
  /** Learners with both scores. */
  n: number;
  /** Of them, those whose pre score is below the maximum. */
  included: number;
  meanPre: number;
  meanPost: number;
  /** Mean of (post - pre)/(max - pre) over the included learners; null when none is. */
  meanLearnerGain: number | null;
}

/**
 * {@link normalizedGain} without the individual gains, from the class means (taken elsewhere, in SQL
 * say): Hake's class-average gain and the mean of the individual gains.
 */
export function normalizedGainFromMeans(means: GainMeans, max = 100): Omit<NormalizedGain, 'learnerGains'> {
  const { n, included, meanPre, meanPost } = means;
  return {
    included,
    excludedAtMaximum: n - included,
    meanLearnerGain: included === 0 ? null : means.meanLearnerGain,
    classAverageGain: meanPre >= max ? null : (meanPost - meanPre) / (max - meanPre),
  };
}
