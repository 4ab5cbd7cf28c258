import assert from 'node:assert/strict';
import { randomizedMethod } from '../../../../src/reports/analyze/randomized-method.js';
import { meanDifference, proportionDifference } from '../../../../src/reports/stats/two-sample.js';
import { fixture, runCsv, runJson, validationError } from './run-method.js';

describe('analyze randomized', () => {
  const example = JSON.parse(fixture('randomized.json'));

  it('equals the Welch interval of the calculator by default', () => {
    const out = runJson(randomizedMethod, example);
    const direct = meanDifference(example.treatment, example.control);
    assert.equal(out.result.estimate, direct.estimate);
    assert.equal(out.result.lower, direct.lower);
    assert.equal(out.result.df, direct.df);
    assert.equal(out.reference, 't.test(treatment, control)');
  });

  it('switches to the pooled interval with --equal-variances and names it', () => {
    const out = runJson(randomizedMethod, example, { equalVariances: true, confidence: 0.9 });
    const direct = meanDifference(example.treatment, example.control, {
      equalVariances: true,
      confidence: 0.9,
    });
    assert.equal(out.result.upper, direct.upper);
    assert.equal(out.result.df, 18);
    assert.match(out.methodName, /pooled/);
  });

  it('reads treatment and control from a CSV group column', () => {
    assert.deepEqual(
      runCsv(randomizedMethod, fixture('randomized.csv')).result,
      runJson(randomizedMethod, example).result,
    );
  });

  it('compares proportions with the Newcombe interval, from counts or from 0/1 CSV outcomes', () => {
    const counts = {
      outcome: 'binary',
      treatment: { successes: 3, trials: 5 },
      control: { successes: 1, trials: 4 },
    };
    const out = runJson(randomizedMethod, counts);
    const direct = proportionDifference(3, 5, 1, 4);
    assert.equal(out.result.lower, direct.lower);
    assert.equal(out.result.p, direct.p);
    const csv =
      'group,y\ntreatment,1\ntreatment,1\ntreatment,0\ntreatment,1\ntreatment,0\ncontrol,0\ncontrol,1\ncontrol,0\ncontrol,0\n';
    assert.deepEqual(runCsv(randomizedMethod, csv, { outcome: 'binary' }).result, out.result);
  });

  it('warns when a continuous analysis sees only 0/1 outcomes', () => {
    const out = runJson(randomizedMethod, { treatment: [1, 0, 1], control: [0, 0, 1] });
    assert.match(out.warnings.join(' '), /use outcome "binary"/);
  });

  it('lists too few outcomes in each group', () => {
    const error = validationError(() => runJson(randomizedMethod, { treatment: [1], control: [] }));
    assert.deepEqual(
      error.details.map((d) => d.path),
      ['treatment', 'control'],
    );
  });

  it('rejects an unknown outcome kind and names CSV groups that are neither treatment nor control', () => {
    assert.match(
      validationError(() =>
        runJson(randomizedMethod, { outcome: 'ordinal', treatment: [1, 2], control: [1, 2] }),
      ).message,
      /outcome must be "continuous"/,
    );
    const error = validationError(() =>
      runCsv(randomizedMethod, 'group,y\ntreatment,1\npilot,2\ncontrol,3\ncontrol,4\n'),
    );
    assert.match(error.message, /the CSV column group must be .* but is not on row 3 \("pilot"\)/);
  });
});
