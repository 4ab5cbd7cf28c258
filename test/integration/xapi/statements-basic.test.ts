import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { useTestDatabase } from '../../support/test-database.js';
import { createTestApp } from '../../support/test-app.js';
import { lrsClient, statement } from '../../support/xapi-client.js';

describe('xAPI statements: store and fetch', () => {
  const testDb = useTestDatabase();

  it('stores a POSTed statement and returns it by statementId with stored, authority and version set', async () => {
    const { app, services } = createTestApp(testDb());
    const lrs = await lrsClient(app, services);
    const res = await lrs.post('/xapi/statements').send(statement()).expect(200);
    assert.equal(res.body.length, 1);
    assert.equal(res.headers['x-experience-api-version'], '1.0.3');
    const got = await lrs.get(`/xapi/statements?statementId=${res.body[0]}`).expect(200);
    assert.equal(got.body.id, res.body[0]);
    assert.ok(got.body.stored);
    assert.equal(got.body.version, '1.0.0');
    assert.equal(got.body.authority.account.name, lrs.key);
    assert.ok(got.headers['last-modified']);
    assert.ok(got.headers['x-experience-api-consistent-through']);
  });

  it('returns 401 without credentials and keeps the version header on the error', async () => {
    const { app } = createTestApp(testDb());
    const res = await request(app)
      .get('/xapi/statements')
      .set('X-Experience-API-Version', '1.0.3')
      .expect(401);
    assert.equal(res.headers['x-experience-api-version'], '1.0.3');
    assert.match(res.headers['www-authenticate'] ?? '', /Basic/);
  });

  it('PUT with statementId stores; the same statement again is a no-op; different content is 409', async () => {
    const { app, services } = createTestApp(testDb());
    const lrs = await lrsClient(app, services);
    const id = randomUUID();
    const s = statement();
    await lrs.put(`/xapi/statements?statementId=${id}`).send(s).expect(204);
    await lrs.put(`/xapi/statements?statementId=${id}`).send(s).expect(204);
    await lrs
      .put(`/xapi/statements?statementId=${id}`)
      .send({ ...s, verb: { id: 'http://example.com/other' } })
      .expect(409);
    const list = await lrs.get('/xapi/statements').expect(200);
    assert.equal(list.body.statements.length, 1);
  });
});
