import { pairedDifferenceFromMoments, type PairedDifference } from '../stats/paired.js';
import { normalizedGainFromMeans, type NormalizedGain } from '../stats/normalized-gain.js';
import { StatsInputError } from '../stats/stats-input-error.js';
import { meanUnchecked, varianceUnchecked } from '../stats/moments.js';
import type { ScoreMoments } from './model.js';
import { isSuppressed } from './privacy.js';

export interface ScoreChange {
  /** Learners with both a pre and a post score. */
  pairs: number;
  prePercentMean: number | null;
  postPercentMean: number | null;
  /** Paired mean difference post - pre in percentage points with its t interval; null with a reason. */
  paired: PairedDifference | null;
  pairedNote: string | null;
  /** Hake normalized gains on the 0-100 scale. */
  gain: Omit<NormalizedGain, 'learnerGains'> | null;
  suppressed: boolean;
}

/**
 * Pre/post change for one module from per-learner scores (shares correct, 0..1): the paired mean
 * difference in percentage points with a Student t interval (R t.test(paired = TRUE)) and Hake's
 * normalized gain. Learners without both scores are left out. Fewer than 2 pairs, or every difference
 * equal, give no interval (said in `pairedNote`).
 */
export function scoreChange(
  scores: readonly { pre: number | null; post: number | null }[],
  minimum: number,
): ScoreChange {
  return scoreChangeFromMoments(scoreMoments(scores), minimum);
}

/** The moments of per-learner scores (shares correct, 0..1), in percent. */
export function scoreMoments(scores: readonly { pre: number | null; post: number | null }[]): ScoreMoments {
  const both = scores.filter((s) => s.pre !== null && s.post !== null) as { pre: number; post: number }[];
  const n = both.length;
  if (n === 0)
    return {
      pairs: 0,
      preMean: null,
      postMean: null,
      diffMean: null,
      diffSd: null,
      included: 0,
      meanLearnerGain: null,
    };
  const pre = both.map((s) => s.pre * 100);
  const post = both.map((s) => s.post * 100);
  const d = post.map((p, i) => p - pre[i]!);
  const gains = pre.flatMap((a, i) => (a === 100 ? [] : [(post[i]! - a) / (100 - a)]));
  const diffMean = meanUnchecked(d);
  return {
    pairs: n,
    preMean: meanUnchecked(pre),
    postMean: meanUnchecked(post),
    diffMean,
    diffSd: n < 2 ? null : Math.sqrt(varianceUnchecked(d, diffMean)),
    included: gains.length,
    meanLearnerGain: gains.length ? meanUnchecked(gains) : null,
  };
}

/** Pre/post change for one module from its moments (see `scoreChange`). */
export function scoreChangeFromMoments(m: ScoreMoments, minimum: number): ScoreChange {
  if (isSuppressed(m.pairs, minimum)) {
    return {
      pairs: m.pairs,
      prePercentMean: null,
      postPercentMean: null,
      paired: null,
      pairedNote: null,
      gain: null,
      suppressed: true,
    };
  }
  const base = { pairs: m.pairs, prePercentMean: m.preMean, postPercentMean: m.postMean };
  if (m.pairs === 0 || m.preMean === null || m.postMean === null || m.diffMean === null)
    return { ...base, paired: null, pairedNote: null, gain: null, suppressed: false };
  let paired: PairedDifference | null = null;
  let pairedNote: string | null = null;
  try {
    paired = pairedDifferenceFromMoments(m.pairs, m.diffMean, m.diffSd ?? Number.NaN);
  } catch (err) {
    if (!(err instanceof StatsInputError)) throw err;
    pairedNote =
      m.pairs < 2
        ? 'An interval needs at least 2 learners with both scores.'
        : 'Every learner changed by the same amount, so there is no spread to build an interval from.';
  }
  const gain = normalizedGainFromMeans(
    {
      n: m.pairs,
      included: m.included,
      meanPre: m.preMean,
      meanPost: m.postMean,
      meanLearnerGain: m.meanLearnerGain,
    },
    100,
  );
  return { ...base, paired, pairedNote, gain, suppressed: false };
}
