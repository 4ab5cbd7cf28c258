import { pairedDifference, type PairedDifference } from '../stats/paired.js';
import { normalizedGain, type NormalizedGain } from '../stats/normalized-gain.js';
import { StatsInputError } from '../stats/stats-input-error.js';
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
  gain: NormalizedGain | null;
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
  const both = scores.filter((s) => s.pre !== null && s.post !== null) as { pre: number; post: number }[];
  const pre = both.map((s) => s.pre * 100);
  const post = both.map((s) => s.post * 100);
  const mean = (x: number[]) => (x.length ? x.reduce((a, b) => a + b, 0) / x.length : null);
  const base = { pairs: both.length, prePercentMean: mean(pre), postPercentMean: mean(post) };
  if (isSuppressed(both.length, minimum)) {
    return {
      pairs: both.length,
      prePercentMean: null,
      postPercentMean: null,
      paired: null,
      pairedNote: null,
      gain: null,
      suppressed: true,
    };
  }
  let paired: PairedDifference | null = null;
  let pairedNote: string | null = null;
  try {
    paired = both.length ? pairedDifference(post, pre) : null;
  } catch (err) {
    if (!(err instanceof StatsInputError)) throw err;
    pairedNote =
      both.length < 2
        ? 'An interval needs at least 2 learners with both scores.'
        : 'Every learner changed by the same amount, so there is no spread to build an interval from.';
  }
  const gain = both.length ? normalizedGain(post, pre, 100) : null;
  return { ...base, paired, pairedNote, gain, suppressed: false };
}
