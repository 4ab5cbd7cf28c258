import assert from 'node:assert/strict';
import { useTestDatabase } from '../../support/test-database.js';
import { insertPeople } from '../../fixtures/people.js';
import { insertHrisMonths, months, type HrisMonth } from '../../fixtures/outcomes.js';
import { createServices, type Services } from '../../../src/services.js';
import { SeededRandom } from '../../../src/dev/synthetic/random.js';
import { bootstrapRoi } from '../../../src/reports/roi/bootstrap-roi.js';
import { createCohortRepository } from '../../../src/storage/repositories/cohort-repository.js';
import type { Program } from '../../../src/cohorts/model.js';

const PRE = months('2026-01', '2026-03');
const POST = months('2026-04', '2026-09');

/**
 * The participant bootstrap in the program ROI report: 80 people randomized, absence measured monthly,
 * the randomized effect recorded with its person-level contributions, then monetized. The expected
 * interval is recomputed here from the generated rows with the pure calculator.
 */
describe('program ROI report: participant bootstrap', () => {
  const testDb = useTestDatabase();
  let services: Services;
  let tenantId: string;
  let program: Program;
  const absence = new Map<string, number[]>();

  before(async function () {
    this.timeout(30000);
    const db = testDb().db;
    services = createServices({ db });
    tenantId = (await services.tenants.create('Bootstrap Co')).id;
    const ids = await insertPeople(db, tenantId, 80, 3);
    program = await services.programs.create(tenantId, {
      name: 'Absence pilot',
      preWindow: { start: '2026-01-01', end: '2026-03-31' },
      postWindow: { start: '2026-04-01', end: '2026-09-30' },
    });
    await services.cohorts.randomize(tenantId, program.id, { seed: 11 });
    const arm = new Map(
      (await createCohortRepository(testDb().db).members(tenantId, program.id)).map((m) => [
        m.personId,
        m.arm,
      ]),
    );
    const rnd = new SeededRandom(8);
    const rows: HrisMonth[] = [];
    for (const id of ids) {
      const base = rnd.logNormal(0.7, 0.3);
      const values: number[] = [];
      for (const period of [...PRE, ...POST]) {
        const trained = arm.get(id) === 'treatment' && period >= '2026-04-01';
        const days = Math.max(0, Math.round((base - (trained ? 0.15 : 0) + rnd.normal(0, 0.2)) * 100) / 100);
        rows.push({ personId: id, period, absenceDays: days });
        if (period >= '2026-04-01') values.push(days);
      }
      absence.set(id, values);
    }
    await insertHrisMonths(db, tenantId, rows);
    await services.attribution.estimate(tenantId, program, {
      outcome: 'absence_days',
      method: 'randomized',
      record: true,
    });
    await services.economics.setCostModel(tenantId, program.id, { delivery: 3000 });
    await services.economics.setAssumption(tenantId, program.id, {
      outcome: 'absence_days',
      label: 'Absence days avoided',
      unit: 'day',
      valuePerUnit: 300,
      source: 'Payroll: daily loaded wage',
      confidencePercent: 80,
    });
  });

  it('resamples participants and headlines the lower end of the BCa interval', async () => {
    const report = await services.roiReports.build(tenantId, program);
    const boot = report.bootstrap!;
    assert.ok(boot, report.bootstrapUnavailable ?? 'no bootstrap');
    // Each contribution is the control mean minus the person's own annualized absence, so their mean
    // is the recorded effect and the bootstrap's point ROI is the report's adjusted ROI.
    assert.equal(boot.roiPercent, report.adjusted.roiPercent);
    assert.equal(boot.conservativeFrom, 'bca');
    assert.equal(boot.conservativeRoiPercent, boot.bca!.lowerPercent);
    assert.ok(Number(boot.bca!.lowerPercent) < Number(boot.roiPercent));
    assert.ok(Number(boot.percentile.upperPercent) > Number(boot.roiPercent));
    assert.match(boot.methodName, /participant bootstrap .*2000 resamples/);

    // Independently: annualized post absence per person (sum x 12 / months), contributions against the
    // control mean, monetized with value x confidence x participants / N.
    const members = await createCohortRepository(testDb().db).members(tenantId, program.id);
    const annual = (id: string) => (absence.get(id)!.reduce((s, x) => s + x, 0) * 12) / POST.length;
    const control = members.filter((m) => m.arm === 'control').map((m) => annual(m.personId));
    const controlMean = control.reduce((s, x) => s + x, 0) / control.length;
    const treated = members
      .filter((m) => m.arm === 'treatment')
      .map((m) => m.personId)
      .sort();
    const benefit = treated.map((id) => 300 * 0.8 * (controlMean - annual(id)));
    const expected = bootstrapRoi({
      benefitPerParticipant: benefit,
      fixedCost: '3000.00',
      resamples: 2000,
      seed: boot.seed,
    });
    assert.equal(boot.participants, treated.length);
    assert.equal(boot.bca!.lowerPercent, (expected.bca!.lower * 100).toFixed(1));
    assert.equal(boot.percentile.upperPercent, (expected.percentile.upper * 100).toFixed(1));
  });

  it('gives the same interval for the same data and seed, and another for another seed', async () => {
    const a = await services.roiReports.build(tenantId, program);
    const b = await services.roiReports.build(tenantId, program);
    const c = await services.roiReports.build(tenantId, program, { seed: 12345 });
    assert.deepEqual(a.bootstrap, b.bootstrap);
    assert.notDeepEqual(a.bootstrap!.bca, c.bootstrap!.bca);
  });

  it('keeps the bootstrap in snapshots', async () => {
    const snap = await services.roiReports.snapshot(tenantId, program);
    const stored = snap.report as { bootstrap: { conservativeRoiPercent: string } };
    assert.match(stored.bootstrap.conservativeRoiPercent, /^-?\d+\.\d$/);
    assert.equal(snap.kind, 'manual');
  });

  it('says why there is no interval when an effect was entered by hand', async () => {
    await services.economics.recordEffect(tenantId, program.id, {
      outcome: 'absence_days',
      unitsPerParticipant: 1.2,
      participants: 40,
      method: 'manual',
    });
    const report = await services.roiReports.build(tenantId, program);
    assert.equal(report.bootstrap, null);
    assert.match(report.bootstrapUnavailable!, /absence_days has no person-level data/);
  });
});
