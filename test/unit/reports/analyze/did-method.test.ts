import assert from 'node:assert/strict';
import { didMethod } from '../../../../src/reports/analyze/did-method.js';
import { estimateDifferenceInDifferences } from '../../../../src/reports/stats/did.js';
import { fixture, runCsv, runJson, validationError } from './run-method.js';

describe('analyze did', () => {
  const example = JSON.parse(fixture('did.json'));

  it('equals the calculator estimate and both cluster-robust inferences, and keeps its warnings', () => {
    const out = runJson(didMethod, example);
    const direct = estimateDifferenceInDifferences(example.rows);
    assert.equal(out.result.estimate, direct.estimate);
    assert.deepEqual(out.result.cr1, direct.cr1);
    assert.deepEqual(out.result.cr2, direct.cr2);
    assert.equal(out.result.recommended, 'CR2');
    assert.deepEqual(out.warnings, direct.warnings);
    assert.equal(out.methodName, direct.method);
  });

  it('reads the same panel from CSV with 1/0 flags', () => {
    assert.deepEqual(runCsv(didMethod, fixture('did.csv')).result, runJson(didMethod, example).result);
  });

  it('accepts 1/0 for treated and post in JSON too', () => {
    const rows = example.rows.map((r: { treated: boolean; post: boolean }) => ({
      ...r,
      treated: r.treated ? 1 : 0,
      post: r.post ? 1 : 0,
    }));
    assert.equal(runJson(didMethod, { rows }).result.estimate, runJson(didMethod, example).result.estimate);
  });

  it('passes on the calculator refusal of a single treated cluster', () => {
    const rows = example.rows.map((r: { treated: boolean; clusterId: string }) =>
      r.treated ? { ...r, clusterId: 'North' } : r,
    );
    const error = validationError(() => runJson(didMethod, { rows }));
    assert.match(error.message, /at least 2 clusters in each group; treatment has 1/);
  });

  it('names each bad CSV column with its rows', () => {
    const csv = fixture('did.csv')
      .replace('E01,North,1,0,4', 'E01,North,maybe,0,')
      .replace('E02,North,1,1,4.4', 'E02,,1,1,4.4');
    const error = validationError(() => runCsv(didMethod, csv));
    assert.match(
      error.message,
      /the CSV column treated must be 1\/0, true\/false or yes\/no but is not on row 2 \("maybe"\)/,
    );
    assert.match(error.message, /the CSV column y is empty on row 2/);
    assert.match(error.message, /the CSV column cluster_id is empty on row 5/);
  });

  it('reports too few CSV rows once, in CSV terms', () => {
    const error = validationError(() =>
      runCsv(didMethod, 'unit_id,cluster_id,treated,post,y\nA,c1,1,0,1\nA,c1,1,1,2\n'),
    );
    assert.deepEqual(error.details, [
      { path: 'CSV', message: 'the file has 2 data row(s); at least 5 are needed' },
    ]);
  });
});
