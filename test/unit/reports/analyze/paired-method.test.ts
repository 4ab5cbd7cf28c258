import assert from 'node:assert/strict';
import { pairedMethod } from '../../../../src/reports/analyze/paired-method.js';
import { normalizedGain } from '../../../../src/reports/stats/normalized-gain.js';
import { pairedDifference } from '../../../../src/reports/stats/paired.js';
import { fixture, runCsv, runJson, validationError } from './run-method.js';

describe('analyze paired', () => {
  const example = JSON.parse(fixture('paired.json'));
  const pre = example.pairs.map((p: { pre: number }) => p.pre);
  const post = example.pairs.map((p: { post: number }) => p.post);

  it('equals the paired t interval and the normalized gain of the calculators', () => {
    const out = runJson(pairedMethod, example);
    const direct = pairedDifference(post, pre, 0.95);
    assert.equal(out.result.meanDifference, direct.mean);
    assert.equal(out.result.lower, direct.lower);
    assert.equal(out.result.upper, direct.upper);
    assert.equal(out.result.p, direct.p);
    assert.equal(
      out.result.normalizedGain?.classAverageGain,
      normalizedGain(post, pre, 100).classAverageGain,
    );
  });

  it('reads CSV with --max-score to the same result', () => {
    assert.deepEqual(
      runCsv(pairedMethod, fixture('paired.csv'), { maxScore: 100 }).result,
      runJson(pairedMethod, example).result,
    );
  });

  it('leaves the normalized gain out without a maximum score', () => {
    const { maxScore: _, ...rest } = example;
    assert.equal(runJson(pairedMethod, rest).result.normalizedGain, null);
  });

  it('explains constant changes with the calculator message', () => {
    const error = validationError(() =>
      runJson(pairedMethod, {
        pairs: [
          { pre: 1, post: 2 },
          { pre: 3, post: 4 },
        ],
      }),
    );
    assert.match(error.message, /every learner changed by exactly the same amount/);
  });

  it('names the rows of a CSV with a missing post score', () => {
    const error = validationError(() => runCsv(pairedMethod, 'id,pre,post\nA,1,2\nB,2,\nC,3,5\n'));
    assert.match(error.message, /the CSV column post is empty on row 3/);
  });
});
