import assert from 'node:assert/strict';
import { wilsonMethod } from '../../../../src/reports/analyze/wilson-method.js';
import { wilsonInterval } from '../../../../src/reports/stats/wilson.js';
import { fixture, runCsv, runJson, validationError } from './run-method.js';

describe('analyze wilson', () => {
  it('gives the Wilson interval of every group, equal to the calculator', () => {
    const out = runJson(wilsonMethod, JSON.parse(fixture('wilson.json')), { confidence: 0.9 });
    const direct = wilsonInterval(45, 60, 0.9);
    assert.equal(out.result.groups[0]!.lower, direct.lower);
    assert.equal(out.result.groups[0]!.upper, direct.upper);
    assert.equal(out.result.groups[2]!.lower, 0);
    assert.equal(out.method, 'wilson');
    assert.equal(out.reference, 'prop.test(x, n, correct = FALSE)$conf.int');
  });

  it('accepts a single rate as successes and trials', () => {
    const out = runJson(wilsonMethod, { successes: 9, trials: 9 });
    assert.equal(out.result.groups.length, 1);
    assert.equal(out.result.groups[0]!.upper, 1);
    assert.match(out.warnings[0]!, /fewer than 10 learners/);
  });

  it('reads the same rates from CSV', () => {
    assert.deepEqual(
      runCsv(wilsonMethod, fixture('wilson.csv')).result,
      runJson(wilsonMethod, JSON.parse(fixture('wilson.json'))).result,
    );
  });

  it('reports successes above trials and a bad confidence together', () => {
    const error = validationError(() =>
      runJson(wilsonMethod, { groups: [{ successes: 7, trials: 5 }] }, { confidence: 95 }),
    );
    assert.match(error.message, /groups\[0\]\.successes: successes cannot exceed trials/);
    assert.match(error.message, /option --confidence: confidence must be between 0 and 1/);
  });

  it('names the CSV column and rows that are empty', () => {
    const csv =
      'label,successes,trials\nA,1,10\nB,2,10\nC,,10\nD,3,10\nE,4,10\nF,5,10\nG,6,10\nH,,10\nI,1,10\nJ,1,10\nK,1,10\nL,1,10\nM,1,10\nN,1,10\nO,1,10\nP,,10\n';
    const error = validationError(() => runCsv(wilsonMethod, csv));
    assert.match(error.message, /the CSV column successes is empty on rows 4, 9 and 17/);
    assert.deepEqual(error.details, [
      { path: 'CSV column successes', message: 'the CSV column successes is empty on rows 4, 9 and 17' },
    ]);
  });
});
