import assert from 'node:assert/strict';
import pg from 'pg';
import { useTestDatabase } from '../../../support/test-database.js';
import { createServices, type Services } from '../../../../src/services.js';
import { VERBS } from '../../../../src/learning/vocabulary.js';
import { wilsonInterval } from '../../../../src/reports/stats/wilson.js';
import { quantiles } from '../../../../src/reports/stats/quantile.js';
import { pairedDifference } from '../../../../src/reports/stats/paired.js';
import { normalizedGain } from '../../../../src/reports/stats/normalized-gain.js';
import { analyzeChoiceItems } from '../../../../src/reports/stats/item-analysis.js';
import { netPromoterScore } from '../../../../src/reports/stats/nps.js';
import type { KpiReport, ModuleKpi } from '../../../../src/reports/kpi/kpi-report-service.js';
import type { Rate } from '../../../../src/reports/kpi/rates.js';
import {
  insertWorldWithStatements,
  storeStatements,
  voidingStatements,
  type InsertedWorld,
} from '../../../fixtures/course-world.js';
import { expectedForModule, type Expected } from '../../../fixtures/kpi-expectations.js';

const close = (actual: number | null | undefined, expected: number, what: string, tol = 1e-9) =>
  assert.ok(
    actual !== null && actual !== undefined && Math.abs(actual - expected) <= tol,
    `${what}: ${actual} vs ${expected}`,
  );

