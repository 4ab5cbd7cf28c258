import assert from 'node:assert/strict';
import { listRows, RowTally } from '../../../src/outcomes/quality-report.js';

describe('quality report wording', () => {
  it('lists rows the way a person would', () => {
    assert.equal(listRows([4], 1), '4');
    assert.equal(listRows([4, 9], 2), '4 and 9');
    assert.equal(listRows([4, 9, 17], 3), '4, 9 and 17');
    assert.equal(listRows([1, 2, 3], 15), '1, 2, 3 and 12 more');
  });

  it('keeps at most ten row numbers per problem however many rows fail', () => {
    const tally = new RowTally();
    for (let i = 2; i < 10_002; i++)
      tally.add({
        rowNumber: i,
        employeeId: null,
        naturalKey: null,
        values: {},
        errors: [{ field: 'cost', problem: 'not_a_number' }],
        blank: [],
      });
    const [entry] = tally.problemEntries();
    assert.equal(entry!.count, 10_000);
    assert.equal(entry!.rows.length, 10);
    assert.equal(tally.invalid, 10_000);
  });
});
