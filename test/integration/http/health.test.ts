import assert from 'node:assert/strict';
import request from 'supertest';
import { sql } from 'kysely';
import { useTestDatabase } from '../../support/test-database.js';
import { createTestApp } from '../../support/test-app.js';
import { openDatabase } from '../../../src/storage/database.js';
import { createServices } from '../../../src/services.js';
import { createApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import { createHealthService } from '../../../src/health/health-service.js';
import { createHealthRepository } from '../../../src/storage/repositories/health-repository.js';

describe('health endpoints', () => {
  const testDb = useTestDatabase();

  it('answers /healthz while the process is up', async () => {
    const { app } = createTestApp(testDb());
    const res = await request(app).get('/healthz').expect(200);
    assert.deepEqual(res.body, { status: 'ok' });
  });

  it('answers /readyz 200 with the server version when the database answers', async () => {
    const { app } = createTestApp(testDb());
    const res = await request(app).get('/readyz').expect(200);
    assert.equal(res.body.status, 'ready');
    assert.match(res.body.database.serverVersion, /^\d+/);
  });

  it('reports on /readyz how many stored statements KPI capture has yet to take in', async () => {
    const { app } = createTestApp(testDb());
    const { db } = testDb();
    const before = await request(app).get('/readyz').expect(200);
    assert.equal(before.body.kpiCapture.lagging, false);
    const [tenant] = (
      await sql<{ id: string }>`INSERT INTO tenant (name) VALUES ('lagging') RETURNING id`.execute(db)
    ).rows;
    await sql`INSERT INTO xapi_statement_outbox (tenant_id, seqs) VALUES (${tenant!.id}, ARRAY[1, 2, 3]::bigint[]), (${tenant!.id}, ARRAY[4]::bigint[])`.execute(
      db,
    );
    const after = await request(app).get('/readyz').expect(200);
    assert.equal(after.body.status, 'ready');
    assert.deepEqual(after.body.kpiCapture, { behind: before.body.kpiCapture.behind + 4, lagging: false });
  });

  it('calls KPI capture lagging past its limit', async () => {
    const { db } = testDb();
    const health = createHealthService({ health: createHealthRepository(db), kpiCaptureLagLimit: 2 });
    const [tenant] = (
      await sql<{ id: string }>`INSERT INTO tenant (name) VALUES ('far behind') RETURNING id`.execute(db)
    ).rows;
    await sql`INSERT INTO xapi_statement_outbox (tenant_id, seqs) VALUES (${tenant!.id}, ARRAY[7, 8, 9]::bigint[])`.execute(
      db,
    );
    const check = await health.checkKpiCapture();
    assert.ok(check.behind >= 3);
    assert.equal(check.lagging, true);
  });

  it('answers /readyz 503 with Retry-After when the database is unreachable', async () => {
    const dead = openDatabase('postgres://nobody:x@127.0.0.1:1/none', {
      poolSize: 1,
      statementTimeoutMs: 1000,
    });
    try {
      const app = createApp({
        config: loadConfig({ env: { NODE_ENV: 'test' } }),
        logger: createLogger({ level: 'silent', pretty: false }),
        services: createServices({ db: dead.db }),
        database: { serverVersion: 'n/a', source: 'DATABASE_URL' },
      });
      const res = await request(app).get('/readyz').expect(503);
      assert.equal(res.headers['retry-after'], '5');
      assert.match(res.body.database.error, /does not answer/);
    } finally {
      await dead.close();
    }
  });

  it('echoes a request id on every response', async () => {
    const { app } = createTestApp(testDb());
    const res = await request(app).get('/healthz').set('X-Request-Id', 'abc-123').expect(200);
    assert.equal(res.headers['x-request-id'], 'abc-123');
    const generated = await request(app).get('/healthz');
    assert.match(generated.headers['x-request-id']!, /^[0-9a-f-]{36}$/);
  });
});
