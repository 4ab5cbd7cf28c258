import assert from 'node:assert/strict';
import { StatsInputError } from '../../../../src/reports/stats/stats-input-error.js';
import { meanDifference, proportionDifference } from '../../../../src/reports/stats/two-sample.js';
import { CLOSED_FORM, assertClose, readGolden } from './golden.js';

interface TResult {
  estimate: number;
  se: number;
  df: number;
  t: number;
  p: number;
  lower: number;
  upper: number;
}
interface MeanCase {
  name: string;
  x: number[];
  y: number[];
  confidence: number;
  welch: TResult;
  pooled: TResult;
}
interface PropCase {
  successesX: number;
  trialsX: number;
  successesY: number;
  trialsY: number;
  confidence: number;
  estimate: number;
  p: number | null;
  wald: { lower: number; upper: number };
  newcombe: { lower: number; upper: number };
}

describe('two-sample comparisons', () => {
  const golden = readGolden<{ means: MeanCase[]; proportions: PropCase[] }>('two-sample');

  for (const c of golden.means) {
    for (const method of ['welch', 'pooled'] as const) {
      it(`matches t.test (${method}) for ${c.name}`, () => {
        const r = meanDifference(c.x, c.y, { confidence: c.confidence, equalVariances: method === 'pooled' });
        assert.equal(r.method, method);
        for (const key of ['estimate', 'se', 'df', 't', 'p', 'lower', 'upper'] as const) {
          assertClose(r[key], c[method][key], CLOSED_FORM, `${method} ${key}`);
        }
      });
    }
  }

  for (const c of golden.proportions) {
    const label = `${c.successesX}/${c.trialsX} vs ${c.successesY}/${c.trialsY} at ${c.confidence}`;
    it(`matches prop.test (Wald) and Newcombe's hybrid score interval for ${label}`, () => {
      const args = [c.successesX, c.trialsX, c.successesY, c.trialsY] as const;
      const wald = proportionDifference(...args, { confidence: c.confidence, method: 'wald' });
      const newcombe = proportionDifference(...args, { confidence: c.confidence });
      assert.equal(newcombe.method, 'newcombe');
      assertClose(wald.estimate, c.estimate, CLOSED_FORM, 'estimate');
      assertClose(wald.lower, c.wald.lower, CLOSED_FORM, 'wald lower');
      assertClose(wald.upper, c.wald.upper, CLOSED_FORM, 'wald upper');
      assertClose(newcombe.lower, c.newcombe.lower, CLOSED_FORM, 'newcombe lower');
      assertClose(newcombe.upper, c.newcombe.upper, CLOSED_FORM, 'newcombe upper');
      // R gives NaN when neither group varies; the calculator reports p = 1 (no evidence).
      assertClose(wald.p, c.p ?? 1, CLOSED_FORM, 'p');
    });
  }

  it('keeps a Newcombe interval of non-zero width when both groups are 0/n, unlike Wald', () => {
    const wald = proportionDifference(0, 25, 0, 30, { method: 'wald' });
    const newcombe = proportionDifference(0, 25, 0, 30);
    assert.equal(wald.upper - wald.lower, 0);
    assert.ok(newcombe.lower < 0 && newcombe.upper > 0);
  });

  it('rejects Welch with a single observation and two constant groups', () => {
    assert.throws(() => meanDifference([1], [1, 2, 3]), StatsInputError);
    assert.doesNotThrow(() => meanDifference([1], [1, 2, 3], { equalVariances: true }));
    assert.throws(() => meanDifference([2, 2], [3, 3]), /both groups are constant/);
  });
});
