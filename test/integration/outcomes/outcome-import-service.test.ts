import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { useTestDatabase } from '../../support/test-database.js';
import { createServices, type Services } from '../../../src/services.js';
import { AppError, ValidationError } from '../../../src/errors.js';
import type { QualityReport } from '../../../src/outcomes/quality-report.js';
import {
  PAYROLL_HEADER,
  countRows,
  csv,
  payrollRows,
  stageCsvText,
  tenantWithPeople,
} from '../../fixtures/outcomes/outcome-builders.js';

describe('outcome imports: stage, report, accept', function () {
  this.timeout(60000);
  const testDb = useTestDatabase();
  let services: Services;
  let n = 0;
  const tenant = (people = 20) => tenantWithPeople(services, testDb().db, `T${++n}`, people);
  before(() => {
    services = createServices({ db: testDb().db });
  });

  it('stages a clean payroll file, reports it acceptable, and applies it on accept', async () => {
    const t = await tenant();
    const text = csv(PAYROLL_HEADER, payrollRows(20, 3));
    const staged = await stageCsvText(services, t.id, 'payroll', text);
    assert.equal(staged.status, 'staged');
    assert.equal(staged.rowsParsed, 60);
    assert.equal(staged.bytesRead, Buffer.byteLength(text));
    const report = staged.report as QualityReport;
    assert.deepEqual(report.blocking, []);
    assert.equal(report.acceptable, true);
    assert.deepEqual(report.rows, { total: 60, valid: 60, invalid: 0 });
    assert.equal(await countRows(testDb().db, 'outcome_payroll', t.id), 0, 'staging writes no outcomes');

    const accepted = await services.outcomeImports.accept(t.id, staged.id, 'tester');
    assert.equal(accepted.status, 'accepted');
    assert.equal(accepted.acceptedBy, 'tester');
    assert.deepEqual(accepted.applied, { inserted: 60, updated: 0, unchanged: 0, peopleCreated: 0 });
    assert.equal(await countRows(testDb().db, 'outcome_payroll', t.id), 60);
    assert.equal(await countRows(testDb().db, 'outcome_import_row', t.id), 0, 'staging rows are dropped');
  });

  it('adds nothing when the same file is imported twice, and says so in the report', async () => {
    const t = await tenant();
    const text = csv(PAYROLL_HEADER, payrollRows(20, 2));
    const first = await stageCsvText(services, t.id, 'payroll', text);
    await services.outcomeImports.accept(t.id, first.id, 'tester');
    const before = await testDb()
      .db.selectFrom('outcome_payroll')
      .select(['person_id', 'period', 'import_id', 'updated_at'])
      .where('tenant_id', '=', t.id)
      .orderBy('person_id')
      .orderBy('period')
      .execute();

    const second = await stageCsvText(services, t.id, 'payroll', text);
    const report = second.report as QualityReport;
    assert.equal(second.contentHash, first.contentHash);
    assert.equal(report.identicalTo?.importId, first.id);
    assert.deepEqual(report.existing, { keys: 40, identical: 40, otherPerson: 0 });
    const accepted = await services.outcomeImports.accept(t.id, second.id, 'tester');
    assert.deepEqual(accepted.applied, { inserted: 0, updated: 0, unchanged: 40, peopleCreated: 0 });
    const after = await testDb()
      .db.selectFrom('outcome_payroll')
      .select(['person_id', 'period', 'import_id', 'updated_at'])
      .where('tenant_id', '=', t.id)
      .orderBy('person_id')
      .orderBy('period')
      .execute();
    assert.deepEqual(after, before, 'not a single stored row was touched');
  });

  it('updates only the corrected rows when a corrected file is re-imported', async () => {
    const t = await tenant();
    const first = await stageCsvText(services, t.id, 'payroll', csv(PAYROLL_HEADER, payrollRows(20, 2)));
    await services.outcomeImports.accept(t.id, first.id, 'tester');
    const corrected = payrollRows(20, 2);
    corrected[5]![2] = 12.5;
    corrected[7]![3] = 999;
    corrected.push(['E001', '2025-03', 4, 10, 10]);
    const second = await stageCsvText(services, t.id, 'payroll', csv(PAYROLL_HEADER, corrected));
    assert.deepEqual((second.report as QualityReport).existing, { keys: 40, identical: 38, otherPerson: 0 });
    const accepted = await services.outcomeImports.accept(t.id, second.id, 'tester');
    assert.deepEqual(accepted.applied, { inserted: 1, updated: 2, unchanged: 38, peopleCreated: 0 });
    const row = await testDb()
      .db.selectFrom('outcome_payroll as o')
      .innerJoin('person as p', (j) =>
        j.onRef('p.tenant_id', '=', 'o.tenant_id').onRef('p.id', '=', 'o.person_id'),
      )
      .select(['o.deferral_pct', 'o.import_id'])
      .where('o.tenant_id', '=', t.id)
      .where('p.employee_id', '=', 'E006')
      .where('o.period', '=', '2025-01-01')
      .executeTakeFirstOrThrow();
    assert.equal(Number(row.deferral_pct), 12.5);
    assert.equal(row.import_id, second.id);
  });

  it('collects row-level errors into one sentence per column and problem, and refuses to accept', async () => {
    const t = await tenant();
    const rows = payrollRows(20, 1);
    // Line numbers: the header is line 1, so rows[i] is line i + 2.
    for (const line of [4, 9, 17]) rows[line - 2]![2] = 'six';
    rows[10]![2] = 140;
    rows[11]![1] = '2999-01';
    const staged = await stageCsvText(services, t.id, 'payroll', csv(PAYROLL_HEADER, rows));
    const report = staged.report as QualityReport;
    const messages = report.blocking.map((b) => b.message);
    assert.ok(
      messages.includes('the column deferral_pct is not a number on rows 4, 9 and 17'),
      messages.join('\n'),
    );
    assert.ok(
      messages.includes('the column deferral_pct is out of range (0 to 100) on row 12'),
      messages.join('\n'),
    );
    assert.ok(messages.includes('the column period is in the future on row 13'), messages.join('\n'));
    assert.deepEqual(report.outOfRange, [
      { field: 'deferral_pct', count: 1 },
      { field: 'period', count: 1 },
    ]);
    assert.equal(report.rows.invalid, 5);
    assert.equal(staged.rowsInvalid, 5);
    await assert.rejects(services.outcomeImports.accept(t.id, staged.id, 'tester'), (err: AppError) => {
      assert.equal(err.code, 'precondition_failed');
      assert.match(err.message, /nothing was applied/);
      return true;
    });
    assert.equal(await countRows(testDb().db, 'outcome_payroll', t.id), 0);
  });

  it('names the header the user wrote when a column was mapped from another name', async () => {
    const t = await tenant();
    const rows = payrollRows(3, 1);
    rows[1]![2] = 'x';
    const text = csv(['Emp No', 'Month', 'Deferral %', 'Match', 'Contribution'], rows);
    const staged = await stageCsvText(services, t.id, 'payroll', text, {
      mapping: { 'Emp No': 'employee_id' },
    });
    const report = staged.report as QualityReport;
    assert.deepEqual(report.columns.mapped, {
      'Emp No': 'employee_id',
      Month: 'period',
      'Deferral %': 'deferral_pct',
      Match: 'employer_match_amount',
      Contribution: 'contribution_amount',
    });
    assert.deepEqual(
      report.blocking.map((b) => b.message),
      ['the column "Deferral %" (deferral_pct) is not a number on row 3'],
    );
  });

  it('rejects a file whose columns do not fit with one error listing every problem', async () => {
    const t = await tenant();
    const text = csv(['worker', 'deferral_pct', 'bonus'], [['E001', 3, 1]]);
    await assert.rejects(
      stageCsvText(services, t.id, 'payroll', text, {
        mapping: { Worker: 'employee_id', bonus: 'bonus_amount' },
      }),
      (err: ValidationError) => {
        assert.equal(err.code, 'invalid');
        assert.match(err.message, /the mapping names a column "Worker" that the file does not have/);
        assert.match(err.message, /"bonus" is mapped to "bonus_amount", which is not a payroll field/);
        assert.match(err.message, /the required columns employee_id, period are missing/);
        assert.equal(err.details.length, 3);
        return true;
      },
    );
    const [imp] = await services.outcomeImports.list(t.id);
    assert.equal(imp!.status, 'failed');
    assert.match(imp!.failure!, /do not fit/);
  });

  it('fails a file with bad quoting, naming the line, and keeps nothing staged', async () => {
    const t = await tenant();
    const text = `${PAYROLL_HEADER.join(',')}\nE001,2025-01,5,1,1\nE002,2025-01,"5,1,1\nE003,2025-01,5,1,1\n`;
    await assert.rejects(stageCsvText(services, t.id, 'payroll', text), (err: ValidationError) => {
      assert.equal(err.code, 'invalid');
      assert.match(err.message, /not valid CSV/);
      assert.match(err.message, /quot/i);
      return true;
    });
    const [imp] = await services.outcomeImports.list(t.id);
    assert.equal(imp!.status, 'failed');
    assert.equal(await countRows(testDb().db, 'outcome_import_row', t.id), 0);
    await assert.rejects(services.outcomeImports.accept(t.id, imp!.id, 'tester'), {
      code: 'precondition_failed',
    });
  });

  it('fails a file with a stray quote inside an unquoted field', async () => {
    const t = await tenant();
    const text = `${PAYROLL_HEADER.join(',')}\nE001,2025-01,5,1,1\nE0"02,2025-01,5,1,1\n`;
    await assert.rejects(stageCsvText(services, t.id, 'payroll', text), /not valid CSV at line 3/);
  });

  it('reports rows with the wrong number of fields without stopping the parse', async () => {
    const t = await tenant();
    const text = `${PAYROLL_HEADER.join(',')}\nE001,2025-01,5,1,1\nE002,2025-01,5,1\nE003,2025-01,5,1,1,9\nE004,2025-01,5,1,1\n`;
    const staged = await stageCsvText(services, t.id, 'payroll', text);
    const report = staged.report as QualityReport;
    assert.deepEqual(report.rows, { total: 4, valid: 2, invalid: 2 });
    assert.deepEqual(
      report.blocking.map((b) => b.message),
      ['the row has a different number of fields than the header on rows 3 and 4'],
    );
  });

  it('reads a spreadsheet export: byte-order mark, CRLF line ends, quoted commas and quotes', async () => {
    const t = await tenant();
    const text =
      '\uFEFFEmployee ID,Claim #,Category,Allowed Amount,Date of Service\r\n' +
      'E001,C-1,"er, minor","1,250.00",2025-01-02\r\n' +
      'E002,C-2,"the ""other"" kind",80,2025-01-03\r\n';
    const staged = await stageCsvText(services, t.id, 'claims', text);
    assert.deepEqual((staged.report as QualityReport).blocking, []);
    await services.outcomeImports.accept(t.id, staged.id, 'tester');
    const claims = await testDb()
      .db.selectFrom('outcome_claim')
      .select(['claim_id', 'claim_type', 'cost'])
      .where('tenant_id', '=', t.id)
      .orderBy('claim_id')
      .execute();
    assert.deepEqual(claims, [
      { claim_id: 'C-1', claim_type: 'er, minor', cost: '1250.00' },
      { claim_id: 'C-2', claim_type: 'the "other" kind', cost: '80' },
    ]);
  });

  it('refuses an empty file, and blocks a file with only a header', async () => {
    const t = await tenant();
    await assert.rejects(stageCsvText(services, t.id, 'payroll', ''), /The file is empty/);
    const headerOnly = await stageCsvText(services, t.id, 'payroll', `${PAYROLL_HEADER.join(',')}\n`);
    assert.deepEqual(
      (headerOnly.report as QualityReport).blocking.map((b) => b.message),
      ['the file has no data rows'],
    );
  });

  it('blocks duplicate keys within the file, listing their rows', async () => {
    const t = await tenant();
    const rows = payrollRows(5, 1);
    rows.push([...rows[1]!]);
    rows.push(['E004', '2025-01', 9, 1, 1]);
    const staged = await stageCsvText(services, t.id, 'payroll', csv(PAYROLL_HEADER, rows));
    const report = staged.report as QualityReport;
    assert.deepEqual(
      { count: report.duplicateKeys.count, rows: report.duplicateKeys.rows },
      { count: 2, rows: 4 },
    );
    assert.deepEqual(report.duplicateKeys.examples, [
      { key: '["E002","2025-01-01"]', rows: [3, 7] },
      { key: '["E004","2025-01-01"]', rows: [5, 8] },
    ]);
    assert.equal(report.acceptable, false);
    assert.match(report.blocking[0]!.message, /2 employee_id \+ period keys appear more than once/);
  });

  it('reports unknown employee ids and blocks them unless people may be created', async () => {
    const t = await tenant(3);
    const rows = payrollRows(5, 2);
    const blocked = await stageCsvText(services, t.id, 'payroll', csv(PAYROLL_HEADER, rows));
    const report = blocked.report as QualityReport;
    assert.deepEqual(report.unmatchedEmployeeIds, { count: 2, rows: 4, examples: ['E004', 'E005'] });
    assert.equal(report.acceptable, false);
    await assert.rejects(services.outcomeImports.accept(t.id, blocked.id, 'tester'), /match no person/);

    const allowed = await stageCsvText(services, t.id, 'payroll', csv(PAYROLL_HEADER, rows), {
      options: { createMissingPeople: true },
    });
    assert.equal((allowed.report as QualityReport).acceptable, true);
    const accepted = await services.outcomeImports.accept(t.id, allowed.id, 'tester');
    assert.deepEqual(accepted.applied, { inserted: 10, updated: 0, unchanged: 0, peopleCreated: 2 });
    assert.equal(await countRows(testDb().db, 'person', t.id), 5);
  });

  it('re-checks unknown employee ids at acceptance, since people may have been imported since', async () => {
    const t = await tenant(3);
    const staged = await stageCsvText(services, t.id, 'payroll', csv(PAYROLL_HEADER, payrollRows(4, 1)));
    assert.equal((staged.report as QualityReport).unmatchedEmployeeIds.count, 1);
    await testDb().db.insertInto('person').values({ tenant_id: t.id, employee_id: 'E004' }).execute();
    const accepted = await services.outcomeImports.accept(t.id, staged.id, 'tester');
    assert.equal(accepted.applied!.inserted, 4);
  });

  it('applies nothing at all when a row breaks a constraint halfway through acceptance', async () => {
    const t = await tenant(3);
    // 30,000 rows span two apply chunks; people for unknown ids are created first, in the same transaction.
    const rows = payrollRows(3, 1);
    for (let i = 4; i <= 30_000; i++) rows.push([`E${i}`, '2025-01', 5, 1, 1]);
    const staged = await stageCsvText(services, t.id, 'payroll', csv(PAYROLL_HEADER, rows), {
      options: { createMissingPeople: true },
    });
    assert.equal((staged.report as QualityReport).acceptable, true);
    // A row that slipped past validation (simulated by editing staging) violates the CHECK on deferral_pct.
    await sql`UPDATE outcome_import_row SET "values" = jsonb_set("values", '{deferral_pct}', '"-1"')
              WHERE tenant_id = ${t.id} AND import_id = ${staged.id} AND row_number = 29000`.execute(
      testDb().db,
    );
    await assert.rejects(services.outcomeImports.accept(t.id, staged.id, 'tester'), (err: AppError) => {
      assert.equal(err.code, 'conflict');
      assert.match(err.message, /Nothing was applied.*outcome_payroll_deferral_pct_check/);
      return true;
    });
    assert.equal(await countRows(testDb().db, 'outcome_payroll', t.id), 0, 'the first chunk was rolled back');
    assert.equal(await countRows(testDb().db, 'person', t.id), 3, 'no person was created');
    const after = await services.outcomeImports.get(t.id, staged.id);
    assert.equal(after.status, 'staged');
    assert.equal(after.applied, null);
  });

  it('blocks a column whose null rate exceeds its threshold, and honours a custom threshold', async () => {
    const t = await tenant();
    const rows = payrollRows(10, 1);
    for (const r of rows.slice(0, 3)) r[2] = '';
    const strict = await stageCsvText(services, t.id, 'payroll', csv(PAYROLL_HEADER, rows));
    const report = strict.report as QualityReport;
    const deferral = report.nullRates.find((r) => r.field === 'deferral_pct')!;
    assert.deepEqual(
      {
        nulls: deferral.nulls,
        rate: deferral.rate,
        threshold: deferral.threshold,
        exceeded: deferral.exceeded,
      },
      { nulls: 3, rate: 0.3, threshold: 0.2, exceeded: true },
    );
    assert.deepEqual(
      report.blocking.map((b) => b.message),
      ['the column deferral_pct is empty in 30% of rows, above the 20% threshold'],
    );
    const relaxed = await stageCsvText(services, t.id, 'payroll', csv(PAYROLL_HEADER, rows), {
      options: { nullRateThresholds: { deferral_pct: 0.5 } },
    });
    assert.equal((relaxed.report as QualityReport).acceptable, true);
  });

  it('stages JSON rows like a file and accepts them', async () => {
    const t = await tenant();
    const created = await services.outcomeImports.create({
      tenantId: t.id,
      kind: 'claims',
      source: 'json',
      actor: 'api',
    });
    const staged = await services.outcomeImports.stageRows(t.id, created.id, [
      {
        employee_id: 'E001',
        claim_id: 'C1',
        claim_type: 'er_minor',
        cost: 1200.5,
        service_date: '2025-03-02',
      },
      {
        employee_id: 'E002',
        claim_id: 'C2',
        claim_type: 'urgent_care',
        cost: '$180',
        service_date: '2025-03-05',
      },
      { employee_id: 'E002', claim_id: 'C3', claim_type: 'pharmacy', cost: -4, service_date: '2025-02-30' },
    ]);
    const report = staged.report as QualityReport;
    assert.deepEqual(
      report.blocking.map((b) => b.message),
      [
        'the column cost is out of range (at least 0) on row 3',
        'the column service_date is not a date (use YYYY-MM-DD) on row 3',
      ],
    );
    const fixed = await services.outcomeImports.create({
      tenantId: t.id,
      kind: 'claims',
      source: 'json',
      actor: 'api',
    });
    const ok = await services.outcomeImports.stageRows(t.id, fixed.id, [
      {
        employee_id: 'E001',
        claim_id: 'C1',
        claim_type: 'er_minor',
        cost: 1200.5,
        service_date: '2025-03-02',
      },
      {
        employee_id: 'E002',
        claim_id: 'C2',
        claim_type: 'urgent_care',
        cost: '$180',
        service_date: '2025-03-05',
      },
    ]);
    const accepted = await services.outcomeImports.accept(t.id, ok.id, 'api');
    assert.equal(accepted.applied!.inserted, 2);
    const moved = await services.outcomeImports.create({
      tenantId: t.id,
      kind: 'claims',
      source: 'json',
      actor: 'api',
    });
    const movedReport = (
      await services.outcomeImports.stageRows(t.id, moved.id, [
        {
          employee_id: 'E003',
          claim_id: 'C2',
          claim_type: 'urgent_care',
          cost: 180,
          service_date: '2025-03-05',
        },
      ])
    ).report as QualityReport;
    assert.deepEqual(movedReport.existing, { keys: 1, identical: 0, otherPerson: 1 });
    assert.ok(
      movedReport.warnings.some(
        (w) =>
          w.message ===
          '1 claim_id key is stored for another employee; accepting moves it to the employee in this file',
      ),
    );
    const costs = await testDb()
      .db.selectFrom('outcome_claim')
      .select(['claim_id', 'cost'])
      .where('tenant_id', '=', t.id)
      .orderBy('claim_id')
      .execute();
    assert.deepEqual(costs, [
      { claim_id: 'C1', cost: '1200.5' },
      { claim_id: 'C2', cost: '180' },
    ]);
  });

  it('imports plan participation and HRIS, checking rules across columns', async () => {
    const t = await tenant();
    const plan = await stageCsvText(
      services,
      t.id,
      'plan_participation',
      csv(
        ['employee_id', 'as_of', 'participating', 'auto_enrolled', 'opted_out'],
        [
          ['E001', '2025-06-30', 'yes', 'yes', 'no'],
          ['E002', '2025-06-30', 'no', 'yes', 'yes'],
          ['E003', '2025-06-30', 'no', 'no', 'yes'],
        ],
      ),
    );
    assert.deepEqual(
      (plan.report as QualityReport).blocking.map((b) => b.message),
      ['the column opted_out contradicts another column on row 4'],
    );
    const hris = await stageCsvText(
      services,
      t.id,
      'hris',
      csv(
        ['Employee ID', 'Month', 'Days Absent', 'Termination Date', 'Voluntary', 'Productivity'],
        [
          ['E001', '2025-05', 2, '', '', 101],
          ['E002', '2025-05', 0.5, '2025-05-20', 'yes', 98],
          ['E003', '2025-05', 40, '', 'no', 100],
        ],
      ),
    );
    assert.deepEqual(
      (hris.report as QualityReport).blocking.map((b) => b.message),
      ['the column "Days Absent" (absence_days) is out of range (0 to 31) on row 4'],
    );
  });

  it('keeps tenants apart: another tenant cannot see or accept an import', async () => {
    const a = await tenant();
    const b = await tenant();
    const staged = await stageCsvText(services, a.id, 'payroll', csv(PAYROLL_HEADER, payrollRows(2, 1)));
    await assert.rejects(services.outcomeImports.get(b.id, staged.id), { code: 'not_found' });
    await assert.rejects(services.outcomeImports.accept(b.id, staged.id, 'x'), { code: 'not_found' });
    assert.deepEqual(await services.outcomeImports.list(b.id), []);
  });

  it('accepting twice applies once', async () => {
    const t = await tenant();
    const staged = await stageCsvText(services, t.id, 'payroll', csv(PAYROLL_HEADER, payrollRows(5, 1)));
    const first = await services.outcomeImports.accept(t.id, staged.id, 'a');
    const second = await services.outcomeImports.accept(t.id, staged.id, 'b');
    assert.deepEqual(second.applied, first.applied);
    assert.equal(second.acceptedBy, 'a');
  });
});
