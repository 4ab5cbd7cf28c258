import assert from 'node:assert/strict';
import { useTestDatabase } from '../../support/test-database.js';
import { insertPeople } from '../../fixtures/people.js';
import { months } from '../../fixtures/outcomes.js';
import { createServices, type Services } from '../../../src/services.js';
import { SeededRandom } from '../../../src/dev/synthetic/random.js';
import type { Program } from '../../../src/cohorts/model.js';
import type { Forecast } from '../../../src/reports/program-forecast-service.js';

/**
 * The rolling forecast: a randomized absence pilot whose HRIS data arrives in two imports. Each accepted
 * import re-estimates the recorded effect and adds a forecast version; the years follow the program's
 * horizon, discount rate and decay.
 */
describe('rolling multi-year forecast', () => {
  const testDb = useTestDatabase();
  let services: Services;
  let tenantId: string;
  let program: Program;
  let employees: string[];
  let arm: Map<string, string>;

  async function importHris(periods: string[], effect: number, seed: number) {
    const rnd = new SeededRandom(seed);
    const rows = employees.flatMap((employee_id) =>
      periods.map((period) => ({
        employee_id,
        period: period.slice(0, 7),
        absence_days: Math.max(
          0,
          Math.round(
            (0.7 -
              (arm.get(employee_id) === 'treatment' && period >= '2026-04-01' ? effect : 0) +
              rnd.normal(0, 0.2)) *
              100,
          ) / 100,
        ),
      })),
    );
    const created = await services.outcomeImports.create({
      tenantId,
      kind: 'hris',
      source: 'json',
      options: { nullRateThresholds: { productivity_index: 1 } },
      actor: 'test',
    });
    await services.outcomeImports.stageRows(tenantId, created.id, rows);
    return services.outcomeImports.accept(tenantId, created.id, 'test');
  }

  before(async function () {
    this.timeout(30000);
    const db = testDb().db;
    services = createServices({ db });
    tenantId = (await services.tenants.create('Forecast Co')).id;
    await insertPeople(db, tenantId, 60, 2);
    program = await services.programs.create(tenantId, {
      name: 'Absence pilot',
      preWindow: { start: '2026-01-01', end: '2026-03-31' },
      postWindow: { start: '2026-04-01', end: '2026-09-30' },
      benefitHorizonYears: 3,
      discountRate: 0.1,
      effectDecay: 0.5,
    });
    await services.cohorts.randomize(tenantId, program.id, { seed: 4 });
    const people = await db
      .selectFrom('person')
      .select(['id', 'employee_id'])
      .where('tenant_id', '=', tenantId)
      .execute();
    const members = await db
      .selectFrom('cohort_member as m')
      .innerJoin('cohort as c', 'c.id', 'm.cohort_id')
      .select(['m.person_id', 'c.arm'])
      .execute();
    const armOf = new Map(members.map((m) => [m.person_id, m.arm]));
    arm = new Map(people.map((p) => [p.employee_id!, armOf.get(p.id)!]));
    employees = people.map((p) => p.employee_id!).sort();
    await services.economics.setCostModel(tenantId, program.id, { delivery: 2000 });
    await services.economics.setAssumption(tenantId, program.id, {
      outcome: 'absence_days',
      label: 'Absence days avoided',
      unit: 'day',
      valuePerUnit: 200,
      source: 'Payroll',
      confidencePercent: 100,
    });
  });

  it('adds no version before the program has an effect, then one per accepted import', async () => {
    await importHris(months('2026-01', '2026-05'), 0.1, 1);
    assert.equal((await services.forecasts.versions(tenantId, program.id)).length, 0);
    await services.attribution.estimate(tenantId, program, {
      outcome: 'absence_days',
      method: 'did',
      record: true,
    });
    const first = await services.forecasts.run(tenantId, program, 'manual');
    assert.equal(first!.version, 1);
    await importHris(months('2026-06', '2026-09'), 0.3, 2);
    const versions = await services.forecasts.versions(tenantId, program.id);
    assert.deepEqual(
      versions.map((v) => [v.version, v.trigger]),
      [
        [2, 'import'],
        [1, 'manual'],
      ],
    );
    assert.equal(versions[0]!.dataAsOf, '2026-09-01');
    assert.equal(versions[1]!.dataAsOf, '2026-05-01');
    const [newer, older] = versions.map((v) => v.forecast as Forecast);
    assert.deepEqual(newer!.reestimated, [{ outcome: 'absence_days', method: 'did', ok: true }]);
    assert.notEqual(newer!.effects[0]!.unitsPerParticipant, older!.effects[0]!.unitsPerParticipant);
  });

  it('carries the effect over the horizon with decay and end-of-year discounting', async () => {
    const [latest] = await services.forecasts.versions(tenantId, program.id);
    const f = latest!.forecast as Forecast;
    const e = f.effects[0]!;
    const annual = Number(e.unitsPerParticipant) * e.participants * 200;
    assert.equal(f.years.length, 3);
    let cumulative = 0;
    for (const [i, y] of f.years.entries()) {
      const benefit = annual * 0.5 ** i;
      const pv = benefit / 1.1 ** (i + 1);
      cumulative += pv;
      assert.ok(Math.abs(Number(y.benefit) - benefit) < 0.01, `year ${i + 1} benefit`);
      assert.ok(Math.abs(Number(y.presentValue) - pv) < 0.01, `year ${i + 1} PV`);
      assert.ok(Math.abs(Number(y.cumulativeRoiPercent) - ((cumulative - 2000) / 2000) * 100) < 0.06);
    }
    assert.ok(f.years[2]!.conservativeCumulativeRoiPercent !== null);
    assert.ok(
      Number(f.years[2]!.conservativeCumulativeRoiPercent) < Number(f.years[2]!.cumulativeRoiPercent),
    );
  });

  it('does not re-run for an import accepted again, and keeps every version', async () => {
    const imports = await services.outcomeImports.list(tenantId);
    await services.outcomeImports.accept(tenantId, imports[0]!.id, 'test');
    assert.equal((await services.forecasts.versions(tenantId, program.id)).length, 2);
  });
});
