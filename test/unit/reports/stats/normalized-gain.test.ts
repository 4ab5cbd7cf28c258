import assert from 'node:assert/strict';
import { normalizedGain } from '../../../../src/reports/stats/normalized-gain.js';
import { CLOSED_FORM, assertClose, readGolden } from './golden.js';

interface Case {
  name: string;
  pre: number[];
  post: number[];
  max: number;
  included: number;
  excludedAtMaximum: number;
  learnerGains: (number | null)[];
  meanLearnerGain: number;
  classAverageGain: number;
}

describe('Hake normalized gain', () => {
  const { cases } = readGolden<{ cases: Case[] }>('normalized-gain');

  for (const c of cases) {
    it(`matches the R computation for ${c.name}`, () => {
      const g = normalizedGain(c.post, c.pre, c.max);
      assert.equal(g.included, c.included);
      assert.equal(g.excludedAtMaximum, c.excludedAtMaximum);
      g.learnerGains.forEach((v, i) => assertClose(v, c.learnerGains[i]!, CLOSED_FORM, `gain ${i}`));
      assertClose(g.meanLearnerGain, c.meanLearnerGain, CLOSED_FORM, 'mean learner gain');
      assertClose(g.classAverageGain, c.classAverageGain, CLOSED_FORM, 'class average gain');
    });
  }

  it('excludes and counts learners who started at the maximum', () => {
    const g = normalizedGain([100, 80], [100, 60]);
    assert.deepEqual(g.learnerGains, [null, 0.5]);
    assert.equal(g.excludedAtMaximum, 1);
    assert.equal(g.meanLearnerGain, 0.5);
  });

  it('returns null averages when every learner started at the maximum', () => {
    const g = normalizedGain([100, 90], [100, 100]);
    assert.equal(g.meanLearnerGain, null);
    assert.equal(g.classAverageGain, null);
  });

  it('rejects scores above the maximum', () => {
    assert.throws(() => normalizedGain([105], [50]), /outside 0..100/);
  });
});
