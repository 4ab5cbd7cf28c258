import assert from 'node:assert/strict';
import request from 'supertest';
import { useTestDatabase } from '../../support/test-database.js';
import { createTestApp } from '../../support/test-app.js';
import { childEnv, runProcess } from '../../support/spawn-process.js';
import { lrsClient, statement } from '../../support/xapi-client.js';

describe('LRS credentials (xAPI Communication 4.1)', function () {
  this.timeout(60000);
  const testDb = useTestDatabase();

  it('stores the secret only as an scrypt hash', async () => {
    const { app, services } = createTestApp(testDb());
    const lrs = await lrsClient(app, services);
    const rows = await testDb()
      .db.selectFrom('lrs_credential')
      .selectAll()
      .where('key', '=', lrs.key)
      .execute();
    assert.equal(rows.length, 1);
    assert.match(rows[0]!.secret_hash, /^scrypt\$16384\$8\$1\$/);
    assert.ok(!rows[0]!.secret_hash.includes(lrs.secret));
  });

  it('refuses a wrong secret, an unknown key and a revoked credential with 401', async () => {
    const { app, services } = createTestApp(testDb());
    const lrs = await lrsClient(app, services);
    const basic = (k: string, s: string) => `Basic ${Buffer.from(`${k}:${s}`).toString('base64')}`;
    const get = (auth: string) =>
      request(app)
        .get('/xapi/statements')
        .set('X-Experience-API-Version', '1.0.3')
        .set('Authorization', auth);
    await get(basic(lrs.key, 'wrong')).expect(401);
    await get(basic('nope', lrs.secret)).expect(401);
    await get(lrs.auth).expect(200);
    await services.lrsCredentials.revoke(lrs.key);
    const res = await get(lrs.auth).expect(401);
    assert.match(res.body.error.message, /revoked/);
  });

  it('enforces scopes: statements/write cannot read, state cannot write statements', async () => {
    const { app, services } = createTestApp(testDb());
    const writer = await lrsClient(app, services, { scopes: ['statements/write'] });
    await writer.post('/xapi/statements').send(statement()).expect(200);
    const denied = await writer.get('/xapi/statements').expect(403);
    assert.match(denied.body.error.message, /statements\/read/);
    const stateOnly = await lrsClient(app, services, { scopes: ['state'] });
    await stateOnly.post('/xapi/statements').send(statement()).expect(403);
    await stateOnly
      .put(
        '/xapi/activities/state?activityId=http://example.com/a&agent={"mbox":"mailto:a@example.com"}&stateId=s',
      )
      .send({ a: 1 })
      .expect(204);
    await stateOnly.get('/xapi/activities/profile?activityId=http://example.com/a').expect(403);
  });

  it('statements/read/mine returns only the statements stored with that credential', async () => {
    const { app, services } = createTestApp(testDb());
    const mine = await lrsClient(app, services, {
      tenant: 'mine-co',
      scopes: ['statements/write', 'statements/read/mine'],
    });
    const other = await lrsClient(app, services, { tenant: 'mine-co', scopes: ['all'] });
    const [myId] = (await mine.post('/xapi/statements').send(statement()).expect(200)).body;
    const [otherId] = (await other.post('/xapi/statements').send(statement()).expect(200)).body;
    const res = await mine.get('/xapi/statements').expect(200);
    assert.deepEqual(
      res.body.statements.map((s: { id: string }) => s.id),
      [myId],
    );
    await mine.get(`/xapi/statements?statementId=${otherId}`).expect(404);
    const all = await other.get('/xapi/statements').expect(200);
    assert.equal(all.body.statements.length, 2);
  });

  it('admin API: needs the admin token, creates (secret shown once), lists and revokes', async () => {
    const { app, services } = createTestApp(testDb(), {
      admin: { token: 'admin-secret-token-0123456789abcdefghij' },
    });
    await services.tenants.create('Admin Co');
    await request(app)
      .post('/admin/api/lrs-credentials')
      .send({ tenant: 'Admin Co', scopes: ['all'] })
      .expect(401);
    await request(app)
      .post('/admin/api/lrs-credentials')
      .set('Authorization', 'Bearer wrong')
      .send({ tenant: 'Admin Co', scopes: ['all'] })
      .expect(401);
    const admin = (t: request.Test) =>
      t
        .set('Authorization', 'Bearer admin-secret-token-0123456789abcdefghij')
        .set('Accept', 'application/json');
    const bad = await admin(request(app).post('/admin/api/lrs-credentials'))
      .send({ tenant: 'Admin Co', scopes: ['everything'] })
      .expect(400);
    assert.match(bad.body.error.message, /Unknown scope "everything"/);
    const created = await admin(request(app).post('/admin/api/lrs-credentials'))
      .send({ tenant: 'Admin Co', scopes: ['statements/read'] })
      .expect(201);
    assert.ok(created.body.key && created.body.secret);
    assert.match(created.body.endpoint, /\/xapi\/$/);
    const listed = await admin(request(app).get('/admin/api/lrs-credentials?tenant=Admin%20Co')).expect(200);
    assert.deepEqual(
      listed.body.map((c: { key: string }) => c.key),
      [created.body.key],
    );
    assert.ok(!JSON.stringify(listed.body).includes(created.body.secret));
    await admin(request(app).post(`/admin/api/lrs-credentials/${created.body.key}/revoke`)).expect(200);
    const auth = `Basic ${Buffer.from(`${created.body.key}:${created.body.secret}`).toString('base64')}`;
    await request(app)
      .get('/xapi/statements')
      .set('X-Experience-API-Version', '1.0.3')
      .set('Authorization', auth)
      .expect(401);
  });

  it('admin API is disabled (403) while no admin token is configured', async () => {
    const { app } = createTestApp(testDb());
    await request(app)
      .get('/admin/api/lrs-credentials?tenant=x')
      .set('Accept', 'application/json')
      .expect(403);
  });

  it('CLI: lrs-credentials create --json prints key, secret and endpoint that work over HTTP', async () => {
    const env = childEnv({ DATABASE_URL: testDb().url, PUBLIC_URL: 'http://lrs.example.com' });
    assert.equal((await runProcess(['bin/yardstick.js', 'tenant', 'create', 'Cli Co'], env)).code, 0);
    const created = await runProcess(
      ['bin/yardstick.js', 'lrs-credentials', 'create', '--tenant', 'Cli Co', '--scopes', 'all', '--json'],
      env,
    );
    assert.equal(created.code, 0, created.stderr);
    const body = JSON.parse(created.stdout);
    assert.deepEqual(Object.keys(body).sort(), ['endpoint', 'key', 'secret']);
    assert.equal(body.endpoint, 'http://lrs.example.com/xapi/');
    const { app } = createTestApp(testDb());
    const auth = `Basic ${Buffer.from(`${body.key}:${body.secret}`).toString('base64')}`;
    await request(app)
      .get('/xapi/statements')
      .set('X-Experience-API-Version', '2.0.0')
      .set('Authorization', auth)
      .expect(200);
    const listed = await runProcess(
      ['bin/yardstick.js', 'lrs-credentials', 'list', '--tenant', 'Cli Co', '--json'],
      env,
    );
    assert.equal(JSON.parse(listed.stdout)[0].key, body.key);
    const revoked = await runProcess(
      ['bin/yardstick.js', 'lrs-credentials', 'revoke', body.key, '--json'],
      env,
    );
    assert.ok(JSON.parse(revoked.stdout).revokedAt);
    const bad = await runProcess(
      ['bin/yardstick.js', 'lrs-credentials', 'create', '--tenant', 'Cli Co', '--scopes', 'root', '--json'],
      env,
    );
    assert.equal(bad.code, 1);
    assert.equal(JSON.parse(bad.stdout).error.code, 'invalid');
  });
});
