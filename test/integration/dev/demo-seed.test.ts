import assert from 'node:assert/strict';
import request from 'supertest';
import { useTestDatabase } from '../../support/test-database.js';
import { adminPagesApp } from '../../support/admin-pages-app.js';
import { seedDemoPrograms, DEMO_PROGRAMS } from '../../../src/dev/demo/demo-seed.js';
import { createDemoPeopleRepository } from '../../../src/dev/demo/demo-people-repository.js';
import type { Services } from '../../../src/services.js';
import { roiVerdict } from '../../../src/web/presenters/roi-verdict.js';

/** The demo tenant's three programs, seeded through the real services and shown by the real pages. */
describe('demo programs', () => {
  const testDb = useTestDatabase();
  let services: Services;
  let app: ReturnType<typeof adminPagesApp>['app'];
  let origin: string;
  let tenantId: string;
  const get = (path: string) => request(app).get(path).set('x-test-tenant', tenantId).expect(200);

  before(async function () {
    this.timeout(120000);
    ({ app, services, origin } = adminPagesApp(testDb()));
    tenantId = (await services.tenants.create('Demo')).id;
    const created = await seedDemoPrograms({
      services,
      people: createDemoPeopleRepository(testDb().db),
      tenantName: 'Demo',
    });
    assert.deepEqual(created, Object.values(DEMO_PROGRAMS));
  });

  it('tells each story with the method it names, an interval and a conservative bound', async () => {
    const expected = {
      [DEMO_PROGRAMS.retirement]: /randomized comparison/,
      [DEMO_PROGRAMS.claims]: /propensity-score matching/,
      [DEMO_PROGRAMS.wellbeing]: /trend-line fallback/,
    };
    for (const [name, method] of Object.entries(expected)) {
      const program = await services.programs.get(tenantId, name);
      const report = await services.roiReports.build(tenantId, program);
      assert.ok(
        report.benefits.every((b) => method.test(b.method)),
        `${name}: ${report.benefits.map((b) => b.method)}`,
      );
      assert.ok(report.bootstrap, `${name}: ${report.bootstrapUnavailable}`);
      assert.ok(Number(report.adjusted.roiPercent) > 50, `${name}: ROI ${report.adjusted.roiPercent}%`);
      assert.ok(Number(report.bootstrap.conservativeRoiPercent) < Number(report.adjusted.roiPercent));
      assert.equal(report.confoundingEvents.length, 1);
      assert.equal((await services.roiReports.snapshots(tenantId, program.id)).length, 1);
      assert.equal((await services.forecasts.versions(tenantId, program.id)).length, 1);
    }
  });

  it('gives every story the verdict the seeds tell: paid off, with an interval above break-even', async () => {
    for (const name of Object.values(DEMO_PROGRAMS)) {
      const program = await services.programs.get(tenantId, name);
      const verdict = roiVerdict(await services.roiReports.build(tenantId, program));
      assert.equal(verdict.toneLabel, 'Paid off', `${name}: ${verdict.figure} (${verdict.interval})`);
    }
  });

  it('measures the claims effect on generated claims: about 0.17 fewer minor ER claims a year, not zero', async () => {
    const program = await services.programs.get(tenantId, DEMO_PROGRAMS.claims);
    const [effect] = await services.economics.effects(tenantId, program.id);
    assert.ok(effect!.participants > 300, `${effect!.participants} matched pairs`);
    assert.ok(Number(effect!.lower) > 0, `interval ${effect!.lower} to ${effect!.upper}`);
    assert.ok(Math.abs(Number(effect!.unitsPerParticipant) - 0.17) < 0.07, effect!.unitsPerParticipant);
  });

  it('re-estimates effects with the options they were estimated with (the caliper survives the forecast)', async () => {
    const program = await services.programs.get(tenantId, DEMO_PROGRAMS.claims);
    const [effect] = await services.economics.effects(tenantId, program.id);
    assert.deepEqual(effect!.options, { level: 0.95, caliper: 0.2 });
    const [version] = await services.forecasts.versions(tenantId, program.id);
    assert.deepEqual((version!.forecast as { reestimated: unknown[] }).reestimated, [
      { outcome: 'claims_count', method: 'psm', ok: true },
    ]);
  });

  it('populates every program page', async () => {
    for (const name of Object.values(DEMO_PROGRAMS)) {
      const program = await services.programs.get(tenantId, name);
      const base = `/admin/programs/${program.id}`;
      const roi = await get(base);
      const verdict = roiVerdict(await services.roiReports.build(tenantId, program));
      assert.ok(roi.text.includes(`id="verdict-figure">${verdict.figure}<`), name);
      assert.ok(roi.text.includes(`(${verdict.intervalLabel} ${verdict.interval})`), name);
      assert.match(roi.text, /Multi-year forecast/);
      assert.match(roi.text, /Outcome data as of [A-Z][a-z]{2} \d{1,2}, 20\d\d; effects estimated as of/);
      assert.doesNotMatch((await get(`${base}/snapshots`)).text, /<td>unknown<\/td>/);
      assert.match((await get(`${base}/cohorts`)).text, /Effects from outcome data/);
      assert.match((await get(`${base}/money`)).text, /Monetization assumptions/);
      assert.match((await get(`${base}/context`)).text, /<h3>/);
      assert.match((await get(`${base}/snapshots`)).text, /demo seed/);
    }
    const retirement = await services.programs.get(tenantId, DEMO_PROGRAMS.retirement);
    assert.match((await get(`/admin/programs/${retirement.id}/cohorts`)).text, /<h2>Balance<\/h2>/);
    assert.match((await get('/admin/outcome-imports')).text, /payroll-2025-01-to-09\.csv/);
  });

  it('gives the board summary the program page’s verdict, a method on every number, intangibles unmonetized', async () => {
    const program = await services.programs.get(tenantId, DEMO_PROGRAMS.wellbeing);
    const board = await get(`/admin/programs/${program.id}/board`);
    const report = await services.roiReports.build(tenantId, program);
    const verdict = roiVerdict(report);
    assert.ok(board.text.includes(`id="verdict-figure">${verdict.figure}<`));
    assert.ok(board.text.includes(`id="verdict-sentence">${verdict.sentence}<`));
    assert.match(board.text, /Outcome data as of Jun 1, 2025/);
    const rows = [
      ...board.text.matchAll(/<tr><th scope="row">([^<]+)<\/th><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g),
    ];
    assert.ok(rows.length >= 8, `${rows.length} figures`);
    for (const [, label, , method] of rows) assert.ok(method!.trim().length > 5, `${label} has no method`);
    assert.match(
      board.text,
      /Intangibles \(listed, never monetized\):<\/strong> Job satisfaction; Team climate/,
    );
    assert.doesNotMatch(
      board.text.split('Benefits by source')[1]!.split('Not in the money')[0]!,
      /Job satisfaction/,
    );
    assert.match(board.text, /href="\/static\/programs\.css"/);
  });

  it('draws the trend fallback with the confounding event on the cohorts page', async () => {
    const program = await services.programs.get(tenantId, DEMO_PROGRAMS.wellbeing);
    const res = await request(app)
      .post(`/admin/programs/${program.id}/effects`)
      .set('x-test-tenant', tenantId)
      .set('Origin', origin)
      .type('form')
      .send({ outcome: 'absence_days', method: 'trend', caliper: '' })
      .expect(200);
    assert.match(res.text, /<svg[^>]*role="img"/);
    assert.match(res.text, /Pre-window trend, projected/);
    assert.match(res.text, /Flu season/);
    assert.match(res.text, /trend-line fallback/);
  });

  it('tells the same ROI, interval and verdict on every fresh start (no id- or time-dependent draw)', async function () {
    this.timeout(120000);
    const twin = (await services.tenants.create('Demo twin')).id;
    await seedDemoPrograms({
      services,
      people: createDemoPeopleRepository(testDb().db),
      tenantName: 'Demo twin',
    });
    for (const name of Object.values(DEMO_PROGRAMS)) {
      const [first, second] = await Promise.all(
        [tenantId, twin].map(async (t) => {
          const verdict = roiVerdict(
            await services.roiReports.build(t, await services.programs.get(t, name)),
          );
          return { figure: verdict.figure, interval: verdict.interval, sentence: verdict.sentence };
        }),
      );
      assert.deepEqual(second, first, name);
    }
  });

  it('adds nothing when run again', async () => {
    const again = await seedDemoPrograms({
      services,
      people: createDemoPeopleRepository(testDb().db),
      tenantName: 'Demo',
    });
    assert.deepEqual(again, []);
    assert.equal((await services.programs.list(tenantId)).length, 3);
  });
});
