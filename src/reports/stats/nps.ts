import { StatsInputError } from './stats-input-error.js';

/** Net Promoter Score summary. Percentages are 0-100; `score` is in points from -100 to +100. */
export interface NetPromoterScore {
  n: number;
  promoters: number;
  passives: number;
  detractors: number;
  promoterPercent: number;
  passivePercent: number;
  detractorPercent: number;
  /** % promoters - % detractors. */
  score: number;
}

/**
 * Net Promoter Score from 0-10 "how likely are you to recommend" answers: promoters answer 9 or 10,
 * passives 7 or 8, detractors 0 to 6; NPS = % promoters - % detractors (Reichheld 2003). A score is a
 * difference of percentages, so report it in points ("NPS 35"), not as a percentage.
 *
 * @param ratings whole numbers from 0 to 10; skipped questions must be removed before calling.
 * @throws StatsInputError for an empty list or a rating that is not a whole number from 0 to 10.
 */
export function netPromoterScore(ratings: ArrayLike<number>): NetPromoterScore {
  if (ratings.length === 0) {
    throw new StatsInputError('ratings', 'no ratings were given; NPS needs at least one 0-10 answer.');
  }
  let promoters = 0;
  let passives = 0;
  let detractors = 0;
  for (let i = 0; i < ratings.length; i += 1) {
    const r = ratings[i]!;
    if (!Number.isInteger(r) || r < 0 || r > 10) {
      throw new StatsInputError('ratings', `ratings[${i}] = ${r} is not a whole number from 0 to 10.`);
    }
    if (r >= 9) promoters += 1;
    else if (r >= 7) passives += 1;
    else detractors += 1;
  }
  const n = ratings.length;
  const percent = (count: number): number => (100 * count) / n;
  return {
    n,
    promoters,
    passives,
    detractors,
    promoterPercent: percent(promoters),
    passivePercent: percent(passives),
    detractorPercent: percent(detractors),
    score: (100 * (promoters - detractors)) / n,
  };
}
