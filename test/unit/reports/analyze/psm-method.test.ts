import assert from 'node:assert/strict';
import { psmMethod } from '../../../../src/reports/analyze/psm-method.js';
import { propensityScoreMatch } from '../../../../src/reports/stats/psm.js';
import { fixture, runCsv, runJson, validationError } from './run-method.js';

describe('analyze psm', () => {
  const example = JSON.parse(fixture('psm.json'));

  it('equals the calculator ATT, pairs and balance', () => {
    const out = runJson(psmMethod, example);
    const direct = propensityScoreMatch(example.rows, { covariates: ['age', 'tenure'] });
    assert.deepEqual(out.result.att, direct.att);
    assert.deepEqual(out.result.pairs, direct.pairs);
    assert.deepEqual(out.result.balance, direct.balance);
    assert.deepEqual(out.warnings, direct.warnings);
  });

  it('reads CSV with every other column as a covariate, or only those named', () => {
    assert.deepEqual(runCsv(psmMethod, fixture('psm.csv')).result, runJson(psmMethod, example).result);
    const ageOnly = runCsv(psmMethod, fixture('psm.csv'), { covariates: ['age'] });
    assert.deepEqual(ageOnly.result.propensityModel.columns, ['(Intercept)', 'age']);
  });

  it('applies a caliper and reports who stayed unmatched', () => {
    const out = runJson(psmMethod, example, { caliper: 0.05 });
    const direct = propensityScoreMatch(example.rows, { covariates: ['age', 'tenure'], caliper: 0.05 });
    assert.equal(out.result.unmatched.treated, direct.unmatched.treated);
    assert.equal(out.result.caliperWidth, direct.caliperWidth);
  });

  it('names people missing a covariate', () => {
    const rows = example.rows.map((r: { covariates: object }, i: number) =>
      i === 3 ? { ...r, covariates: { age: 40 } } : r,
    );
    const error = validationError(() => runJson(psmMethod, { ...example, rows }));
    assert.match(error.message, /rows\[3\]\.covariates: missing tenure/);
  });
});
