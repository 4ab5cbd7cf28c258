import assert from 'node:assert/strict';
import { CsvColumns, readCsv } from '../../../../src/reports/analyze/csv-table.js';
import { validationError } from './run-method.js';

describe('analyze CSV reading', () => {
  it('numbers rows as a spreadsheet does, skipping blank lines and a BOM', () => {
    const table = readCsv('\uFEFFUnit ID,y\n\nA,1\n\nB,2\n', 'f.csv');
    assert.deepEqual(
      table.rows.map((r) => r.line),
      [3, 5],
    );
    const columns = new CsvColumns(table, 'f.csv');
    assert.deepEqual(columns.texts('unit_id'), ['A', 'B']);
  });

  it('matches headers regardless of case, spaces, underscores and dashes', () => {
    const columns = new CsvColumns(readCsv('clusterId,POST\nx,yes\n', 'f.csv'), 'f.csv');
    assert.deepEqual(columns.texts('cluster_id'), ['x']);
    assert.deepEqual(columns.booleans('post'), [true]);
  });

  it('reports a row with the wrong number of cells with its row number', () => {
    const error = validationError(() => readCsv('a,b\n1,2\n3,4,5\n', 'f.csv'));
    assert.equal(error.details[0]!.path, 'CSV row 3');
    assert.match(error.message, /not valid CSV/);
  });

  it('reports an empty file and duplicate headers', () => {
    assert.match(validationError(() => readCsv('', 'f.csv')).message, /the file is empty/);
    assert.match(validationError(() => readCsv('y,Y\n1,2\n', 'f.csv')).message, /appear more than once/);
  });

  it('collects every column problem before throwing, listing at most ten rows each', () => {
    const rows = Array.from({ length: 14 }, (_, i) => `${i},`).join('\n');
    const columns = new CsvColumns(readCsv(`x,y\n${rows}\n`, 'f.csv'), 'f.csv');
    columns.numbers('y');
    columns.numbers('z');
    const error = validationError(() => columns.finish());
    assert.equal(error.details.length, 2);
    assert.match(
      error.message,
      /the CSV column y is empty on rows 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 4 more/,
    );
    assert.match(error.message, /the CSV has no column z; its columns are x, y/);
  });

  it('accepts plain decimals only as numbers', () => {
    const columns = new CsvColumns(readCsv('v\n1.5\n-2\n+3\n.5\n1e3\n"1,000"\n0x10\n', 'f.csv'), 'f.csv');
    assert.deepEqual(columns.numbers('v'), [1.5, -2, 3, 0.5, 1000, undefined, undefined]);
  });
});
