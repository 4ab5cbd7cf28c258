import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { useTestDatabase } from '../../support/test-database.js';
import { createServices, type Services } from '../../../src/services.js';
import type { QualityReport } from '../../../src/outcomes/quality-report.js';
import {
  PAYROLL_HEADER,
  countRows,
  csv,
  payrollRows,
  stageCsvText,
  tenantWithPeople,
} from '../../fixtures/outcomes/outcome-builders.js';

const by = { requestedBy: 'the employee', approvedBy: 'the DPO' };

describe('Imports refuse an employee id erased on request (issue #18)', function () {
  this.timeout(60000);
  const testDb = useTestDatabase();
  let services: Services;
  let n = 0;
  before(() => {
    services = createServices({ db: testDb().db });
  });

  /** A tenant of 5 people (E001..E005) with E002 erased. */
  async function tenantWithErasure() {
    const t = await tenantWithPeople(services, testDb().db, `Tomb${++n}`, 5);
    await services.privacy.erase(t.id, { kind: 'employeeId', employeeId: 'E002' }, by);
    return t;
  }

  it('refuses a people file naming an erased employee id, says which row and how to lift it', async () => {
    const t = await tenantWithErasure();
    const text = 'employee_id,email,display_name\nE006,f@example.com,F\nE002,b@example.com,B\n';
    const result = await services.peopleImports.importCsv(t.id, Readable.from([Buffer.from(text)]));
    assert.equal(result.applied, false);
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0]!, /erased on request .* tombstone lift.* on row 3$/);
    const people = await testDb()
      .db.selectFrom('person')
      .select('employee_id')
      .where('tenant_id', '=', t.id)
      .execute();
    assert.ok(!people.some((p) => p.employee_id === 'E002' || p.employee_id === 'E006'));

    await services.privacy.liftTombstone(t.id, 'E002', 'the DPO');
    const again = await services.peopleImports.importCsv(t.id, Readable.from([Buffer.from(text)]));
    assert.equal(again.applied, true, again.problems.join('; '));
    assert.equal(again.created, 2);
  });

  it('refuses the outcome rows of an erased employee id and keeps none of their cells in staging', async () => {
    const t = await tenantWithErasure();
    const rows = payrollRows(5, 2);
    const staged = await stageCsvText(services, t.id, 'payroll', csv(PAYROLL_HEADER, rows));
    const report = staged.report as QualityReport;
    assert.equal(report.acceptable, false);
    const erasedRows = rows.flatMap((r, i) => (r[0] === 'E002' ? [i + 2] : []));
    assert.equal(erasedRows.length, 2);
    assert.deepEqual(
      report.blocking.map((b) => b.message),
      [
        `the column employee_id names a person erased on request (GDPR art. 17): remove the rows, or have an admin lift the tombstone ('yardstick person tombstone lift') if the person is back on rows ${erasedRows.join(' and ')}`,
      ],
    );
    const kept = await testDb()
      .db.selectFrom('outcome_import_row')
      .selectAll()
      .where('tenant_id', '=', t.id)
      .where('row_number', 'in', erasedRows)
      .execute();
    assert.equal(kept.length, 2);
    for (const row of kept) assert.ok(!JSON.stringify(row).includes('E002'), JSON.stringify(row));
    assert.equal(await countRows(testDb().db, 'outcome_payroll', t.id), 0);
  });
});
