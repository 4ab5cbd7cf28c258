import assert from 'node:assert/strict';
import { useTestDatabase } from '../../support/test-database.js';
import { childEnv, runProcess } from '../../support/spawn-process.js';

describe('the yardstick command line', function () {
  this.timeout(60000);
  const testDb = useTestDatabase();
  const cli = (...args: string[]) => runProcess(['bin/yardstick.js', ...args], childEnv({ DATABASE_URL: testDb().url }));

  it('prints help listing its commands', async () => {
    const result = await cli('--help');
    assert.equal(result.code, 0);
    for (const command of ['migrate', 'db', 'tenant']) assert.match(result.stdout, new RegExp(`\\b${command}\\b`));
  });

  it('creates and lists tenants as JSON for scripts', async () => {
    const created = await cli('tenant', 'create', 'Wayne Enterprises', '--json');
    assert.equal(created.code, 0, created.stderr);
    const tenant = JSON.parse(created.stdout);
    assert.equal(tenant.name, 'Wayne Enterprises');
    assert.match(tenant.id, /^[0-9a-f-]{36}$/);

    const listed = await cli('tenant', 'list', '--json');
    assert.deepEqual(JSON.parse(listed.stdout).map((t: { id: string }) => t.id), [tenant.id]);
  });

  it('refuses a duplicate tenant with a message and a JSON error', async () => {
    await cli('tenant', 'create', 'Stark', '--json');
    const again = await cli('tenant', 'create', 'stark', '--json');
    assert.equal(again.code, 1);
    assert.equal(JSON.parse(again.stdout).error.code, 'conflict');
    assert.match(again.stderr, /already exists/);
  });

  it('reports the database and migration state', async () => {
    const status = await cli('db', 'status', '--json');
    assert.equal(status.code, 0, status.stderr);
    const body = JSON.parse(status.stdout);
    assert.equal(body.source, 'DATABASE_URL');
    assert.match(body.url, /^postgres(ql)?:\/\/[^:/]+:\*\*\*@/, 'the password is redacted');
    assert.ok(body.migrations.length >= 2 && body.migrations.every((m: { executedAt: string | null }) => m.executedAt));
    const migrate = await cli('migrate', '--json');
    assert.deepEqual(JSON.parse(migrate.stdout), { applied: [] });
  });
});
