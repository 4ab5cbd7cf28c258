import assert from 'node:assert/strict';
import { likertSummary } from '../../../../src/reports/stats/likert.js';
import { netPromoterScore } from '../../../../src/reports/stats/nps.js';
import { StatsInputError } from '../../../../src/reports/stats/stats-input-error.js';
import { CLOSED_FORM, assertClose, readGolden } from './golden.js';

interface Golden {
  nps: {
    name: string;
    ratings: number[];
    promoters: number;
    passives: number;
    detractors: number;
    promoterPercent: number;
    passivePercent: number;
    detractorPercent: number;
    score: number;
  }[];
  likert: {
    name: string;
    points: number;
    responses: number[];
    counts: number[];
    percents: number[];
    mean: number;
    topTwoPercent: number;
  }[];
}

describe('NPS and Likert summaries', () => {
  const g = readGolden<Golden>('nps-likert');

  for (const c of g.nps) {
    it(`matches the R tally of NPS for ${c.name}`, () => {
      const r = netPromoterScore(c.ratings);
      assert.deepEqual([r.promoters, r.passives, r.detractors], [c.promoters, c.passives, c.detractors]);
      assertClose(r.promoterPercent, c.promoterPercent, CLOSED_FORM, 'promoters %');
      assertClose(r.passivePercent, c.passivePercent, CLOSED_FORM, 'passives %');
      assertClose(r.detractorPercent, c.detractorPercent, CLOSED_FORM, 'detractors %');
      assertClose(r.score, c.score, CLOSED_FORM, 'NPS');
    });
  }

  it('puts 6 with detractors, 7 and 8 with passives and 9 with promoters', () => {
    const r = netPromoterScore([6, 7, 8, 9]);
    assert.deepEqual([r.detractors, r.passives, r.promoters, r.score], [1, 2, 1, 0]);
  });

  for (const c of g.likert) {
    it(`matches the R table and mean of the Likert item ${c.name}`, () => {
      const r = likertSummary(c.responses, c.points);
      assert.deepEqual(r.counts, c.counts);
      r.percents.forEach((p, i) => assertClose(p, c.percents[i]!, CLOSED_FORM, `percent ${i + 1}`));
      assertClose(r.mean, c.mean, CLOSED_FORM, 'mean');
      assertClose(r.topTwoPercent, c.topTwoPercent, CLOSED_FORM, 'top two');
    });
  }

  it('rejects empty input and answers outside the scale', () => {
    assert.throws(() => netPromoterScore([]), StatsInputError);
    assert.throws(() => netPromoterScore([11]), /not a whole number from 0 to 10/);
    assert.throws(() => netPromoterScore([7.5]), StatsInputError);
    assert.throws(() => likertSummary([0, 3]), /not a whole number from 1 to 5/);
    assert.throws(() => likertSummary([1], 1), StatsInputError);
  });
});
