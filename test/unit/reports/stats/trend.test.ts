import assert from 'node:assert/strict';
import { StatsInputError } from '../../../../src/reports/stats/stats-input-error.js';
import { linearTrend, predictTrend } from '../../../../src/reports/stats/trend.js';
import { CLOSED_FORM, assertClose, readGolden } from './golden.js';

interface Case {
  name: string;
  time: number[];
  y: number[];
  confidence: number;
  intercept: number;
  slope: number;
  slopeSe: number;
  sigma: number;
  df: number;
  t: number;
  p: number;
  slopeLower: number;
  slopeUpper: number;
  predictions: { time: number; fit: number; lower: number; upper: number }[];
}

describe('linear trend fallback', () => {
  const { cases } = readGolden<{ cases: Case[] }>('trend');

  for (const c of cases) {
    it(`matches lm, confint and predict(interval = "prediction") for ${c.name}`, () => {
      const fit = linearTrend(c.time, c.y, c.confidence);
      for (const key of [
        'intercept',
        'slope',
        'slopeSe',
        'sigma',
        'df',
        't',
        'p',
        'slopeLower',
        'slopeUpper',
      ] as const) {
        assertClose(fit[key], c[key], CLOSED_FORM, key);
      }
      for (const expected of c.predictions) {
        const got = predictTrend(fit, expected.time);
        assertClose(got.fit, expected.fit, CLOSED_FORM, `fit at ${expected.time}`);
        assertClose(got.lower, expected.lower, CLOSED_FORM, `lower at ${expected.time}`);
        assertClose(got.upper, expected.upper, CLOSED_FORM, `upper at ${expected.time}`);
      }
    });
  }

  it('rejects two points, equal times and mismatched lengths', () => {
    assert.throws(() => linearTrend([1, 2], [3, 4]), StatsInputError);
    assert.throws(() => linearTrend([2, 2, 2], [3, 4, 5]), /all observation times are equal/);
    assert.throws(() => linearTrend([1, 2, 3], [3, 4]), StatsInputError);
  });
});
