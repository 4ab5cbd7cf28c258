import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { useTestDatabase } from '../../support/test-database.js';
import { createServices, type Services } from '../../../src/services.js';

const U1 = '11111111-1111-4111-8111-111111111111';
const U2 = '22222222-2222-4222-8222-222222222222';
const U3 = '33333333-3333-4333-8333-333333333333';

describe('employee-id <-> LMS-user mapping import', function () {
  this.timeout(30000);
  const testDb = useTestDatabase();
  let services: Services;
  let n = 0;
  before(() => {
    services = createServices({ db: testDb().db });
  });
  const people = (tenantId: string) =>
    testDb()
      .db.selectFrom('person')
      .select(['employee_id', 'lms_user_id', 'email', 'display_name'])
      .where('tenant_id', '=', tenantId)
      .orderBy('employee_id')
      .execute();
  const importText = (tenantId: string, text: string) =>
    services.peopleImports.importCsv(tenantId, Readable.from([Buffer.from(text)]));

  it('links LMS users by id and by email, creates unknown employees, and changes nothing on a re-run', async () => {
    const t = await services.tenants.create(`P${++n}`);
    // People known from LMS launches: an LMS user id and an email, no employee id yet.
    await testDb()
      .db.insertInto('person')
      .values([
        { tenant_id: t.id, lms_user_id: U1, email: 'ann@example.com' },
        { tenant_id: t.id, lms_user_id: U2, email: 'Bob@Example.com' },
      ])
      .execute();
    const text = `Employee ID,LMS User,Email,Name\nE001,${U1},,Ann\nE002,,bob@example.com,Bob\nE003,,,\n`;
    const first = await importText(t.id, text);
    assert.deepEqual(first, {
      applied: true,
      rows: 3,
      created: 1,
      linked: 2,
      updated: 0,
      unchanged: 0,
      problems: [],
    });
    assert.deepEqual(await people(t.id), [
      { employee_id: 'E001', lms_user_id: U1, email: 'ann@example.com', display_name: 'Ann' },
      { employee_id: 'E002', lms_user_id: U2, email: 'bob@example.com', display_name: 'Bob' },
      { employee_id: 'E003', lms_user_id: null, email: null, display_name: null },
    ]);
    const again = await importText(t.id, text);
    assert.deepEqual(
      { created: again.created, linked: again.linked, updated: again.updated, unchanged: again.unchanged },
      { created: 0, linked: 0, updated: 0, unchanged: 3 },
    );
  });

  it('writes nothing when any row conflicts or is invalid, and says which rows', async () => {
    const t = await services.tenants.create(`P${++n}`);
    await testDb()
      .db.insertInto('person')
      .values([
        { tenant_id: t.id, employee_id: 'E001', lms_user_id: U1 },
        { tenant_id: t.id, lms_user_id: U2 },
      ])
      .execute();
    const text = [
      'employee_id,lms_user_id,email',
      `E009,,new@example.com`,
      `E001,${U2},`,
      `E002,not-a-uuid,`,
      `E003,${U3},`,
      `E003,,x@example.com`,
      `E004,,bad-email`,
      `E005,${U1},`,
    ].join('\n');
    const result = await importText(t.id, text);
    assert.equal(result.applied, false);
    assert.deepEqual(result.problems, [
      'the employee id and the LMS user (or email) belong to two different people on row 3',
      'the column lms_user_id is not a UUID on row 4',
      'the employee id appears earlier in the file on row 6',
      'the column email is not an email address on row 7',
      'the LMS user (or email) is already linked to another employee id on row 8',
    ]);
    const rows = await people(t.id);
    assert.equal(rows.length, 2, 'E009 and E003 were rolled back');
  });
});
