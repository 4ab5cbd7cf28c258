import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { useTestDatabase, createTestDatabase } from '../../support/test-database.js';
import { createServices } from '../../../src/services.js';
import { openDatabase } from '../../../src/storage/database.js';
import { withTransaction } from '../../../src/storage/transaction.js';
import { ConflictError } from '../../../src/errors.js';
import { migrateDownToZero, migrateToLatest, migrationStatus } from '../../../src/storage/migrator.js';

describe('the database', () => {
  const testDb = useTestDatabase();

  it('is a real PostgreSQL server, version 14 or later', async () => {
    const { rows } = await sql<{
      v: string;
      version: string;
    }>`SELECT current_setting('server_version_num') AS v, version() AS version`.execute(testDb().db);
    assert.ok(Number(rows[0]!.v) >= 140000, rows[0]!.version);
    assert.match(rows[0]!.version, /^PostgreSQL/);
  });

  it('acknowledges commits durably (synchronous_commit is on)', async () => {
    const { rows } = await sql<{ s: string }>`SELECT current_setting('synchronous_commit') AS s`.execute(
      testDb().db,
    );
    assert.equal(rows[0]!.s, 'on');
  });

  it('gives every session of a pool the configured work_mem', async () => {
    const connection = openDatabase(testDb().url, { poolSize: 2, statementTimeoutMs: 0, workMemMb: 48 });
    try {
      const { rows } = await sql<{ m: string }>`SELECT current_setting('work_mem') AS m`.execute(
        connection.db,
      );
      assert.equal(rows[0]!.m, '48MB');
    } finally {
      await connection.close();
    }
  });

  it('surfaces a unique violation as a conflict error', async () => {
    const { tenants } = createServices({ db: testDb().db });
    await tenants.create('Globex');
    await assert.rejects(tenants.create('GLOBEX'), (err: unknown) => {
      assert.ok(err instanceof ConflictError);
      assert.match(err.message, /already exists/);
      return true;
    });
  });

  it('rolls a transaction back on error, leaving nothing half-written', async () => {
    const db = testDb().db;
    await assert.rejects(
      withTransaction(db, async (trx) => {
        await trx.insertInto('tenant').values({ name: 'Initech' }).execute();
        await trx.insertInto('tenant').values({ name: 'Umbrella' }).execute();
        throw new Error('boom after two inserts');
      }),
      /boom/,
    );
    const names = (await db.selectFrom('tenant').select('name').execute()).map((r) => r.name);
    assert.ok(!names.includes('Initech') && !names.includes('Umbrella'), names.join(','));
  });

  it('retries a transaction that hit a serialization failure', async () => {
    const db = testDb().db;
    await db.insertInto('tenant').values({ name: 'Counter' }).execute();
    let attempts = 0;
    // Two serializable transactions read then write the same row concurrently: one must fail with
    // 40001 and succeed on retry, so both renames land in some serial order.
    const rename = (suffix: string, gate: Promise<void>, arrived: () => void) =>
      withTransaction(
        db,
        async (trx) => {
          attempts++;
          const row = await trx
            .selectFrom('tenant')
            .select(['id', 'name'])
            .where('name', 'like', 'Counter%')
            .executeTakeFirstOrThrow();
          arrived();
          await gate;
          await trx
            .updateTable('tenant')
            .set({ name: `${row.name}-${suffix}` })
            .where('id', '=', row.id)
            .execute();
        },
        { isolation: 'serializable' },
      );
    let arrivedCount = 0;
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const arrived = () => {
      if (++arrivedCount === 2) open();
    };
    await Promise.all([rename('a', gate, arrived), rename('b', gate, arrived)]);
    const final = await db
      .selectFrom('tenant')
      .select('name')
      .where('name', 'like', 'Counter%')
      .executeTakeFirstOrThrow();
    assert.ok(['Counter-a-b', 'Counter-b-a'].includes(final.name), final.name);
    assert.ok(attempts >= 3, `expected a retry, saw ${attempts} attempts`);
  });

  it('gives each test file its own database', async () => {
    const other = await createTestDatabase();
    try {
      await other.db.insertInto('tenant').values({ name: 'Only-In-Other' }).execute();
      const here = await testDb()
        .db.selectFrom('tenant')
        .select('name')
        .where('name', '=', 'Only-In-Other')
        .execute();
      assert.equal(here.length, 0);
      assert.notEqual(other.name, testDb().name);
    } finally {
      await other.drop();
    }
  });
});

describe('migrations', () => {
  it('are reversible: down to zero and up again', async () => {
    const scratch = await createTestDatabase();
    try {
      const reverted = await migrateDownToZero(scratch.db);
      assert.ok(reverted.length >= 2);
      const { rows } = await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'kysely_%'`.execute(
        scratch.db,
      );
      assert.equal(rows[0]!.n, 0);
      await migrateToLatest(scratch.db);
      const status = await migrationStatus(scratch.db);
      assert.ok(status.every((m) => m.executedAt));
    } finally {
      await scratch.drop();
    }
  });

  it('lead every key of tenant data with tenant_id', async () => {
    const scratch = await createTestDatabase();
    try {
      const { rows } = await sql<{ table_name: string; index_name: string; first_column: string }>`
        SELECT t.relname AS table_name, i.relname AS index_name, a.attname AS first_column
        FROM pg_index x
        JOIN pg_class t ON t.oid = x.indrelid
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.indkey[0]
        WHERE n.nspname = 'public' AND t.relname NOT IN ('tenant') AND t.relname NOT LIKE 'kysely_%'`.execute(
        scratch.db,
      );
      // LTI tables read before any tenant is known (a launch names only issuer and client id): reference tables.
      const referenceTables = ['lti_platform_route', 'lti_login_state', 'lti_used_nonce'];
      assert.ok(rows.length > 0);
      const offenders = rows.filter(
        (r) => r.first_column !== 'tenant_id' && !referenceTables.includes(r.table_name),
      );
      assert.deepEqual(offenders, []);
    } finally {
      await scratch.drop();
    }
  });
});
