import assert from 'node:assert/strict';
import { useTestDatabase } from '../../support/test-database.js';
import { insertPeople } from '../../fixtures/people.js';
import { insertHrisMonths, months, type HrisMonth } from '../../fixtures/outcomes.js';
import { createServices, type Services } from '../../../src/services.js';
import { SeededRandom } from '../../../src/dev/synthetic/random.js';
import { trendShift, type MonthlyMean } from '../../../src/reports/trend-attribution.js';
import { ValidationError } from '../../../src/errors.js';
import type { Program } from '../../../src/cohorts/model.js';

const PRE = months('2025-07', '2025-12');
const POST = months('2026-01', '2026-06');

/**
 * A wellbeing program offered to everyone eligible (no control group): absence drifts up before the
 * program and drops by about 1.2 days a year after it. The trend fallback is checked against the
 * calculator applied to monthly means computed here from the generated rows.
 */
describe('attribution without a comparison group: the trend-line fallback', () => {
  const testDb = useTestDatabase();
  let services: Services;
  let tenantId: string;
  let program: Program;
  const rows: HrisMonth[] = [];

  before(async function () {
    this.timeout(30000);
    const db = testDb().db;
    services = createServices({ db });
    tenantId = (await services.tenants.create('Trend Co')).id;
    const ids = await insertPeople(db, tenantId, 40, 5);
    program = await services.programs.create(tenantId, {
      name: 'Wellbeing for all',
      preWindow: { start: '2025-07-01', end: '2025-12-31' },
      postWindow: { start: '2026-01-01', end: '2026-06-30' },
    });
    await services.cohorts.enroll(tenantId, program.id, { pool: {} });
    const rnd = new SeededRandom(3);
    for (const id of ids)
      for (const [i, period] of [...PRE, ...POST].entries()) {
        const days = 0.6 + 0.01 * i - (period >= '2026-01-01' ? 0.1 : 0) + rnd.normal(0, 0.15);
        rows.push({ personId: id, period, absenceDays: Math.max(0, Math.round(days * 100) / 100) });
      }
    await insertHrisMonths(db, tenantId, rows);
    await services.economics.addEvent(tenantId, program.id, {
      startsOn: '2026-02-01',
      title: 'Flu season',
    });
  });

  it('projects the pre-window monthly trend over the post months and records person-level contributions', async () => {
    const result = await services.attribution.estimate(tenantId, program, {
      outcome: 'absence_days',
      method: 'trend',
      record: true,
    });
    const series: MonthlyMean[] = [...PRE, ...POST].map((month, time) => {
      const values = rows.filter((r) => r.period === month).map((r) => r.absenceDays * 12);
      return {
        month,
        time,
        phase: month < '2026-01-01' ? 'pre' : 'post',
        mean: values.reduce((s, v) => s + v, 0) / values.length,
        people: values.length,
      };
    });
    const expected = trendShift(series);
    // Fewer absence days is better: the improvement is the projection minus the observed level.
    assert.ok(Math.abs(result.improvement - -expected.estimate) < 1e-9, `${result.improvement}`);
    assert.ok(Math.abs(result.lower - -expected.upper) < 1e-9);
    assert.ok(result.improvement > 0.5, `about 1.2 days a year, got ${result.improvement}`);
    assert.equal(result.method, 'trend');
    assert.equal(result.comparison, 0);
    assert.match(result.methodName, /trend-line fallback/);
    assert.ok(result.warnings.some((w) => /No comparison group/.test(w)));
    assert.ok(result.assumptions.some((a) => /pre-window monthly trend/.test(a)));
    assert.deepEqual(
      result.confoundingEvents.map((e) => e.title),
      ['Flu season'],
    );
    const effects = await testDb().db.selectFrom('program_effect_person').select('improvement').execute();
    assert.equal(effects.length, 40);
  });

  it('feeds the ROI report, which warns that the effect has no comparison group', async () => {
    await services.economics.setCostModel(tenantId, program.id, { delivery: 4000 });
    await services.economics.setAssumption(tenantId, program.id, {
      outcome: 'absence_days',
      label: 'Absence days avoided',
      unit: 'day',
      valuePerUnit: 250,
      source: 'Payroll',
      confidencePercent: 70,
    });
    const report = await services.roiReports.build(tenantId, program);
    assert.match(report.benefits[0]!.method, /trend-line fallback/);
    assert.ok(report.warnings.some((w) => /not from a comparison group/.test(w)));
    assert.ok(report.bootstrap);
  });

  it('asks for a longer pre window when it holds fewer than 3 months of data', async () => {
    const short = await services.programs.create(tenantId, {
      name: 'Short pre window',
      preWindow: { start: '2025-11-01', end: '2025-12-31' },
      postWindow: { start: '2026-01-01', end: '2026-06-30' },
    });
    await services.cohorts.enroll(tenantId, short.id, { pool: {} });
    await assert.rejects(
      services.attribution.estimate(tenantId, short, { outcome: 'absence_days', method: 'trend' }),
      (e: unknown) => e instanceof ValidationError && /extend the pre window/.test(e.message),
    );
  });
});
