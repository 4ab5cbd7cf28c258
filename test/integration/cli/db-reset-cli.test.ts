import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { useTestDatabase } from '../../support/test-database.js';
import { childEnv, runProcess } from '../../support/spawn-process.js';
import { MigrationError, migrateToLatest } from '../../../src/storage/migrator.js';

describe('yardstick db reset, and a database migrated by the squashed history', function () {
  this.timeout(90000);
  const testDb = useTestDatabase();
  const cli = (args: string[], env: Record<string, string> = {}) =>
    runProcess(['bin/yardstick.js', ...args], childEnv({ DATABASE_URL: testDb().url, ...env }));
  const tenantCount = async () =>
    Number((await sql<{ n: string }>`SELECT count(*) AS n FROM tenant`.execute(testDb().db)).rows[0]!.n);

  it('refuses without --yes and leaves the data as it was', async () => {
    await sql`INSERT INTO tenant (name) VALUES ('Kept without yes')`.execute(testDb().db);
    const before = await tenantCount();
    const result = await cli(['db', 'reset', '--json']);
    assert.equal(result.code, 1);
    assert.equal(JSON.parse(result.stdout).error.code, 'precondition_failed');
    assert.match(result.stderr, /--yes/);
    assert.equal(await tenantCount(), before);
  });

  it('refuses with NODE_ENV=production unless --force', async () => {
    await sql`INSERT INTO tenant (name) VALUES ('Kept in production')`.execute(testDb().db);
    const before = await tenantCount();
    const result = await cli(['db', 'reset', '--yes', '--json'], { NODE_ENV: 'production' });
    assert.equal(result.code, 1);
    assert.equal(JSON.parse(result.stdout).error.code, 'precondition_failed');
    assert.match(result.stderr, /production.*--force/);
    assert.equal(await tenantCount(), before);
  });

  it('names db reset when the database ran the squashed migrations, and migrates after the reset', async () => {
    const db = testDb().db;
    await sql`INSERT INTO tenant (name) VALUES ('Old history')`.execute(db);
    await sql`INSERT INTO kysely_migration (name, timestamp) VALUES ('0061-analyst-views', now()::text)`.execute(
      db,
    );

    await assert.rejects(migrateToLatest(db), (err: Error) => {
      assert.ok(err instanceof MigrationError);
      assert.match(err.message, /0061-analyst-views/);
      assert.match(err.message, /npx yardstick db reset --yes/);
      return true;
    });
    const migrate = await cli(['migrate', '--json']);
    assert.equal(migrate.code, 1);
    assert.match(migrate.stderr, /npx yardstick db reset --yes/);

    const reset = await cli(['db', 'reset', '--yes', '--json']);
    assert.equal(reset.code, 0, reset.stderr);
    const body = JSON.parse(reset.stdout);
    assert.ok(body.droppedSchemas.includes('public') && body.droppedSchemas.includes('analytics'));
    assert.ok(body.droppedTables > 40, `dropped ${body.droppedTables} tables`);
    assert.ok(body.applied.includes('0060-kpi-rollups'));
    assert.ok(!body.applied.includes('0061-analyst-views'));

    assert.equal(await tenantCount(), 0, 'the data is gone');
    const again = await cli(['migrate', '--json']);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(JSON.parse(again.stdout), { applied: [] });
  });

  it('prints what it did for people', async () => {
    const reset = await cli(['db', 'reset', '--yes']);
    assert.equal(reset.code, 0, reset.stderr);
    assert.match(reset.stdout, /dropped schemas .*public/);
    assert.match(reset.stdout, /Applied \d+ migrations/);
  });
});
