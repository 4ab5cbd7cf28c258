import assert from 'node:assert/strict';
import { useTestDatabase } from '../../support/test-database.js';
import { childEnv, runProcess } from '../../support/spawn-process.js';
import { insertPeople } from '../../fixtures/people.js';

describe('the program commands', function () {
  this.timeout(60000);
  const testDb = useTestDatabase();
  const cli = async (...args: string[]) => {
    const result = await runProcess(
      ['bin/yardstick.js', ...args, '--json'],
      childEnv({ DATABASE_URL: testDb().url }),
    );
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout);
  };

  before(async () => {
    const tenant = await testDb()
      .db.insertInto('tenant')
      .values({ name: 'Initech' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await insertPeople(testDb().db, tenant.id, 100, 4);
  });

  it('sets up a program, randomizes it with a seed, and reports balance and power', async () => {
    const created = await cli(
      'program',
      'create',
      'Wellbeing pilot',
      '--tenant',
      'Initech',
      '--outcome',
      'absence_days',
    );
    assert.deepEqual(created.targetOutcomes, ['absence_days']);

    const randomized = await cli(
      'program',
      'randomize',
      'Wellbeing pilot',
      '--tenant',
      'Initech',
      '--seed',
      '42',
      '--strata',
      'site',
    );
    assert.equal(randomized.seed, 42);
    assert.equal(randomized.participantCount, 100);
    assert.equal(randomized.record.design.strata[0], 'site');

    const balance = await cli('program', 'balance', 'Wellbeing pilot', '--tenant', 'Initech');
    assert.equal(balance.treatment.n + balance.control.n, 100);
    assert.ok(balance.rows.some((r: { name: string }) => r.name === 'tenure_years'));

    const power = await cli('program', 'power', 'Wellbeing pilot', '--tenant', 'Initech', '--sd', '3');
    assert.ok(power.mdeD > 0.5 && power.mdeD < 0.6, String(power.mdeD));
    assert.ok(Math.abs(power.mdeOutcomeUnits - 3 * power.mdeD) < 1e-12);
  });

  it('explains a bad --where instead of failing obscurely', async () => {
    const result = await runProcess(
      [
        'bin/yardstick.js',
        'program',
        'randomize',
        'Wellbeing pilot',
        '--tenant',
        'Initech',
        '--where',
        'site',
      ],
      childEnv({ DATABASE_URL: testDb().url }),
    );
    assert.equal(result.code, 1);
    assert.match(result.stderr, /use attribute=value/);
  });
});
