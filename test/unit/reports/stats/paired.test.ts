import assert from 'node:assert/strict';
import { pairedDifference, pairedDifferenceFromMoments } from '../../../../src/reports/stats/paired.js';
import { StatsInputError } from '../../../../src/reports/stats/stats-input-error.js';
import { CLOSED_FORM, assertClose, readGolden } from './golden.js';

interface Case {
  name: string;
  post: number[];
  pre: number[];
  confidence: number;
  mean: number;
  sd: number;
  se: number;
  df: number;
  t: number;
  p: number;
  lower: number;
  upper: number;
}

describe('paired mean difference', () => {
  const { cases } = readGolden<{ cases: Case[] }>('paired');

  for (const c of cases) {
    it(`matches t.test(paired = TRUE) for ${c.name}`, () => {
      const r = pairedDifference(c.post, c.pre, c.confidence);
      for (const key of ['mean', 'sd', 'se', 'df', 't', 'p', 'lower', 'upper'] as const) {
        assertClose(r[key], c[key], CLOSED_FORM, key);
      }
      assert.equal(r.n, c.post.length);
    });
  }

  it('rejects unequal lengths, a single pair and identical differences', () => {
    assert.throws(() => pairedDifference([1, 2, 3], [1, 2]), /one pre and one post score per learner/);
    assert.throws(() => pairedDifference([1], [0]), StatsInputError);
    assert.throws(() => pairedDifference([5, 6, 7], [4, 5, 6]), /exactly the same amount/);
    assert.throws(() => pairedDifference([5, Infinity], [4, 5]), /post\[1\] is Infinity/);
  });

  it("gives the same interval from the differences' count, mean and sd (moments taken in SQL)", () => {
    const post = [72, 80, 65, 90, 77];
    const pre = [60, 70, 66, 75, 70];
    const d = post.map((p, i) => p - pre[i]!);
    const m = d.reduce((a, b) => a + b, 0) / d.length;
    const sd = Math.sqrt(d.reduce((a, x) => a + (x - m) ** 2, 0) / (d.length - 1));
    assert.deepEqual(pairedDifferenceFromMoments(5, m, sd), pairedDifference(post, pre));
    assert.throws(() => pairedDifferenceFromMoments(1, 3, 0), /at least 2 pairs/);
    assert.throws(() => pairedDifferenceFromMoments(4, 3, 0), /exactly the same amount/);
    assert.throws(() => pairedDifferenceFromMoments(4, Number.NaN, 1), /must be finite/);
  });
});
