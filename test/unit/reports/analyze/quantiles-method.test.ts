import assert from 'node:assert/strict';
import { quantilesMethod } from '../../../../src/reports/analyze/quantiles-method.js';
import { quantiles } from '../../../../src/reports/stats/quantile.js';
import { fixture, runCsv, runJson, validationError } from './run-method.js';

describe('analyze quantiles', () => {
  const example = JSON.parse(fixture('quantiles.json'));

  it('gives type-7 quantiles per group, equal to the calculator', () => {
    const out = runJson(quantilesMethod, example);
    const group = example.groups[0];
    assert.deepEqual(
      out.result.groups[0]!.quantiles.map((q) => q.value),
      quantiles(group.values, [0.5, 0.9]),
    );
    assert.equal(out.result.groups[1]!.n, 8);
    assert.equal(out.result.groups[1]!.max, 1450);
  });

  it('takes other probabilities from --probs and warns when a tail rests on too few values', () => {
    const out = runJson(quantilesMethod, { values: [1, 2, 3, 4, 5] }, { probs: [0.25, 0.95] });
    assert.deepEqual(
      out.result.groups[0]!.quantiles.map((q) => q.value),
      [2, 4.8],
    );
    assert.match(out.warnings.join(' '), /95th percentile rests on/);
  });

  it('reads grouped values from CSV, and a named column with --column', () => {
    assert.deepEqual(
      runCsv(quantilesMethod, fixture('quantiles.csv')).result,
      runJson(quantilesMethod, example).result,
    );
    const out = runCsv(quantilesMethod, 'seconds\n10\n20\n30\n', { column: 'seconds' });
    assert.equal(out.result.groups[0]!.quantiles[0]!.value, 20);
  });

  it('refuses both values and groups, and a probability above 1', () => {
    const error = validationError(() =>
      runJson(quantilesMethod, { values: [1], groups: [{ label: 'a', values: [1] }], probs: [1.5] }),
    );
    assert.match(error.message, /probs\[0\]: probabilities are between 0 and 1/);
    assert.match(error.message, /either values \(one sample\) or groups/);
  });

  it('names non-numeric CSV values with their rows', () => {
    const error = validationError(() => runCsv(quantilesMethod, 'value\n1\nabc\n3\n12 s\n'));
    assert.match(
      error.message,
      /the CSV column value must be a number but is not on rows 3 and 5 \("abc", "12 s"\)/,
    );
  });
});
