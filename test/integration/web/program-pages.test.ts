import assert from 'node:assert/strict';
import type { RequestHandler } from 'express';
import request from 'supertest';
import { useTestDatabase } from '../../support/test-database.js';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import { createApp } from '../../../src/app.js';
import { createServices, type Services } from '../../../src/services.js';
import { ForbiddenError } from '../../../src/errors.js';

/**
 * The admin program pages over real HTTP. Access is stubbed the way an admin LTI session provides it:
 * a guard that admits the request and names its tenant (header-driven here).
 */
describe('program pages', () => {
  const testDb = useTestDatabase();
  let services: Services;
  let app: ReturnType<typeof createApp>;
  let tenantId: string;
  let otherTenantId: string;

  before(async () => {
    services = createServices({ db: testDb().db });
    tenantId = (await services.tenants.create('Pages Co')).id;
    otherTenantId = (await services.tenants.create('Other Co')).id;
    const guard: RequestHandler = (req, res, next) => {
      const tenant = req.get('x-test-tenant');
      if (!tenant) return next(new ForbiddenError('Open this page from the LMS as an administrator.'));
      res.locals.tenantId = tenant;
      next();
    };
    app = createApp({
      config: loadConfig({ env: { NODE_ENV: 'test' } }),
      logger: createLogger({ level: 'silent', pretty: false }),
      services,
      database: { serverVersion: 'test', source: 'embedded' },
      adminPages: { guard, tenantId: (res) => res.locals.tenantId as string },
    });
  });

  it('shows the ROI page with the headline, the waterfall chart and its table, and the sources', async () => {
    const program = await services.programs.create(tenantId, { name: 'Wellness <script>x</script>' });
    await services.economics.setCostModel(tenantId, program.id, { delivery: 50000 });
    for (const [outcome, label, dollars] of [
      ['absenteeism', 'Absenteeism savings', 120000],
      ['productivity', 'Productivity gain', 80000],
    ] as const) {
      await services.economics.setAssumption(tenantId, program.id, {
        outcome,
        label,
        unit: 'dollar',
        valuePerUnit: 1,
        source: 'Finance 2026',
        confidencePercent: 100,
      });
      await services.economics.recordEffect(tenantId, program.id, {
        outcome,
        unitsPerParticipant: dollars,
        participants: 1,
        method: 'did',
        lower: dollars / 2,
        upper: dollars,
      });
    }
    const res = await request(app)
      .get(`/admin/programs/${program.id}`)
      .set('x-test-tenant', tenantId)
      .set('Accept', 'text/html')
      .expect(200);
    // Both effects at the low end of their intervals: 100,000 against 50,000 -> 100%; high end 300%.
    assert.match(
      res.text,
      /Return on investment <strong id="verdict-figure">300%<\/strong> <span[^>]*>\(range 100% to 300%\)/,
    );
    assert.match(
      res.text,
      /Paid off: every \$1 spent returned \$4\.00; even the cautious estimate is 100%\./,
    );
    assert.match(
      res.text,
      /<title id="roi-waterfall-wide-title">Paid off: ROI 300% \(range 100% to 300%\)<\/title>/,
    );
    assert.match(res.text, /<svg[^>]*role="img"/);
    assert.match(res.text, /Show the numbers as a table/);
    assert.match(res.text, /Finance 2026/);
    assert.match(res.text, /difference-in-differences/);
    assert.doesNotMatch(res.text, /<script>x<\/script>/);
    assert.match(res.text, /Wellness &lt;script&gt;x&lt;\/script&gt;/);
  });

  it('lists the tenant’s programs only', async () => {
    await services.programs.create(otherTenantId, { name: 'Secret program' });
    const res = await request(app).get('/admin/programs').set('x-test-tenant', tenantId).expect(200);
    assert.match(res.text, /Wellness/);
    assert.doesNotMatch(res.text, /Secret program/);
  });

  it('says what to enter when a program is not ready for ROI', async () => {
    const program = await services.programs.create(tenantId, { name: 'Fresh' });
    const res = await request(app)
      .get(`/admin/programs/${program.id}`)
      .set('x-test-tenant', tenantId)
      .expect(200);
    assert.match(res.text, /has no cost model yet; enter its costs/);
  });

  it('refuses another tenant’s program and a request without access', async () => {
    const foreign = await services.programs.create(otherTenantId, { name: 'Foreign' });
    await request(app)
      .get(`/admin/programs/${foreign.id}`)
      .set('x-test-tenant', tenantId)
      .set('Accept', 'text/html')
      .expect(404);
    await request(app).get('/admin/programs').set('Accept', 'text/html').expect(403);
  });
});
