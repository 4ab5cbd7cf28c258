import assert from 'node:assert/strict';
import request from 'supertest';
import { useTestDatabase } from '../../support/test-database.js';
import { adminPagesApp } from '../../support/admin-pages-app.js';
import type { Services } from '../../../src/services.js';

describe('program snapshot pages and the forecast panel', () => {
  const testDb = useTestDatabase();
  let services: Services;
  let app: ReturnType<typeof adminPagesApp>['app'];
  let origin: string;
  let tenantId: string;
  let programId: string;

  before(async () => {
    ({ app, services, origin } = adminPagesApp(testDb()));
    tenantId = (await services.tenants.create('Snap Co')).id;
    const program = await services.programs.create(tenantId, { name: 'Snap pilot', benefitHorizonYears: 3 });
    programId = program.id;
    await services.economics.setCostModel(tenantId, programId, { delivery: 1000 });
    await services.economics.setAssumption(tenantId, programId, {
      outcome: 'absence_days',
      label: 'Absence days avoided',
      unit: 'day',
      valuePerUnit: 100,
      source: 'Payroll',
      confidencePercent: 100,
    });
    await services.economics.recordEffect(tenantId, programId, {
      outcome: 'absence_days',
      unitsPerParticipant: 3,
      participants: 10,
      method: 'manual',
    });
  });

  it('takes a snapshot from the page (same-origin post only) and lists it with its dates', async () => {
    await request(app)
      .post(`/admin/programs/${programId}/snapshots`)
      .set('x-test-tenant', tenantId)
      .set('Origin', 'https://evil.example')
      .expect(403);
    await request(app)
      .post(`/admin/programs/${programId}/snapshots`)
      .set('x-test-tenant', tenantId)
      .set('Origin', origin)
      .expect(303)
      .expect('Location', `/admin/programs/${programId}/snapshots`);
    const list = await request(app)
      .get(`/admin/programs/${programId}/snapshots`)
      .set('x-test-tenant', tenantId)
      .expect(200);
    assert.match(list.text, /taken by hand/);
    assert.match(list.text, /800\.0%/);
    const id = /snapshots\/([0-9a-f-]{36})"/.exec(list.text)![1]!;
    await services.economics.setCostModel(tenantId, programId, { delivery: 3000 });
    const page = await request(app)
      .get(`/admin/programs/${programId}/snapshots/${id}`)
      .set('x-test-tenant', tenantId)
      .expect(200);
    assert.match(page.text, /This is the report as it was then/);
    assert.match(page.text, /Return on investment <strong id="verdict-figure">800%<\/strong>/);
  });

  it('shows the newest forecast version with its as-of dates on the program page', async () => {
    const program = await services.programs.get(tenantId, programId);
    await services.forecasts.run(tenantId, program, 'manual');
    const page = await request(app)
      .get(`/admin/programs/${programId}`)
      .set('x-test-tenant', tenantId)
      .expect(200);
    assert.match(page.text, /Multi-year forecast/);
    assert.match(page.text, /Version 1, estimated [A-Z][a-z]{2} \d{1,2}, \d{4} after an administrator/);
    assert.match(page.text, /3 years, discount rate 5%, effect decay 20% a year/);
  });

  it('does not show another tenant a snapshot', async () => {
    const other = (await services.tenants.create('Other')).id;
    await request(app)
      .get(`/admin/programs/${programId}/snapshots`)
      .set('x-test-tenant', other)
      .set('Accept', 'text/html')
      .expect(404);
  });
});
