import assert from 'node:assert/strict';
import type { RequestHandler } from 'express';
import request from 'supertest';
import { useTestDatabase } from '../../support/test-database.js';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import { createApp } from '../../../src/app.js';
import { createServices, type Services } from '../../../src/services.js';
import { ForbiddenError } from '../../../src/errors.js';
import { tenantWithPeople } from '../../fixtures/outcomes/outcome-builders.js';
import { visibleText } from '../../support/page-text.js';

/** The privacy admin page over real HTTP, with access stubbed as an admin session gives it. */
describe('Privacy admin page (issue #18)', () => {
  const testDb = useTestDatabase();
  const origin = 'http://localhost:3000';
  let services: Services;
  let app: ReturnType<typeof createApp>;
  let tenantId: string;
  const post = (path: string, body: string) =>
    request(app).post(path).set('x-test-tenant', tenantId).set('Origin', origin).type('form').send(body);

  before(async () => {
    services = createServices({ db: testDb().db });
    tenantId = (await tenantWithPeople(services, testDb().db, 'Privacy Co', 3)).id;
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

  it('shows the retention policy and when the next sweep runs', async () => {
    const res = await request(app).get('/admin/privacy').set('x-test-tenant', tenantId).expect(200);
    const text = visibleText(res.text);
    assert.match(text, /The next sweep runs \w{3} \d{1,2}, \d{4}/);
    assert.match(text, /statements xAPI statements.* until erased/);
    assert.match(text, /No erasure yet/);
  });

  it('finds a person, exports them as JSON, erases them after confirmation and lists the request', async () => {
    const found = visibleText(
      (await post('/admin/privacy/find', 'by=employeeId&value=E002').expect(200)).text,
    );
    assert.match(found, /person \(people table\) 1/);
    const exported = await post('/admin/privacy/export', 'by=employeeId&value=E002').expect(200);
    assert.match(exported.headers['content-disposition']!, /attachment; filename="person-export-/);
    assert.ok((exported.body as { items: unknown[] }).items.length > 0);
    const summary = await post('/admin/privacy/export', 'by=employeeId&value=E002&format=html').expect(200);
    assert.match(summary.headers['content-type']!, /^text\/html/);
    assert.match(summary.headers['content-disposition']!, /attachment; filename="person-export-.*\.html"/);
    assert.equal(summary.headers['cache-control'], 'no-store');
    assert.match(visibleText(summary.text), /Your employee record \(1 record\)/);

    const unconfirmed = await post(
      '/admin/privacy/erase',
      'by=employeeId&value=E002&requested_by=the+employee&approved_by=the+DPO',
    );
    assert.equal(unconfirmed.status, 400);
    assert.match(unconfirmed.text, /tick the box to confirm/);

    const erased = visibleText(
      (
        await post(
          '/admin/privacy/erase',
          'by=employeeId&value=E002&requested_by=the+employee&approved_by=the+DPO&confirm=yes',
        ).expect(200)
      ).text,
    );
    assert.match(erased, /1 employee id\(s\) tombstoned/);
    assert.match(erased, /Erasure requests .* the employee the DPO/);
    const again = visibleText((await post('/admin/privacy/find', 'by=employeeId&value=E002')).text);
    assert.match(again, /Nothing in this tenant names that person/);
  });

  it('sets a retention period from the form', async () => {
    const res = await post('/admin/privacy/retention', 'kind=logs&days=400&by=the+DPO').expect(200);
    assert.match(visibleText(res.text), /logs the grade passback log, by score time 400 days/);
    assert.deepEqual(
      (await services.retention.show(tenantId)).policies.map((p) => [p.kind, p.days]),
      [['logs', 400]],
    );
  });

  it('refuses the page without an admin session', async () => {
    await request(app).get('/admin/privacy').expect(403);
  });
});
