import assert from 'node:assert/strict';
import request from 'supertest';
import { useTestDatabase } from '../../support/test-database.js';
import { createTestApp } from '../../support/test-app.js';
import { openDatabase } from '../../../src/storage/database.js';
import { createServices } from '../../../src/services.js';
import { createApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';

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

  it('answers /readyz 503 with Retry-After when the database is unreachable', async () => {
    const dead = openDatabase('postgres://nobody:x@127.0.0.1:1/none', { poolSize: 1, statementTimeoutMs: 1000 });
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
