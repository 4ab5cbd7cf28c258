import assert from 'node:assert/strict';
import { useTestDatabase } from '../../support/test-database.js';
import { insertPeople } from '../../fixtures/people.js';
import {
  insertClaims,
  insertHrisMonths,
  months,
  type ClaimRow,
  type HrisMonth,
} from '../../fixtures/outcomes.js';
import { createServices, type Services } from '../../../src/services.js';
import { SeededRandom } from '../../../src/dev/synthetic/random.js';
import { meanDifference } from '../../../src/reports/stats/two-sample.js';
import { estimateDifferenceInDifferences, type DidRow } from '../../../src/reports/stats/did.js';
import { ValidationError } from '../../../src/errors.js';
import type { Program } from '../../../src/cohorts/model.js';

const PRE = months('2026-01', '2026-03');
const POST = months('2026-04', '2026-09');

/**
 * A wellbeing pilot on generated HRIS data: 240 of 400 employees randomized, the other 160 outside the
 * program. Absence runs about 8 days a year; the training removes 1.5 days a year after April.
 * Expected values are computed here, independently of the service's SQL, from the generated rows.
 */
describe('attribution of an outcome to a program', () => {
  const testDb = useTestDatabase();
  let services: Services;
  let tenantId: string;
  let program: Program;
  const monthsByPerson = new Map<string, HrisMonth[]>();
  let arms: Map<string, string>;

  before(async function () {
    this.timeout(60000);
    const db = testDb().db;
    services = createServices({ db });
    tenantId = (await services.tenants.create('Wellbeing Co')).id;
    await insertPeople(db, tenantId, 400, 21);
    program = await services.programs.create(tenantId, {
      name: 'Resilience pilot',
      preWindow: { start: '2026-01-01', end: '2026-03-31' },
      postWindow: { start: '2026-04-01', end: '2026-09-30' },
    });
    // 240 of the 400, drawn at random, take part; the other 160 are comparable non-participants.
    const everyone = Array.from({ length: 400 }, (_, i) => `E${String(i + 1).padStart(6, '0')}`);
    const employeeIds = new SeededRandom(5).shuffle(everyone).slice(0, 240);
    await services.cohorts.randomize(tenantId, program.id, {
      seed: 9,
      strata: ['department'],
      pool: { employeeIds },
    });
    const members = await db
      .selectFrom('cohort_member as m')
      .innerJoin('cohort as c', 'c.id', 'm.cohort_id')
      .select(['m.person_id', 'c.arm'])
      .execute();
    arms = new Map(members.map((m) => [m.person_id, m.arm]));
    const people = await db
      .selectFrom('person')
      .select(['id', 'attributes'])
      .where('tenant_id', '=', tenantId)
      .orderBy('id')
      .execute();
    const rnd = new SeededRandom(77);
    const rows: HrisMonth[] = [];
    for (const p of people) {
      const frailty = rnd.logNormal(1, 0.3);
      const trained = arms.get(p.id) === 'treatment';
      const list: HrisMonth[] = [];
      for (const period of [...PRE, ...POST]) {
        if (period === '2026-02-01' && rnd.chance(0.05)) continue; // a few missing months
        const perMonth = (8 * frailty) / 12 - (trained && period >= '2026-04-01' ? 1.5 / 12 : 0);
        list.push({
          personId: p.id,
          period,
          absenceDays: Math.max(0, Math.round((perMonth + rnd.normal(0, 0.3)) * 100) / 100),
        });
      }
      monthsByPerson.set(p.id, list);
      rows.push(...list);
    }
    await insertHrisMonths(db, tenantId, rows);
  });

  /** Annualized absence over a set of months, as the metric defines it: sum x 12 / months observed. */
  function annualized(personId: string, window: string[]): number | undefined {
    const ms = monthsByPerson.get(personId)!.filter((m) => window.includes(m.period));
    return ms.length ? (ms.reduce((s, m) => s + m.absenceDays, 0) * 12) / ms.length : undefined;
  }

  it('estimates a randomized effect equal to an independent difference in means, as an improvement', async () => {
    const result = await services.attribution.estimate(tenantId, program, {
      outcome: 'absence_days',
      method: 'randomized',
    });
    const of = (arm: string) => [...arms].filter(([, a]) => a === arm).map(([id]) => annualized(id, POST)!);
    const expected = meanDifference(of('treatment'), of('control'));
    // Fewer absence days is better, so the improvement is control minus treatment.
    assert.ok(
      Math.abs(result.improvement - -expected.estimate) < 1e-9,
      `${result.improvement} vs ${-expected.estimate}`,
    );
    assert.ok(Math.abs(result.lower - -expected.upper) < 1e-9);
    assert.ok(
      result.lower < 1.5 && 1.5 < result.upper,
      `[${result.lower}, ${result.upper}] should contain the true 1.5 days`,
    );
    assert.equal(result.participants + result.comparison, arms.size);
    assert.match(result.methodName, /randomized comparison/);
    assert.equal(result.outcome.unit, 'day per year');
    assert.ok(result.assumptions.length > 0);
  });

  it('estimates difference-in-differences equal to the estimator on independently built panel rows', async () => {
    const result = await services.attribution.estimate(tenantId, program, {
      outcome: 'absence_days',
      method: 'did',
    });
    const rows: DidRow[] = [];
    for (const [id, arm] of arms) {
      for (const [post, window] of [
        [false, PRE],
        [true, POST],
      ] as const) {
        const y = annualized(id, window);
        if (y !== undefined) rows.push({ unitId: id, clusterId: id, treated: arm === 'treatment', post, y });
      }
    }
    const expected = estimateDifferenceInDifferences(rows);
    assert.ok(Math.abs(result.improvement - -expected.estimate) < 1e-9);
    assert.ok(result.lower < 1.5 && 1.5 < result.upper);
    assert.match(result.methodName, /difference-in-differences/);
  });

  it('matches participants to non-participants by propensity score and finds the effect', async () => {
    const result = await services.attribution.estimate(tenantId, program, {
      outcome: 'absence_days',
      method: 'psm',
      caliper: 0.2,
    });
    assert.match(result.methodName, /propensity-score matching/);
    assert.ok(result.participants > 60, `${result.participants} pairs`);
    assert.ok(result.lower < 1.5 && 1.5 < result.upper, `[${result.lower}, ${result.upper}]`);
    assert.ok((result.detail.covariates as string[]).includes('absence_days (pre window)'));
  });

  it('records the effect for the ROI report, which then monetizes it', async () => {
    const result = await services.attribution.estimate(tenantId, program, {
      outcome: 'absence_days',
      method: 'randomized',
      record: true,
    });
    await services.economics.setCostModel(tenantId, program.id, { delivery: 20000 });
    await services.economics.setAssumption(tenantId, program.id, {
      outcome: 'absence_days',
      label: 'Absence days avoided',
      unit: 'day',
      valuePerUnit: 250,
      source: 'Payroll: average daily loaded wage',
      confidencePercent: 90,
    });
    const report = await services.roiReports.build(tenantId, program);
    const benefit = report.benefits[0]!;
    assert.equal(benefit.participants, result.participants);
    assert.match(benefit.method, /randomized/);
    assert.ok(report.interval !== null);
    assert.ok(Number(report.unadjusted.benefit) > 0);
  });

  it('lists confounding events that overlap the windows beside the estimate', async () => {
    await services.economics.addEvent(tenantId, program.id, {
      startsOn: '2026-05-10',
      title: 'New sick-leave policy',
    });
    const result = await services.attribution.estimate(tenantId, program, {
      outcome: 'absence_days',
      method: 'randomized',
    });
    assert.deepEqual(
      result.confoundingEvents.map((e) => e.title),
      ['New sick-leave policy'],
    );
    assert.ok(result.warnings.some((w) => /New sick-leave policy \(2026-05-10\)/.test(w)));
  });

  it('counts a person with no claims as zero claims', async () => {
    const ids = [...arms.keys()];
    const claims: ClaimRow[] = ids.slice(0, 30).map((personId, i) => ({
      personId,
      claimId: `C${i}`,
      claimType: 'ER',
      cost: 1200,
      serviceDate: '2026-06-15',
    }));
    await insertClaims(testDb().db, tenantId, claims);
    const result = await services.attribution.estimate(tenantId, program, {
      outcome: 'claims_count',
      method: 'randomized',
    });
    assert.equal(result.participants + result.comparison, arms.size);
    assert.equal(result.outcome.betterWhen, 'lower');
  });

  it('explains why matching fails when a covariate separates participants from everyone else', async () => {
    const leedsOnly = await services.programs.create(tenantId, {
      name: 'Leeds only',
      preWindow: { start: '2026-01-01', end: '2026-03-31' },
      postWindow: { start: '2026-04-01', end: '2026-09-30' },
    });
    await services.cohorts.randomize(tenantId, leedsOnly.id, {
      seed: 4,
      pool: { criteria: { site: 'Leeds' } },
    });
    await assert.rejects(
      services.attribution.estimate(tenantId, leedsOnly, {
        outcome: 'absence_days',
        method: 'psm',
        caliper: 0.2,
      }),
      (e: unknown) => e instanceof ValidationError && /no comparable non-participant exists/.test(e.message),
    );
  });

  it('explains what is missing instead of estimating on nothing', async () => {
    await assert.rejects(
      services.attribution.estimate(tenantId, program, { outcome: 'happiness', method: 'randomized' }),
      (e: unknown) => e instanceof ValidationError && /use one of deferral_pct/.test(e.message),
    );
    const bare = await services.programs.create(tenantId, { name: 'No windows' });
    await assert.rejects(
      services.attribution.estimate(tenantId, bare, { outcome: 'absence_days', method: 'randomized' }),
      (e: unknown) => e instanceof ValidationError && /post window/.test(e.message),
    );
  });
});
