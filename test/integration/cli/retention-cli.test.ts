import assert from 'node:assert/strict';
import { useTestDatabase } from '../../support/test-database.js';
import { childEnv, runProcess } from '../../support/spawn-process.js';

describe('yardstick retention and tenant delete (issue #18)', function () {
  this.timeout(90000);
  const testDb = useTestDatabase();
  const cli = (...args: string[]) =>
    runProcess(['bin/yardstick.js', ...args], childEnv({ DATABASE_URL: testDb().url }));

  it('sets and shows a retention period as JSON', async () => {
    assert.equal((await cli('tenant', 'create', 'Keepers')).code, 0);
    const set = await cli(
      'retention',
      'set',
      '--tenant',
      'Keepers',
      '--kind',
      'answers',
      '--days',
      '365',
      '--by',
      'dpo',
      '--json',
    );
    assert.equal(set.code, 0, set.stderr);
    const shown = JSON.parse((await cli('retention', 'show', '--tenant', 'Keepers', '--json')).stdout);
    assert.deepEqual(
      shown.policies.map((p: { kind: string; days: number }) => [p.kind, p.days]),
      [['answers', 365]],
    );
    assert.equal(shown.deletion, null);
    const bad = await cli(
      'retention',
      'set',
      '--tenant',
      'Keepers',
      '--kind',
      'emails',
      '--days',
      '3',
      '--by',
      'dpo',
    );
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /use one of: statements, answers, outcome_rows, logs/);
  });

  it('schedules a tenant deletion only with --yes, after its grace period', async () => {
    assert.equal((await cli('tenant', 'create', 'Leaving')).code, 0);
    const unconfirmed = await cli('tenant', 'delete', 'Leaving', '--by', 'ops');
    assert.equal(unconfirmed.code, 1);
    assert.match(unconfirmed.stderr, /cannot be undone; add --yes/);
    const deleted = await cli(
      'tenant',
      'delete',
      'Leaving',
      '--by',
      'ops',
      '--grace-days',
      '7',
      '--yes',
      '--json',
    );
    assert.equal(deleted.code, 0, deleted.stderr);
    const purgeAfter = Date.parse(JSON.parse(deleted.stdout).purgeAfter);
    assert.ok(purgeAfter - Date.now() > 6.9 * 86_400_000);
    const shown = JSON.parse((await cli('retention', 'show', '--tenant', 'Leaving', '--json')).stdout);
    assert.equal(shown.deletion.requestedBy, 'ops');
    const swept = JSON.parse((await cli('retention', 'sweep', '--json')).stdout);
    assert.deepEqual(swept.purgedTenants, [], 'nothing is purged during the grace period');
  });
});
