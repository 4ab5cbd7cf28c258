import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { useTestDatabase } from '../../support/test-database.js';
import { createTestApp } from '../../support/test-app.js';
import { lrsClient } from '../../support/xapi-client.js';
import { createLrsCredentialService } from '../../../src/xapi/credentials/credential-service.js';
import { createLrsCredentialRepository } from '../../../src/storage/repositories/lrs-credential-repository.js';
import { createTenantService } from '../../../src/tenants/tenant-service.js';
import { createTenantRepository } from '../../../src/storage/repositories/tenant-repository.js';
import type { Express } from 'express';
import { newCredentialKey, verifySecret } from '../../../src/xapi/credentials/secret-hash.js';

const basic = (key: string, secret: string) => `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;

describe('LRS authentication under brute force (issue #16)', function () {
  this.timeout(60000);
  const testDb = useTestDatabase();

  /** A credential service whose scrypt checks are counted, with the hashes they ran against. */
  function countingService() {
    const db = testDb().db;
    const work: string[] = [];
    const service = createLrsCredentialService({
      credentials: createLrsCredentialRepository(db),
      tenants: createTenantService({ tenants: createTenantRepository(db) }),
      verify: async (secret, stored) => {
        work.push(stored.split('$').slice(0, 4).join('$'));
        return verifySecret(secret, stored);
      },
    });
    return { service, work };
  }

  const get = (app: Express, auth: string) =>
    request(app).get('/xapi/statements').set('X-Experience-API-Version', '1.0.3').set('Authorization', auth);

  it('locks out a key after repeated wrong secrets with 429 and Retry-After', async () => {
    const { app, services } = createTestApp(testDb());
    const lrs = await lrsClient(app, services);
    for (let i = 0; i < 5; i++) await get(app, basic(lrs.key, `wrong-${i}`)).expect(401);
    const locked = await get(app, basic(lrs.key, 'wrong-again')).expect(429);
    assert.ok(Number(locked.headers['retry-after']) >= 1);
    assert.match(locked.body.error.message, /Too many wrong LRS secrets/);
    assert.equal(locked.headers['x-experience-api-version'], '1.0.3');
  });

  it("lets a key's client whose secret was verified before through the key's lock", async () => {
    const { app, services } = createTestApp(testDb());
    const lrs = await lrsClient(app, services);
    await get(app, lrs.auth).expect(200);
    for (let i = 0; i < 6; i++) await get(app, basic(lrs.key, `wrong-${i}`));
    await get(app, basic(lrs.key, 'wrong')).expect(429);
    await get(app, lrs.auth).expect(200);
  });

  it('answers 401, never 429, to a key no credential can have, however many conformance runs send it', async () => {
    const { app, services } = createTestApp(testDb());
    const lrs = await lrsClient(app, services);
    // The ADL suite's XAPI-00334 test, once per run: a PUT with "RobCIsNot", then a GET that also has
    // a bad version (400 or 401 expected). Sixty runs from one address lock nothing.
    const suite = basic('RobCIsNot', 'AUserOnThisLRS123');
    for (let run = 0; run < 60; run++) {
      await request(app)
        .put(`/xapi/statements?statementId=${randomUUID()}`)
        .set('X-Experience-API-Version', '2.0.0')
        .set('Authorization', suite)
        .send({ actor: { mbox: 'mailto:a@example.com' }, verb: { id: 'http://example.com/v' } })
        .expect(401);
      const bad = await get(app, suite).set('X-Experience-API-Version', 'BAD').expect(401);
      assert.match(bad.headers['www-authenticate'] ?? '', /^Basic /);
    }
    await get(app, basic(lrs.key, 'wrong')).expect(401);
    await get(app, lrs.auth).expect(200);
    // Keys of an issued shape still lock, known or not, so the lock does not tell which keys exist.
    const shaped = [
      newCredentialKey('00000000-0000-0000-0000-000000000000'),
      `cmi5.${randomUUID()}.${randomUUID()}`,
    ];
    for (const key of shaped) {
      for (let i = 0; i < 5; i++) await get(app, basic(key, `wrong-${i}`)).expect(401);
      await get(app, basic(key, 'wrong-again')).expect(429);
    }
  });

  it('runs the same scrypt work for an unknown key as for a known one', async () => {
    const { app, services } = createTestApp(testDb());
    const lrs = await lrsClient(app, services);
    const { service, work } = countingService();
    const refused = (key: string) =>
      assert.rejects(service.authenticate(key, 'guess'), { code: 'unauthenticated' });
    await refused(lrs.key);
    const known = [...work];
    work.length = 0;
    await refused(newCredentialKey(lrs.tenantId));
    await refused(newCredentialKey('00000000-0000-0000-0000-000000000000'));
    await refused('not-a-key');
    assert.equal(known.length, 1);
    assert.deepEqual(work, [known[0], known[0], known[0]]);
  });

  it('pays scrypt once for a valid client and refuses it at once when revoked', async () => {
    const { app, services } = createTestApp(testDb());
    const lrs = await lrsClient(app, services);
    const { service, work } = countingService();
    for (let i = 0; i < 3; i++) await service.authenticate(lrs.key, lrs.secret);
    assert.equal(work.length, 1);
    await service.revoke(lrs.key);
    await assert.rejects(service.authenticate(lrs.key, lrs.secret), /revoked/);
    assert.equal(service.isKnownSecret(lrs.key, lrs.secret), false);
  });

  it('refuses a revoked credential at once on an app server that cached its secret', async () => {
    const { app, services } = createTestApp(testDb());
    const lrs = await lrsClient(app, services);
    await get(app, lrs.auth).expect(200);
    const { service } = countingService();
    await service.revoke(lrs.key); // another server's service: this app's cache is not told
    await get(app, lrs.auth).expect(401);
  });

  it('authenticates before reading the body: a large unauthenticated upload gets 401, not 413', async () => {
    const { app } = createTestApp(testDb(), { xapi: { bodyLimitBytes: 1024 } });
    const big = JSON.stringify({ padding: 'x'.repeat(4096) });
    for (const auth of ['', basic(newCredentialKey('00000000-0000-0000-0000-000000000000'), 's')]) {
      const res = await request(app)
        .post('/xapi/statements')
        .set('X-Experience-API-Version', '1.0.3')
        .set('Content-Type', 'application/json')
        .set('Authorization', auth)
        .send(big);
      assert.equal(res.status, 401);
    }
  });

  it('locks out an address after repeated wrong admin tokens with 429 and Retry-After', async () => {
    const token = 'a'.repeat(40);
    const { app } = createTestApp(testDb(), { admin: { token } });
    const call = (t: string) =>
      request(app).get('/admin/api/lrs-credentials?tenant=x').set('Authorization', `Bearer ${t}`);
    for (let i = 0; i < 5; i++) await call(`wrong-${i}`).expect(401);
    const locked = await call(token).expect(429);
    assert.ok(Number(locked.headers['retry-after']) >= 1);
  });
});
