import assert from 'node:assert/strict';
import request from 'supertest';
import { useTestDatabase } from '../../support/test-database.js';
import { adminPagesApp } from '../../support/admin-pages-app.js';
import { buildZip, samplePackage, samplePackageEntries } from '../../fixtures/cmi5-packages.js';

/** The admin page that imports a cmi5 zip (multipart form) over real HTTP. */
describe('cmi5 package upload page', () => {
  const testDb = useTestDatabase();
  let app: ReturnType<typeof adminPagesApp>['app'];
  let origin: string;
  let tenantId: string;

  before(async () => {
    const made = adminPagesApp(testDb());
    app = made.app;
    origin = made.origin;
    tenantId = (await made.services.tenants.create('Acme')).id;
  });

  const upload = (zip: Buffer | undefined) => {
    const req = request(app)
      .post('/admin/content-packages')
      .set('x-test-tenant', tenantId)
      .set('Origin', origin);
    return zip
      ? req.attach('file', zip, { filename: 'course.zip', contentType: 'application/zip' })
      : req.field('x', '1');
  };

  it('shows the upload form with the size limit', async () => {
    const res = await request(app).get('/admin/content-packages').set('x-test-tenant', tenantId).expect(200);
    assert.match(res.text, /enctype="multipart\/form-data"/);
    assert.match(res.text, /at most 500 MB/);
  });

  it('imports a zip and lists its module, version and AUs in course order', async () => {
    const res = await upload(samplePackage()).expect(201);
    assert.match(
      res.text,
      /Imported: <a href="\/admin\/modules\/[0-9a-f-]{36}">Forklift safety<\/a>, version 1/,
    );
    const aus = [...res.text.matchAll(/<tr><td>([^<]+)<\/td><td>([^<]*)<\/td>/g)].map((m) => [m[1], m[2]]);
    assert.deepEqual(aus, [
      ['Introduction', 'Basics'],
      ['Load limits', 'Basics'],
      ['Final quiz', 'Assessment'],
    ]);
  });

  it('refuses a zip without cmi5.xml with the reason, and stores nothing', async () => {
    const entries = samplePackageEntries({ courseTitle: 'Other' }).filter((e) => e.path !== 'cmi5.xml');
    const res = await upload(buildZip(entries)).expect(400);
    assert.match(res.text, /The zip has no cmi5\.xml, so it is not a cmi5 package/);
    assert.match(res.text, /Nothing of it was stored/);
    const stored = await testDb().db.selectFrom('content_package').select('title').execute();
    assert.deepEqual(
      stored.map((p) => p.title),
      ['Forklift safety'],
    );
  });

  it('asks for a file when the form has none', async () => {
    const res = await upload(undefined).expect(400);
    assert.match(res.text, /Choose the cmi5 zip file/);
  });

  it('refuses a post from another site (CSRF)', async () => {
    await request(app)
      .post('/admin/content-packages')
      .set('x-test-tenant', tenantId)
      .set('Origin', 'https://evil.example')
      .attach('file', samplePackage({ courseTitle: 'Evil' }), 'course.zip')
      .expect(403);
  });
});
