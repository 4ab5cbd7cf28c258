import assert from 'node:assert/strict';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../../../../src/storage/schema.js';
import { useTestDatabase } from '../../../support/test-database.js';
import { openDatabase } from '../../../../src/storage/database.js';
import { warmReportConnections } from '../../../../src/reports/kpi/warm-report-connections.js';

describe('warming the report connections at server start', () => {
  const database = useTestDatabase();

  it('runs the report queries on as many connections as asked, which the pool keeps open', async () => {
    const pool = openDatabase(database().url, {
      poolSize: 3,
      statementTimeoutMs: 0,
      applicationName: 'warm-test',
      idleTimeoutMs: 60_000,
    });
    try {
      await warmReportConnections(pool.db, 3);
      assert.equal(pool.pool.totalCount, 3);
      assert.equal(pool.pool.idleCount, 3);
      const { rows } = await sql<{ n: string }>`
        SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'warm-test'`.execute(
        database().db,
      );
      assert.equal(Number(rows[0]!.n), 3);
    } finally {
      await pool.close();
    }
  });

  it('writes nothing: it runs on read-only sessions', async () => {
    const pool = new pg.Pool({
      connectionString: database().url,
      max: 2,
      options: '-c default_transaction_read_only=on',
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    try {
      await assert.rejects(sql`CREATE TABLE t (x int)`.execute(db), /read-only transaction/);
      await warmReportConnections(db, 2);
    } finally {
      await db.destroy();
    }
  });
});
