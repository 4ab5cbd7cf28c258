import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { useTestDatabase } from '../../support/test-database.js';
import { childEnv, runProcess } from '../../support/spawn-process.js';
import { PAYROLL_HEADER, countRows, csv, payrollRows } from '../../fixtures/outcomes/outcome-builders.js';

describe('yardstick outcomes and people commands', function () {
  this.timeout(90000);
  const testDb = useTestDatabase();
  let dir: string;
  const cli = (...args: string[]) =>
    runProcess(['bin/yardstick.js', ...args], childEnv({ DATABASE_URL: testDb().url }));
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'yardstick-cli-outcomes-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('imports people, then stages and accepts a payroll file with a header mapping', async () => {
    assert.equal((await cli('tenant', 'create', 'Acme', '--json')).code, 0);
    const peopleFile = path.join(dir, 'people.csv');
    await writeFile(
      peopleFile,
      'employee_id,email\n' + [1, 2, 3, 4].map((i) => `E00${i},e${i}@acme.test`).join('\n'),
    );
    const people = await cli('people', 'import', '--tenant', 'Acme', peopleFile, '--json');
    assert.equal(people.code, 0, people.stderr);
    assert.equal(JSON.parse(people.stdout).created, 4);

    const payroll = path.join(dir, 'payroll.csv');
    await writeFile(payroll, csv(['Worker', ...PAYROLL_HEADER.slice(1)], payrollRows(4, 2)));
    const staged = await cli(
      'outcomes',
      'import',
      '--tenant',
      'Acme',
      '--kind',
      'payroll',
      payroll,
      '--map',
      'Worker=employee_id',
      '--json',
    );
    assert.equal(staged.code, 0, staged.stderr);
    const report = JSON.parse(staged.stdout);
    assert.equal(report.status, 'staged');
    assert.equal(report.report.acceptable, true);

    const accepted = await cli(
      'outcomes',
      'import',
      '--tenant',
      'Acme',
      '--kind',
      'payroll',
      payroll,
      '--map',
      'Worker=employee_id',
      '--accept',
      '--json',
    );
    assert.equal(accepted.code, 0, accepted.stderr);
    assert.deepEqual(JSON.parse(accepted.stdout).applied, {
      inserted: 8,
      updated: 0,
      unchanged: 0,
      peopleCreated: 0,
    });
    const tenant = await testDb()
      .db.selectFrom('tenant')
      .select('id')
      .where('name', '=', 'Acme')
      .executeTakeFirstOrThrow();
    assert.equal(await countRows(testDb().db, 'outcome_payroll', tenant.id), 8);
  });

  it('refuses --accept on a file with problems, listing them, and exits non-zero', async () => {
    assert.equal((await cli('tenant', 'create', 'Bolt', '--json')).code, 0);
    const file = path.join(dir, 'bad.csv');
    await writeFile(file, csv(PAYROLL_HEADER, [['X1', '2025-01', 500, 1, 1]]));
    const result = await cli(
      'outcomes',
      'import',
      '--tenant',
      'Bolt',
      '--kind',
      'payroll',
      file,
      '--accept',
      '--json',
    );
    assert.equal(result.code, 1);
    const body = JSON.parse(result.stdout);
    assert.equal(body.error.code, 'precondition_failed');
    assert.deepEqual(
      body.error.details.map((d: { message: string }) => d.message),
      [
        'the column deferral_pct is out of range (0 to 100) on row 2',
        "1 employee id matches no person (1 row; e.g. X1); import the employee-id mapping first ('yardstick people import') or allow creating people",
      ],
    );
  });
});