/** Deep equality, numbers within 1e-12 relative (sums taken in another order). */
function assertNearlyEqual(actual: unknown, expected: unknown, what: string): void {
  if (typeof actual === 'number' && typeof expected === 'number') {
    assert.ok(
      Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)),
      `${what}: ${actual} vs ${expected}`,
    );
    return;
  }
  if (actual === null || expected === null || typeof actual !== 'object' || typeof expected !== 'object') {
    assert.equal(actual, expected, what);
    return;
  }
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${what}: fields`);
  for (const [k, v] of Object.entries(actual))
    assertNearlyEqual(v, (expected as Record<string, unknown>)[k], `${what}.${k}`);
}

function assertRate(rate: Rate, successes: number, trials: number, what: string) {
  assert.equal(rate.status, 'shown', `${what} is ${rate.status}`);
  if (rate.status !== 'shown') return;
  const w = wilsonInterval(successes, trials);
  assert.equal(rate.successes, successes, `${what} successes`);
  assert.equal(rate.trials, trials, `${what} trials`);
  close(rate.lower, w.lower, `${what} lower`);
  close(rate.upper, w.upper, `${what} upper`);
}

function assertModule(m: ModuleKpi, e: Expected) {
  const name = m.module.title;
  assertRate(m.completion, e.completed, e.assigned, `${name} completion`);
  assertRate(m.mastery, e.passed, e.scored, `${name} mastery`);
  assert.equal(m.started, e.started);
  const [median, p90] = quantiles(e.seconds, [0.5, 0.9]);
  close(m.time!.medianMinutes, median! / 60, `${name} median`, 1e-6);
  close(m.time!.p90Minutes, p90! / 60, `${name} p90`, 1e-6);
  assert.equal(m.time!.sessions, e.sessions);
  assert.equal(m.time!.estimatedSessions, e.estimated);
  assert.equal(m.time!.learners, e.seconds.length);
  const both = e.pairs.filter((p) => p.pre !== null && p.post !== null);
  const post = both.map((p) => p.post! * 100);
  const pre = both.map((p) => p.pre! * 100);
  const paired = pairedDifference(post, pre);
  assert.equal(m.scores.pairs, both.length);
  close(m.scores.paired!.mean, paired.mean, `${name} paired mean`);
  close(m.scores.paired!.lower, paired.lower, `${name} paired lower`);
  close(m.scores.paired!.upper, paired.upper, `${name} paired upper`);
  close(m.scores.gain!.classAverageGain, normalizedGain(post, pre, 100).classAverageGain!, `${name} gain`);
  let compared = 0;
  for (const [version, input] of e.items) {
    const analysis = analyzeChoiceItems(
      input.itemIds.map((id, j) => ({ id, key: input.keys[j]!, options: ['a', 'b', 'c', 'd'] })),
      input.answers,
    );
    for (const a of analysis) {
      const got = m.items.find((i) => i.moduleVersion === version && i.itemId === a.id)!;
      assert.ok(got, `item ${a.id} v${version}`);
      close(got.difficulty, a.difficulty, `${a.id} difficulty`);
      if (a.correctedPointBiserial === null) assert.equal(got.pointBiserial, null);
      else close(got.pointBiserial, a.correctedPointBiserial, `${a.id} point-biserial`);
      // Upper and lower 27% groups under the privacy minimum show no D and no group counts (issue #18).
      const groups = got.groupsSuppressed === true;
      if (!groups) close(got.upperLowerIndex, a.upperLowerIndex, `${a.id} upper-lower`);
      for (const o of a.options) {
        const go = got.options.find((x) => x.option === o.option)!;
        // A choice picked by fewer learners than the privacy minimum (or its complement) shows no count
        // (issue #18); every other choice shows the independent count.
        if (go.countSuppressed) {
          assert.equal(go.count, 0, `${a.id} option ${o.option} withheld`);
          continue;
        }
        assert.deepEqual(
          groups ? [go.count, go.isKey] : [go.count, go.upperCount, go.lowerCount, go.isKey],
          groups ? [o.count, o.isKey] : [o.count, o.upperCount, o.lowerCount, o.isKey],
          `${a.id} option ${o.option}`,
        );
        compared++;
      }
    }
  }
  if (e.items.size) assert.ok(compared > 0, `${name}: some answer choice is shown and checked`);
  for (const item of m.survey) {
    const counts = e.survey.get(item.itemId) ?? new Map<string, number>();
    assert.equal(item.respondents, e.surveyRespondents.get(item.itemId) ?? 0, `${item.itemId} respondents`);
    if (item.type === 'likert') {
      assert.deepEqual(
        item.likert!.counts,
        [1, 2, 3, 4, 5].map((l) => counts.get(String(l)) ?? 0),
        item.itemId,
      );
    }
    if (item.type === 'nps') {
      const ratings = [...counts].flatMap(([r, n]) => Array.from({ length: n }, () => Number(r)));
      close(item.nps!.score, netPromoterScore(ratings).score, 'nps');
    }
    if (item.type === 'text') {
      assert.deepEqual(new Map(item.texts.map((t) => [t.text, t.count])), counts);
    }
  }
  for (const item of m.observations) {
    const counts = e.observations.get(item.itemId) ?? new Map<string, number>();
    const observed = [...counts.values()].reduce((a, b) => a + b, 0);
    assert.equal(item.respondents, observed, `${item.itemId}: each observed learner once`);
    if (item.suppressed) continue;
    assert.deepEqual(
      item.likert!.counts,
      [1, 2, 3, 4, 5].map((l) => counts.get(String(l)) ?? 0),
      item.itemId,
    );
  }
}

describe('KPI report service against independently computed KPIs', () => {
  const database = useTestDatabase();
  let services: Services;
  let w: InsertedWorld;
  const voided = new Set<string>();

  before(async function () {
    this.timeout(120000);
    services = createServices({ db: database().db });
    w = await insertWorldWithStatements(
      database().db,
      services,
      { seed: 21, learners: 40, modules: 2 },
      { seed: 5 },
    );
  });

  const report = (extra: Partial<KpiReport['scope']> = {}) =>
    services.kpiReports.build({ tenantId: w.world.tenantId, courseId: w.world.courseId, ...extra });

  it('computes every module KPI of a course as the statements say', async function () {
    this.timeout(30000);
    const r = await report();
    assert.equal(r.assigned, 40);
    for (const m of r.modules) assertModule(m, expectedForModule(w.world, w.statements, m.module.id));
  });

  it('gives everything but the question analysis first, while that query still waits', async function () {
    this.timeout(30000);
    const scope = { tenantId: w.world.tenantId, courseId: w.world.courseId };
    // A transaction holding the item sums, which only the question analysis reads, keeps it waiting.
    const locker = new pg.Client({ connectionString: database().url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE kpi_post_option IN ACCESS EXCLUSIVE MODE');
      const { overview, report: complete } = services.kpiReports.buildInStages(scope);
      let settled = false;
      complete.then(
        () => (settled = true),
        () => (settled = true),
      );
      const first = await overview;
      assert.equal(settled, false, 'the complete report waits for the question analysis');
      await locker.query('COMMIT');
      const { modules, ...rest } = await complete;
      assert.ok(modules.some((m) => m.items.length > 0));
      assert.deepEqual(first, {
        ...rest,
        modules: modules.map(({ items: _items, itemsSuppressed: _suppressed, ...m }) => m),
      });
    } finally {
      await locker.end();
    }
  });

  it('leaves voided statements out of every KPI', async function () {
    this.timeout(30000);
    const pick = (verb: string, n: number) =>
      w.statements
        .filter((s) => s.verb.id === verb)
        .slice(0, n)
        .map((s) => s.id);
    for (const id of [
      ...pick(VERBS.completed, 3),
      ...pick(VERBS.passed, 2),
      ...pick(VERBS.terminated, 4),
      ...pick(VERBS.answered, 30),
    ]) {
      voided.add(id);
    }
    await storeStatements(services, w.tenantName, voidingStatements([...voided]));
    const r = await report();
    for (const m of r.modules) assertModule(m, expectedForModule(w.world, w.statements, m.module.id, voided));
  });

  it('narrows to one cohort: the denominator is the cohort and only its members count', async function () {
    this.timeout(30000);
    const treatment = new Set(w.world.learners.filter((l) => l.arm === 'treatment').map((l) => l.sub));
    const r = await report({ cohortId: w.world.cohorts!.treatmentId });
    assert.equal(r.assigned, treatment.size);
    for (const m of r.modules) {
      const e = expectedForModule(w.world, w.statements, m.module.id, voided, treatment);
      assertRate(m.completion, e.completed, e.assigned, 'cohort completion');
      // Anonymous survey answers cannot be tied to a cohort, so a cohort view shows none of them.
      for (const item of m.survey.filter((i) => i.anonymous)) assert.equal(item.respondents, 0);
    }
  });

  it('compares treatment and control side by side', async function () {
    this.timeout(30000);
    const r = await services.kpiReports.build(
      { tenantId: w.world.tenantId, programId: w.world.programId! },
      {
        cohorts: [
          { id: w.world.cohorts!.treatmentId, name: 'Treatment', arm: 'treatment' },
          { id: w.world.cohorts!.controlId, name: 'Control', arm: 'control' },
        ],
      },
    );
    assert.equal(r.groups.length, 2);
    assert.equal(r.groups[0]!.assigned + r.groups[1]!.assigned, 40);
    for (const g of r.groups) {
      const subs = new Set(w.world.learners.filter((l) => l.arm === g.arm).map((l) => l.sub));
      // The cohort's own report (the roster narrowed by the scope) agrees with its column here.
      const alone = await services.kpiReports.build({
        tenantId: w.world.tenantId,
        programId: w.world.programId!,
        cohortId: g.cohortId,
      });
      assert.equal(g.assigned, alone.assigned);
      for (const gm of g.modules) {
        const e = expectedForModule(w.world, w.statements, gm.moduleId, voided, subs);
        assertRate(gm.completion, e.completed, e.assigned, `${g.name} completion`);
        const own = alone.modules.find((m) => m.module.id === gm.moduleId)!;
        // The column's change comes from the cohort's pairs, the report's from moments summed in SQL:
        // the same to the last few bits.
        assertNearlyEqual(gm.scores, own.scores, `${g.name} pre/post change`);
        assert.deepEqual(gm.mastery, own.mastery, `${g.name} mastery`);
      }
    }
  });

  it('suppresses aggregates over fewer learners than the minimum and says so', async function () {
    this.timeout(30000);
    const strict = createServices({
      db: database().db,
      reports: {
        settings: {
          minimumGroupSize: 1000,
          campaignWindowDays: 14,
          quality: { maxNullRate: 0, learnerTolerance: 0 },
        },
      },
    });
    const r = await strict.kpiReports.build({ tenantId: w.world.tenantId, courseId: w.world.courseId });
    for (const m of r.modules) {
      assert.equal(m.completion.status, 'suppressed');
      assert.equal(m.mastery.status, 'suppressed');
      assert.equal(m.time, null);
      assert.ok(m.timeSuppressed);
      assert.deepEqual(m.items, []);
      assert.ok(m.scores.suppressed && m.scores.paired === null);
      assert.ok(m.survey.every((i) => i.suppressed && i.likert === null && i.texts.length === 0));
    }
    assert.ok(r.weeklySuppressed);
  });

  it('shows an empty cohort as no data, not as a rate of zero', async () => {
    const { db } = database();
    const empty = await db
      .insertInto('cohort')
      .values({
        tenant_id: w.world.tenantId,
        program_id: w.world.programId!,
        name: 'Empty',
        arm: 'variant',
        source: 'csv',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const r = await report({ cohortId: empty.id });
    assert.equal(r.assigned, 0);
    for (const m of r.modules) {
      assert.equal(m.completion.status, 'empty');
      assert.equal(m.scores.pairs, 0);
      assert.equal(m.time, null);
    }
  });

  it('gives a learner their own modules only', async () => {
    const learner = w.world.learners[3]!;
    const r = await services.kpiReports.learner({
      tenantId: w.world.tenantId,
      courseId: w.world.courseId,
      learnerUserId: learner.userId,
    });
    for (const m of r.modules) {
      const e = expectedForModule(w.world, w.statements, m.module.id, voided, new Set([learner.sub]));
      assert.equal(m.completed, e.completed === 1);
      assert.equal(m.passed, e.passed === 1);
      const pair = e.pairs[0];
      if (pair?.pre != null) close(m.prePercent, pair.pre * 100, 'learner pre');
      if (e.seconds.length) close(m.minutes, e.seconds[0]! / 60, 'learner minutes', 1e-6);
    }
  });
});
