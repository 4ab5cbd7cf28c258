import assert from 'node:assert/strict';
import { useTestDatabase } from '../../support/test-database.js';
import { createServices, type Services } from '../../../src/services.js';
import { cadenceDue } from '../../../src/reports/program-refresh-service.js';
import { programRefreshHandler } from '../../../src/reports/program-refresh-jobs.js';

/** The scheduled refresh, run through its job handler directly (no waiting for cron). */
describe('scheduled program refresh', () => {
  const testDb = useTestDatabase();
  let services: Services;
  let tenantId: string;

  before(async () => {
    services = createServices({ db: testDb().db });
    tenantId = (await services.tenants.create('Refresh Co')).id;
    const ready = await services.programs.create(tenantId, { name: 'Ready', benefitHorizonYears: 2 });
    await services.economics.setCostModel(tenantId, ready.id, { delivery: 1000 });
    await services.economics.setAssumption(tenantId, ready.id, {
      outcome: 'absence_days',
      label: 'Absence days avoided',
      unit: 'day',
      valuePerUnit: 100,
      source: 'Payroll',
      confidencePercent: 80,
    });
    await services.economics.recordEffect(tenantId, ready.id, {
      outcome: 'absence_days',
      unitsPerParticipant: 2,
      participants: 10,
      method: 'manual',
    });
    await services.programs.create(tenantId, { name: 'Not ready', leadingCadence: 'daily' });
  });

  it('knows when each cadence falls due', () => {
    assert.equal(cadenceDue('weekly', '2026-06-01'), true); // a Monday
    assert.equal(cadenceDue('weekly', '2026-06-02'), false);
    assert.equal(cadenceDue('quarterly', '2026-07-01'), true);
    assert.equal(cadenceDue('quarterly', '2026-08-01'), false);
    assert.equal(cadenceDue('monthly', '2026-08-01'), true);
    assert.equal(cadenceDue('yearly', '2027-01-01'), true);
    assert.equal(cadenceDue('yearly', '2026-07-01'), false);
  });

  it('takes a leading snapshot on Mondays and skips programs that cannot report yet', async () => {
    const outcomes = await services.programRefresh.runDue('2026-06-01');
    const ready = outcomes.find((o) => o.program === 'Ready')!;
    assert.deepEqual([ready.kind, ready.result], ['leading', 'taken']);
    const notReady = outcomes.find((o) => o.program === 'Not ready')!;
    assert.equal(notReady.result, 'skipped');
    assert.match(notReady.reason!, /no cost model yet/);
    const program = await services.programs.get(tenantId, 'Ready');
    const snaps = await services.roiReports.snapshots(tenantId, program.id);
    assert.deepEqual(
      snaps.map((s) => [s.kind, s.scheduledFor]),
      [['leading', '2026-06-01']],
    );
  });

  it('on a quarter day adds a forecast version and a lagging snapshot, once however often the job runs', async () => {
    const handler = programRefreshHandler(services.programRefresh);
    await handler({ day: '2026-07-01' });
    await handler({ day: '2026-07-01' }); // a retried job
    const program = await services.programs.get(tenantId, 'Ready');
    const snaps = await services.roiReports.snapshots(tenantId, program.id);
    assert.deepEqual(snaps.map((s) => s.kind).sort(), ['lagging', 'leading']);
    const versions = await services.forecasts.versions(tenantId, program.id);
    assert.equal(versions.length, 1);
    assert.equal(versions[0]!.trigger, 'schedule');
  });

  it('uses the current UTC day when the tick carries none', async () => {
    const handler = programRefreshHandler(services.programRefresh, () => new Date('2026-06-08T04:00:00Z'));
    await handler({});
    const program = await services.programs.get(tenantId, 'Ready');
    const snaps = await services.roiReports.snapshots(tenantId, program.id);
    assert.ok(snaps.some((s) => s.scheduledFor === '2026-06-08' && s.kind === 'leading'));
  });
});
