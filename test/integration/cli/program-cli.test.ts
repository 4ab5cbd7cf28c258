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

  it('computes Phillips ROI from costs, a sourced assumption and an effect (worked example 5)', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const costs = `${mkdtempSync(`${tmpdir()}/yardstick-costs-`)}/costs.json`;
    writeFileSync(
      costs,
      JSON.stringify({ development: { total: 40000, offerings: 1 }, platform: 15000, facilitation: 20000 }),
    );
    await cli('program', 'create', 'EI program', '--tenant', 'Initech');
    await cli('program', 'costs', 'EI program', '--tenant', 'Initech', '--file', costs);
    const effects = [
      ['absence_days', 'Absence days avoided', 'day', '100', '1.5'],
      ['separations', 'Separations avoided', 'separation', '6000', '0.02'],
      ['productivity_points', 'Productivity points', 'point', '30', '3'],
    ];
    for (const [outcome, label, unit, value, units] of effects) {
      await cli(
        'program',
        'assumption',
        'EI program',
        '--tenant',
        'Initech',
        '--outcome',
        outcome!,
        '--label',
        label!,
        '--unit',
        unit!,
        '--value',
        value!,
        '--source',
        'HR finance',
        '--confidence',
        '100',
      );
      await cli(
        'program',
        'effect',
        'EI program',
        '--tenant',
        'Initech',
        '--outcome',
        outcome!,
        '--units',
        units!,
        '--participants',
        '1000',
      );
    }
    const report = await cli('program', 'roi', 'EI program', '--tenant', 'Initech', '--snapshot');
    assert.equal(report.adjusted.benefit, '360000.00');
    assert.equal(report.adjusted.roiPercent, '380.0');
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
