import assert from 'node:assert/strict';
import request from 'supertest';
import { useTestDatabase } from '../../support/test-database.js';
import { createTestApp } from '../../support/test-app.js';
import { lrsClient, statement } from '../../support/xapi-client.js';

describe('xAPI protocol plumbing (Communication 1.3, 1.4, 3.2, 3.3)', () => {
  const testDb = useTestDatabase();

  describe('version negotiation (Communication 3.3)', () => {
    it('rejects a request without X-Experience-API-Version with 400 and still sends the header', async () => {
      const { app, services } = createTestApp(testDb());
      const lrs = await lrsClient(app, services);
      const res = await request(app).get('/xapi/statements').set('Authorization', lrs.auth).expect(400);
      assert.equal(res.headers['x-experience-api-version'], '2.0.0');
      assert.match(res.body.error.message, /X-Experience-API-Version header is missing/);
    });

    it('rejects unsupported versions (0.95, 1.1.0, 3.0) with 400', async () => {
      const { app, services } = createTestApp(testDb());
      const lrs = await lrsClient(app, services);
      for (const v of ['0.95', '1.1.0', '3.0.0']) {
        await request(app)
          .get('/xapi/statements')
          .set('Authorization', lrs.auth)
          .set('X-Experience-API-Version', v)
          .expect(400);
      }
    });

    it('accepts 1.0, 1.0.x, 2.0 and 2.0.x and answers with 1.0.3 or 2.0.0', async () => {
      const { app, services } = createTestApp(testDb());
      const lrs = await lrsClient(app, services);
      for (const [sent, answered] of [
        ['1.0', '1.0.3'],
        ['1.0.1', '1.0.3'],
        ['1.0.3', '1.0.3'],
        ['2.0', '2.0.0'],
        ['2.0.0', '2.0.0'],
      ]) {
        const res = await request(app)
          .get('/xapi/statements')
          .set('Authorization', lrs.auth)
          .set('X-Experience-API-Version', sent!)
          .expect(200);
        assert.equal(res.headers['x-experience-api-version'], answered);
      }
    });

    it('answers the configured version when the request names none', async () => {
      const { app, services } = createTestApp(testDb(), { xapi: { unversionedResponseVersion: '1.0.3' } });
      const lrs = await lrsClient(app, services);
      const res = await request(app).get('/xapi/statements').set('Authorization', lrs.auth).expect(400);
      assert.equal(res.headers['x-experience-api-version'], '1.0.3');
    });
  });

  it('serves /xapi/about without credentials or version header (Communication 2.8)', async () => {
    const { app } = createTestApp(testDb());
    const res = await request(app).get('/xapi/about').expect(200);
    assert.deepEqual(res.body.version, ['1.0.3', '2.0.0']);
    assert.ok(res.headers['x-experience-api-version']);
  });

  it('answers CORS preflight without credentials and exposes the xAPI headers', async () => {
    const { app } = createTestApp(testDb());
    const res = await request(app)
      .options('/xapi/statements')
      .set('Origin', 'https://content.example.com')
      .set('Access-Control-Request-Method', 'PUT')
      .set('Access-Control-Request-Headers', 'authorization,content-type,x-experience-api-version')
      .expect(204);
    assert.equal(res.headers['access-control-allow-origin'], 'https://content.example.com');
    assert.match(res.headers['access-control-allow-methods'] ?? '', /PUT/);
    assert.match(res.headers['access-control-allow-headers'] ?? '', /x-experience-api-version/);
    const get = await request(app).get('/xapi/about').set('Origin', 'https://content.example.com');
    assert.match(get.headers['access-control-expose-headers'] ?? '', /X-Experience-API-Consistent-Through/);
    assert.match(get.headers['access-control-expose-headers'] ?? '', /ETag/);
  });

  describe('alternate request syntax (1.0.3 Communication 1.3)', () => {
    it('treats form fields as headers, content as the body and the rest as parameters', async () => {
      const { app, services } = createTestApp(testDb());
      const lrs = await lrsClient(app, services);
      const id = '6d8f5c9e-3f7a-4d2b-9c1e-0a1b2c3d4e5f';
      const form = new URLSearchParams({
        Authorization: lrs.auth,
        'X-Experience-API-Version': '1.0.3',
        'Content-Type': 'application/json',
        statementId: id,
        content: JSON.stringify(statement()),
      });
      await request(app)
        .post('/xapi/statements?method=PUT')
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .send(form.toString())
        .expect(204);
      await lrs.get(`/xapi/statements?statementId=${id}`).expect(200);
    });

    it('rejects other query parameters next to method', async () => {
      const { app, services } = createTestApp(testDb());
      const lrs = await lrsClient(app, services);
      await request(app)
        .post('/xapi/statements?method=GET&limit=1')
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .send(
          new URLSearchParams({ Authorization: lrs.auth, 'X-Experience-API-Version': '1.0.3' }).toString(),
        )
        .expect(400);
    });

    it('is rejected under xAPI 2.0', async () => {
      const { app, services } = createTestApp(testDb());
      const lrs = await lrsClient(app, services);
      const res = await request(app)
        .post('/xapi/statements?method=GET')
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .send(
          new URLSearchParams({ Authorization: lrs.auth, 'X-Experience-API-Version': '2.0.0' }).toString(),
        )
        .expect(400);
      assert.match(res.body.error.message, /xAPI 2.0 removed the alternate request syntax/);
    });
  });

  it('answers 413 above the configured body limit, keeping the xAPI headers', async () => {
    const { app, services } = createTestApp(testDb(), { xapi: { bodyLimitBytes: 2048 } });
    const lrs = await lrsClient(app, services);
    const res = await lrs
      .post('/xapi/statements')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(statement({ result: { response: 'x'.repeat(5000) } })))
      .expect(413);
    assert.equal(res.headers['x-experience-api-version'], '1.0.3');
    assert.equal(res.body.error.code, 'payload_too_large');
  });

  it('rejects malformed JSON with 400 naming the position', async () => {
    const { app, services } = createTestApp(testDb());
    const lrs = await lrsClient(app, services);
    const res = await lrs
      .post('/xapi/statements')
      .set('Content-Type', 'application/json')
      .send('{"actor": ,}')
      .expect(400);
    assert.match(res.body.error.message, /position 10/);
  });

  it('rejects a statement request whose Content-Type is neither JSON nor multipart/mixed', async () => {
    const { app, services } = createTestApp(testDb());
    const lrs = await lrsClient(app, services);
    const res = await lrs
      .post('/xapi/statements')
      .set('Content-Type', 'text/plain')
      .send(JSON.stringify(statement()))
      .expect(400);
    assert.match(res.body.error.message, /application\/json/);
  });

  it('answers unknown /xapi paths with a JSON 404 that keeps the version header', async () => {
    const { app, services } = createTestApp(testDb());
    const lrs = await lrsClient(app, services);
    const res = await lrs.get('/xapi/nothing-here').set('Accept', 'text/html').expect(404);
    assert.equal(res.headers['x-experience-api-version'], '1.0.3');
    assert.equal(res.body.error.code, 'not_found');
  });
});
