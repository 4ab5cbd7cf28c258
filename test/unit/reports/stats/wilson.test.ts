import assert from 'node:assert/strict';
import { StatsInputError } from '../../../../src/reports/stats/stats-input-error.js';
import { wilsonInterval } from '../../../../src/reports/stats/wilson.js';
import { CLOSED_FORM, assertClose, readGolden } from './golden.js';

interface Case {
  successes: number;
  trials: number;
  confidence: number;
  estimate: number;
  lower: number;
  upper: number;
}

describe('Wilson score interval', () => {
  const { cases } = readGolden<{ cases: Case[] }>('wilson');

  for (const c of cases) {
    it(`matches prop.test(correct = FALSE) for ${c.successes}/${c.trials} at ${c.confidence}`, () => {
      const w = wilsonInterval(c.successes, c.trials, c.confidence);
      assertClose(w.estimate, c.estimate, CLOSED_FORM, 'estimate');
      assertClose(w.lower, c.lower, CLOSED_FORM, 'lower');
      assertClose(w.upper, c.upper, CLOSED_FORM, 'upper');
    });
  }

  it('pins the bound at 0 for no successes and at 1 for all successes', () => {
    const none = wilsonInterval(0, 12);
    const all = wilsonInterval(12, 12);
    assert.equal(none.lower, 0);
    assert.ok(none.upper > 0 && none.upper < 1);
    assert.equal(all.upper, 1);
    assert.ok(all.lower > 0 && all.lower < 1);
  });

  it('rejects impossible counts and confidence given as a percentage', () => {
    assert.throws(() => wilsonInterval(5, 4), /cannot exceed trials/);
    assert.throws(() => wilsonInterval(1, 0), StatsInputError);
    assert.throws(() => wilsonInterval(1.5, 4), StatsInputError);
    assert.throws(() => wilsonInterval(1, 4, 95), /0.95 for 95%/);
  });
});
