import assert from 'node:assert/strict';
import request from 'supertest';
import { useTestDatabase } from '../../support/test-database.js';
import { adminPagesApp } from '../../support/admin-pages-app.js';
import { insertPeople } from '../../fixtures/people.js';
import type { Services } from '../../../src/services.js';

/** The outcome-import pages' endpoints over real HTTP: create, upload, poll, report, accept. */
describe('outcome import pages', () => {
  const testDb = useTestDatabase();
  let services: Services;
  let app: ReturnType<typeof adminPagesApp>['app'];
  let origin: string;
  let tenantId: string;

  const csv = [
    'Emp No,Month,Deferral %,Match',
    'E000001,2026-01,5,100',
    'E000002,2026-01,6%,"1,200.50"',
    'E000003,2026-01,4,80',
  ].join('\n');

  async function upload(
    body: string,
    mapping: Record<string, string> = { 'Emp No': 'employee_id', Match: 'employer_match_amount' },
  ) {
    const created = await request(app)
      .post('/admin/outcome-imports')
      .set('x-test-tenant', tenantId)
      .set('Origin', origin)
      .send({
        kind: 'payroll',
        fileName: 'payroll.csv',
        sizeBytes: Buffer.byteLength(body),
        mapping,
        nullRates: 'contribution_amount=1 employer_match_amount=1',
      })
      .expect(201);
    assert.equal(created.body.status, 'created');
    assert.equal(created.body.progress.fraction, 0);
    const staged = await request(app)
      .post(`/admin/outcome-imports/${created.body.id}/file`)
      .set('x-test-tenant', tenantId)
      .set('Origin', origin)
      .type('text/csv')
      .send(body);
    return { id: created.body.id as string, staged };
  }

  before(async () => {
    ({ app, services, origin } = adminPagesApp(testDb()));
    tenantId = (await services.tenants.create('Import Co')).id;
    await insertPeople(testDb().db, tenantId, 3, 1);
  });

  it('shows the upload form with the kinds and the mapping step', async () => {
    const page = await request(app).get('/admin/outcome-imports').set('x-test-tenant', tenantId).expect(200);
    assert.match(page.text, /<label for="file">CSV file<\/label>/);
    assert.match(page.text, /<progress id="progress"/);
    assert.match(page.text, /"payroll":\[\{"name":"employee_id","required":true\}/);
  });

  it('stages an uploaded CSV with the mapping, reports progress and quality, then accepts it', async () => {
    const { id, staged } = await upload(csv);
    assert.equal(staged.status, 200, staged.text);
    assert.equal(staged.body.status, 'staged');
    const status = await request(app)
      .get(`/admin/outcome-imports/${id}/status`)
      .set('x-test-tenant', tenantId)
      .expect(200);
    assert.equal(status.body.progress.fraction, 1);
    assert.equal(status.body.progress.rowsParsed, 3);
    assert.equal(status.headers['cache-control'], 'no-store');
    const report = await request(app)
      .get(`/admin/outcome-imports/${id}`)
      .set('x-test-tenant', tenantId)
      .expect(200);
    assert.match(report.text, /3 rows: 3 valid, 0 with errors/);
    assert.match(report.text, /<td>Emp No<\/td><td>employee_id<\/td>/);
    assert.match(report.text, /Accept: apply every valid row/);
    await request(app)
      .post(`/admin/outcome-imports/${id}/accept`)
      .set('x-test-tenant', tenantId)
      .set('Origin', origin)
      .expect(303)
      .expect('Location', `/admin/outcome-imports/${id}?accepted=1`);
    const done = await request(app)
      .get(`/admin/outcome-imports/${id}`)
      .set('x-test-tenant', tenantId)
      .expect(200);
    assert.match(done.text, /3 inserted, 0 updated, 0 unchanged/);
  });

  it('refuses to accept a file with blocking problems and lists the failing rows', async () => {
    const { id, staged } = await upload('Emp No,Month,Deferral %\nE000001,2026-02,500\nE000009,2026-02,5\n', {
      'Emp No': 'employee_id',
    });
    assert.equal(staged.body.status, 'staged');
    const page = await request(app)
      .get(`/admin/outcome-imports/${id}`)
      .set('x-test-tenant', tenantId)
      .expect(200);
    assert.match(page.text, /Blocks acceptance/);
    assert.match(page.text, /Rows with errors/);
    assert.doesNotMatch(page.text, /Accept: apply/);
    const refused = await request(app)
      .post(`/admin/outcome-imports/${id}/accept`)
      .set('x-test-tenant', tenantId)
      .set('Origin', origin)
      .expect(412);
    assert.match(refused.text, /nothing was applied/);
  });

  it('says what is wrong with a mapping that names a missing column, and refuses foreign posts', async () => {
    const { staged } = await upload(csv, { 'Employee Number': 'employee_id' });
    assert.equal(staged.status, 400);
    assert.match(staged.body.error.message, /Employee Number/);
    await request(app)
      .post('/admin/outcome-imports')
      .set('x-test-tenant', tenantId)
      .set('Origin', 'https://evil.example')
      .send({ kind: 'payroll' })
      .expect(403);
  });
});
