import assert from 'node:assert/strict';
import { trendMethod } from '../../../../src/reports/analyze/trend-method.js';
import { linearTrend, predictTrend } from '../../../../src/reports/stats/trend.js';
import { fixture, runCsv, runJson, validationError } from './run-method.js';

describe('analyze trend', () => {
  const example = JSON.parse(fixture('trend.json'));
  const time = example.points.map((p: { time: number }) => p.time);
  const y = example.points.map((p: { y: number }) => p.y);

  it('equals the calculator slope, interval and prediction', () => {
    const out = runJson(trendMethod, example);
    const fit = linearTrend(time, y);
    assert.equal(out.result.slope, fit.slope);
    assert.equal(out.result.slopeLower, fit.slopeLower);
    assert.deepEqual(out.result.predictions, [predictTrend(fit, 13)]);
  });

  it('warns that a prediction beyond the data extrapolates and that a trend does not attribute', () => {
    const warnings = runJson(trendMethod, example).warnings.join(' ');
    assert.match(warnings, /outside the observed times 1-12/);
    assert.match(warnings, /no comparison group/);
  });

  it('reads CSV with --predict-at to the same result', () => {
    assert.deepEqual(
      runCsv(trendMethod, fixture('trend.csv'), { predictAt: [13] }).result,
      runJson(trendMethod, example).result,
    );
  });

  it('needs at least 3 points and a y for each', () => {
    const error = validationError(() => runJson(trendMethod, { points: [{ time: 1, y: 2 }, { time: 2 }] }));
    assert.match(error.message, /points\[1\]\.y/);
    assert.match(error.message, /at least 3 points/);
  });

  it('explains equal times with the calculator message', () => {
    const error = validationError(() => runCsv(trendMethod, 'time,y\n1,1\n1,2\n1,3\n'));
    assert.match(error.message, /all observation times are equal/);
  });
});
