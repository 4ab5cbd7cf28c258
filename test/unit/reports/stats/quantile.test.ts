import assert from 'node:assert/strict';
import { median, p90, quantile, quantiles } from '../../../../src/reports/stats/quantile.js';
import { StatsInputError } from '../../../../src/reports/stats/stats-input-error.js';
import { CLOSED_FORM, assertClose, readGolden } from './golden.js';

interface Case {
  name: string;
  x: number[];
  probs: number[];
  expected: number[];
  median: number;
  p90: number;
}

describe('type-7 quantiles', () => {
  const { cases } = readGolden<{ cases: Case[] }>('quantile');

  for (const c of cases) {
    it(`matches R quantile(type = 7), median and p90 for the ${c.name} sample`, () => {
      quantiles(c.x, c.probs).forEach((q, i) =>
        assertClose(q, c.expected[i]!, CLOSED_FORM, `q(${c.probs[i]})`),
      );
      assertClose(median(c.x), c.median, CLOSED_FORM, 'median');
      assertClose(p90(c.x), c.p90, CLOSED_FORM, 'p90');
    });
  }

  it('returns the single value for every probability when n = 1', () => {
    assert.deepEqual(quantiles([3.25], [0, 0.37, 1]), [3.25, 3.25, 3.25]);
  });

  it('does not reorder the caller array', () => {
    const x = [9, 1, 5];
    quantile(x, 0.5);
    assert.deepEqual(x, [9, 1, 5]);
  });

  it('accepts typed arrays', () => {
    assert.equal(median(Float64Array.of(4, 1, 3, 2)), 2.5);
  });

  it('rejects an empty sample, non-finite values and probabilities outside [0, 1]', () => {
    assert.throws(() => median([]), StatsInputError);
    assert.throws(() => median([1, Number.NaN]), /x\[1\] is NaN/);
    assert.throws(() => quantile([1, 2], 1.5), StatsInputError);
    assert.throws(() => quantile([1, 2], -0.1), StatsInputError);
  });
});
