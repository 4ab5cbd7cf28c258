import assert from 'node:assert/strict';
import type { RequestHandler } from 'express';
import request from 'supertest';
import { useTestDatabase } from '../../support/test-database.js';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import { createApp } from '../../../src/app.js';
import { createServices, type Services } from '../../../src/services.js';
import { ForbiddenError } from '../../../src/errors.js';

/** The admin LRS credential pages over real HTTP, with access stubbed as an admin session gives it. */
describe('LRS credential pages', () => {
  const testDb = useTestDatabase();
  const origin = 'http://localhost:3000';
  let services: Services;
  let app: ReturnType<typeof createApp>;
  let tenantId: string;

  before(async () => {
    services = createServices({ db: testDb().db });
    tenantId = (await services.tenants.create('Content Co')).id;
    await services.tenants.create('Elsewhere');
    const guard: RequestHandler = (req, res, next) => {
      const tenant = req.get('x-test-tenant');
      if (!tenant) return next(new ForbiddenError('Open this page from the LMS as an administrator.'));
      res.locals.tenantId = tenant;
      next();
    };
    app = createApp({
      config: loadConfig({ env: { NODE_ENV: 'test', PUBLIC_URL: origin } }),
      logger: createLogger({ level: 'silent', pretty: false }),
      services,
      database: { serverVersion: 'test', source: 'embedded' },
      adminPages: { guard, tenantId: (res) => res.locals.tenantId as string },
    });
  });

  it('creates a credential from the form, shows its secret once, and the secret works on /xapi', async () => {
    const res = await request(app)
      .post('/admin/lrs-credentials')
      .set('x-test-tenant', tenantId)
      .set('Origin', origin)
      .type('form')
      .send('name=Storyline+course&scopes=statements%2Fwrite&scopes=statements%2Fread')
      .expect(201);
    const key = /<dt>Key<\/dt><dd><code>([^<]+)<\/code>/.exec(res.text)![1]!;
    const secret = /<dt>Secret<\/dt><dd><code>([^<]+)<\/code>/.exec(res.text)![1]!;
    assert.match(res.text, /cannot show it again/);
    await request(app)
      .get('/xapi/statements')
      .auth(key, secret)
      .set('X-Experience-API-Version', '1.0.3')
      .expect(200);
    const list = await request(app).get('/admin/lrs-credentials').set('x-test-tenant', tenantId).expect(200);
    assert.match(list.text, new RegExp(key));
    assert.doesNotMatch(list.text, new RegExp(secret));
    assert.match(list.text, /statements\/write, statements\/read/);
  });

  it('refuses a form posted from another site', async () => {
    await request(app)
      .post('/admin/lrs-credentials')
      .set('x-test-tenant', tenantId)
      .set('Origin', 'https://evil.example')
      .type('form')
      .send('scopes=all')
      .set('Accept', 'application/json')
      .expect(403);
  });

  it('refuses a form whose only origin evidence is a malformed Referer', async () => {
    await request(app)
      .post('/admin/lrs-credentials')
      .set('x-test-tenant', tenantId)
      .set('Referer', 'not a url')
      .type('form')
      .send('scopes=all')
      .set('Accept', 'application/json')
      .expect(403);
  });

  it('revokes only the tenant’s own credentials', async () => {
    const theirs = await services.lrsCredentials.create({
      tenant: 'Elsewhere',
      scopes: ['all'],
      homePage: origin,
    });
    await request(app)
      .post(`/admin/lrs-credentials/${theirs.key}/revoke`)
      .set('x-test-tenant', tenantId)
      .set('Origin', origin)
      .set('Accept', 'application/json')
      .expect(404);
    const mine = await services.lrsCredentials.create({
      tenant: 'Content Co',
      scopes: ['all'],
      homePage: origin,
    });
    await request(app)
      .post(`/admin/lrs-credentials/${mine.key}/revoke`)
      .set('x-test-tenant', tenantId)
      .set('Origin', origin)
      .expect(303);
    const listed = await services.lrsCredentials.list('Content Co');
    assert.ok(listed.find((c) => c.key === mine.key)!.revokedAt);
    assert.equal(
      (await services.lrsCredentials.list('Elsewhere')).find((c) => c.key === theirs.key)!.revokedAt,
      null,
    );
  });
});
