import assert from 'node:assert/strict';
import request from 'supertest';
import { useTestDatabase } from '../../support/test-database.js';
import { ADMIN_TOKEN, createAdminApp } from '../../fixtures/outcomes/admin-app.js';
import { fullModuleContent, onePageContent } from '../../fixtures/modules.js';

describe('module admin API (HTTP, real PostgreSQL)', () => {
  const testDb = useTestDatabase();
  let app: ReturnType<typeof createAdminApp>['app'];
  let services: ReturnType<typeof createAdminApp>['services'];
  const base = '/admin/api/modules/tenants/Acme%20Learning';
  const auth = `Bearer ${ADMIN_TOKEN}`;

  before(async () => {
    ({ app, services } = createAdminApp(testDb()));
    await services.tenants.create('Acme Learning');
    await services.tenants.create('Other Org');
  });

  it('needs the admin token', async () => {
    await request(app).get(`${base}/modules`).expect(401);
    await request(app).get(`${base}/modules`).set('Authorization', 'Bearer wrong').expect(401);
  });

  it('creates, drafts, publishes and exports a module', async () => {
    const created = await request(app)
      .post(`${base}/modules`)
      .set('Authorization', auth)
      .send({ title: 'Hazard spotting' })
      .expect(201);
    const id = created.body.id as string;
    assert.match(created.headers.location!, new RegExp(`/modules/${id}$`));
    const draft = await request(app)
      .put(`${base}/modules/${id}/draft`)
      .set('Authorization', auth)
      .send({ content: fullModuleContent() })
      .expect(200);
    assert.equal(draft.body.version, 1);
    const published = await request(app)
      .post(`${base}/modules/${id}/publish`)
      .set('Authorization', auth)
      .expect(200);
    assert.equal(published.body.status, 'published');
    const exported = await request(app)
      .get(`${base}/modules/${id}/export`)
      .set('Authorization', auth)
      .expect(200);
    assert.match(exported.headers['content-disposition']!, /attachment; filename="module-.*-v1\.json"/);
    const file = JSON.parse(exported.text);
    assert.equal(file.format, 'yardstick-module/1');
    assert.deepEqual(file.content, fullModuleContent());
    const detail = await request(app).get(`${base}/modules/${id}`).set('Authorization', auth).expect(200);
    assert.equal(detail.body.versions.length, 1);
    const list = await request(app).get(`${base}/modules`).set('Authorization', auth).expect(200);
    assert.deepEqual(
      list.body.map((m: { title: string; publishedVersion: number }) => [m.title, m.publishedVersion]),
      [['Hazard spotting', 1]],
    );
  });

  it('answers 400 with per-field JSON paths for an invalid draft', async () => {
    const m = await services.modules.create((await services.tenants.getByName('Acme Learning')).id, {
      title: 'Bad draft',
    });
    const content = onePageContent() as unknown as { pages: { format: string }[]; attemptLimit: number };
    content.pages[0]!.format = 'docx';
    content.attemptLimit = -2;
    const res = await request(app)
      .put(`${base}/modules/${m.id}/draft`)
      .set('Authorization', auth)
      .send({ content })
      .expect(400);
    assert.deepEqual(res.body.error.details.map((d: { path: string }) => d.path).sort(), [
      'attemptLimit',
      'pages[0].format',
    ]);
  });

  it('answers 412 when publishing without a draft', async () => {
    const m = await services.modules.create((await services.tenants.getByName('Acme Learning')).id, {
      title: 'No draft',
    });
    const res = await request(app)
      .post(`${base}/modules/${m.id}/publish`)
      .set('Authorization', auth)
      .expect(412);
    assert.match(res.body.error.message, /no draft to publish/);
  });

  it('imports a file; an invalid one answers 400 and writes nothing', async () => {
    const file = { format: 'yardstick-module/1', title: 'Imported', content: onePageContent() };
    const ok = await request(app).post(`${base}/imports`).set('Authorization', auth).send(file).expect(201);
    assert.equal(ok.body.draft.version, 1);
    const before = (await services.modules.list((await services.tenants.getByName('Acme Learning')).id))
      .length;
    const bad = await request(app)
      .post(`${base}/imports`)
      .set('Authorization', auth)
      .send({ ...file, title: 'Imported badly', content: { pages: [] } })
      .expect(400);
    assert.deepEqual(bad.body.error.details, [
      {
        path: 'content.pages',
        message: 'add at least one content page, or point the module to an external activity',
      },
    ]);
    assert.equal(
      (await services.modules.list((await services.tenants.getByName('Acme Learning')).id)).length,
      before,
    );
  });

  it('starts, reports and stops a content experiment', async () => {
    const tenantId = (await services.tenants.getByName('Acme Learning')).id;
    const m = await services.modules.create(tenantId, { title: 'Two versions' });
    for (const body of ['a', 'b']) {
      await services.modules.saveDraft(tenantId, m.id, onePageContent(body));
      await services.modules.publish(tenantId, m.id);
    }
    const created = await request(app)
      .post(`${base}/modules/${m.id}/experiments`)
      .set('Authorization', auth)
      .send({ name: 'A vs B', armAVersion: 1, armBVersion: 2, seed: 5 })
      .expect(201);
    assert.equal(created.body.seed, 5);
    const assigned = await services.moduleExperiments.versionForLearner(tenantId, m.id, 'learner-1');
    const results = await request(app)
      .get(`${base}/modules/${m.id}/experiments`)
      .set('Authorization', auth)
      .expect(200);
    assert.equal(results.body.length, 1);
    assert.deepEqual(
      results.body[0].arms.map((a: { arm: string; assigned: number }) => [a.arm, a.assigned]),
      [
        ['A', assigned.arm === 'A' ? 1 : 0],
        ['B', assigned.arm === 'B' ? 1 : 0],
      ],
    );
    await request(app)
      .post(`${base}/modules/${m.id}/experiments/${created.body.id}/stop`)
      .set('Authorization', auth)
      .expect(200);
    await request(app)
      .post(`${base}/modules/${m.id}/experiments/${created.body.id}/stop`)
      .set('Authorization', auth)
      .expect(412);
  });

  it('does not show one tenant’s module through another tenant’s address', async () => {
    const mine = await services.modules.create((await services.tenants.getByName('Acme Learning')).id, {
      title: 'Only ours',
    });
    await request(app)
      .get(`/admin/api/modules/tenants/Other%20Org/modules/${mine.id}`)
      .set('Authorization', auth)
      .expect(404);
  });
});
