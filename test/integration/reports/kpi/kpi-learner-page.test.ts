import assert from 'node:assert/strict';
import { useTestDatabase } from '../../../support/test-database.js';
import { createServices, type Services } from '../../../../src/services.js';
import { insertWorldWithStatements, type InsertedWorld } from '../../../fixtures/course-world.js';
import {
  LEARNER_FILTERS,
  LEARNER_SORTS,
  STALLED_AFTER_DAYS,
  type LearnerExportRow,
  type LearnerFilter,
  type LearnerPageQuery,
  type LearnerSort,
  type LearnerStatus,
} from '../../../../src/reports/kpi/learner-list.js';
import type { KpiScope } from '../../../../src/reports/kpi/model.js';

const SIZE = 15;

/**
 * The learner table as the page computed it in memory before it was read a page at a time: every
 * learner's export row searched, classified, filtered and sorted (browser collation for names).
 */
function reference(rows: LearnerExportRow[], q: string, show: LearnerFilter, sort: LearnerSort, now: Date) {
  const status = (r: LearnerExportRow): LearnerStatus =>
    r.modulesInScope > 0 && r.modulesCompleted >= r.modulesInScope
      ? 'completed'
      : r.modulesStarted + r.modulesCompleted > 0
        ? 'in progress'
        : 'not started';
  const stalled = (r: LearnerExportRow) =>
    status(r) === 'in progress' &&
    (r.lastActivity === null || now.getTime() - r.lastActivity.getTime() > STALLED_AFTER_DAYS * 86400000);
  const keep: Record<LearnerFilter, (r: LearnerExportRow) => boolean> = {
    all: () => true,
    'not-started': (r) => status(r) === 'not started',
    'in-progress': (r) => status(r) === 'in progress',
    stalled,
    failed: (r) => r.modulesFailing > 0,
    completed: (r) => status(r) === 'completed',
  };
  const byName = (a: LearnerExportRow, b: LearnerExportRow) =>
    a.displayName.localeCompare(b.displayName, 'en') ||
    (a.email ?? a.lmsUserId).localeCompare(b.email ?? b.lmsUserId, 'en') ||
    (a.userId < b.userId ? -1 : 1);
  const order = { 'not started': 0, 'in progress': 1, completed: 2 };
  const last = (r: LearnerExportRow) => (r.lastActivityWithheld ? 0 : (r.lastActivity?.getTime() ?? 0));
  const compare: Record<LearnerSort, (a: LearnerExportRow, b: LearnerExportRow) => number> = {
    name: byName,
    status: (a, b) => order[status(a)] - order[status(b)] || byName(a, b),
    score: (a, b) => (b.postPercent ?? -1) - (a.postPercent ?? -1) || byName(a, b),
    last: (a, b) => last(b) - last(a) || byName(a, b),
  };
  const text = q.trim().toLowerCase();
  return rows
    .filter(
      (r) =>
        !text ||
        r.displayName.toLowerCase().includes(text) ||
        (r.email ?? '').toLowerCase().includes(text) ||
        r.lmsUserId.toLowerCase().includes(text),
    )
    .filter(keep[show])
    .sort(compare[sort])
    .map((r) => ({ ...r, status: status(r), stalled: stalled(r) }));
}

describe('Course report learner table read a page at a time (KpiReportService.learnerPage)', () => {
  const database = useTestDatabase();
  let services: Services;
  let w: InsertedWorld;
  let scope: KpiScope;
  let now: Date;
  let everyone: LearnerExportRow[];

  before(async function () {
    this.timeout(120000);
    // A privacy minimum that withholds the quiet weeks' dates but not the busy ones'.
    services = createServices({
      db: database().db,
      reports: {
        settings: {
          minimumGroupSize: 8,
          campaignWindowDays: 14,
          quality: { maxNullRate: 0.05, learnerTolerance: 0.02 },
        },
      },
    });
    w = await insertWorldWithStatements(
      database().db,
      services,
      { seed: 31, learners: 60, modules: 2 },
      { seed: 9, neverStartShare: 0.15, spreadDays: 60 },
    );
    scope = { tenantId: w.world.tenantId, courseId: w.world.courseId };
    everyone = await services.kpiReports.learnerExport(scope);
    // Midway through the activity: some learners in progress are stalled, some are not.
    const times = everyone.flatMap((r) => (r.lastActivity ? [r.lastActivity.getTime()] : [])).sort();
    now = new Date(times[Math.floor(times.length * 0.6)]! + STALLED_AFTER_DAYS * 86400000);
  });

  const query = (over: Partial<LearnerPageQuery>): LearnerPageQuery => ({
    show: 'all',
    sort: 'name',
    page: 1,
    size: SIZE,
    now,
    ...over,
  });

  /** Every page of the list in turn, put together. */
  async function allPages(over: Partial<LearnerPageQuery>) {
    const first = await services.kpiReports.learnerPage(scope, query(over));
    const rows = [...first.rows];
    for (let p = 2; p <= Math.ceil(first.matching / SIZE); p++) {
      const next = await services.kpiReports.learnerPage(scope, query({ ...over, page: p }));
      assert.equal(next.matching, first.matching);
      rows.push(...next.rows);
    }
    return { ...first, rows };
  }

  const summary = (r: LearnerExportRow) => ({
    userId: r.userId,
    status: r.status,
    stalled: r.stalled,
    post: r.postPercent === null ? null : Math.round(r.postPercent * 1e6),
    pre: r.prePercent === null ? null : Math.round(r.prePercent * 1e6),
    withheld: r.lastActivityWithheld ?? false,
  });

  it('is built to tell the filters and orders apart', () => {
    const sizes = LEARNER_FILTERS.map((show) => reference(everyone, '', show, 'name', now).length);
    for (const [i, show] of LEARNER_FILTERS.entries()) {
      assert.ok(sizes[i]! > 0, `some learners ${show}`);
      if (show !== 'all') assert.ok(sizes[i]! < everyone.length, `not every learner ${show}`);
    }
    assert.ok(sizes[0]! > 2 * SIZE, 'several pages');
    assert.ok(
      everyone.some((r) => r.lastActivityWithheld),
      'a withheld date',
    );
    assert.ok(
      everyone.some((r) => r.lastActivity && !r.lastActivityWithheld),
      'a date shown',
    );
    const orders = LEARNER_SORTS.map((sort) =>
      reference(everyone, '', 'all', sort, now).map((r) => r.userId),
    );
    assert.equal(new Set(orders.map((o) => o.join())).size, LEARNER_SORTS.length, 'four different orders');
  });

  it('gives, page after page, every filter in every order as the whole list filtered and sorted', async function () {
    this.timeout(60000);
    for (const show of LEARNER_FILTERS) {
      for (const sort of LEARNER_SORTS) {
        const got = await allPages({ show, sort });
        const want = reference(everyone, '', show, sort, now);
        assert.equal(got.total, everyone.length, `${show} by ${sort}: total`);
        assert.equal(got.matching, want.length, `${show} by ${sort}: matching`);
        assert.deepEqual(got.rows.map(summary), want.map(summary), `${show} by ${sort}`);
      }
    }
  });

  it('shows page 2 of a status filter as the filtered list rows 16 to 30', async () => {
    const want = reference(everyone, '', 'in-progress', 'score', now);
    assert.ok(want.length > SIZE, 'more than a page in progress');
    const page = await services.kpiReports.learnerPage(
      scope,
      query({ show: 'in-progress', sort: 'score', page: 2 }),
    );
    assert.deepEqual(
      page.rows.map((r) => r.userId),
      want.slice(SIZE, 2 * SIZE).map((r) => r.userId),
    );
  });

  it('gives the last page for a page past the end, and no rows but the counts when nothing matches', async () => {
    const want = reference(everyone, '', 'all', 'last', now);
    const last = Math.ceil(want.length / SIZE);
    const page = await services.kpiReports.learnerPage(scope, query({ sort: 'last', page: 999 }));
    assert.deepEqual(
      page.rows.map((r) => r.userId),
      want.slice((last - 1) * SIZE).map((r) => r.userId),
    );
    const none = await services.kpiReports.learnerPage(scope, query({ q: 'no such learner' }));
    assert.deepEqual({ ...none }, { total: everyone.length, matching: 0, rows: [] });
  });

  it('searches names, emails and LMS ids ignoring case, wildcards taken literally', async () => {
    const someone = everyone.find((r) => r.email)!;
    for (const q of [
      someone.displayName.split(' ')[0]!.toUpperCase(),
      someone.email!.slice(0, 6).toUpperCase(),
      ` ${someone.lmsUserId} `,
      '%',
      '_',
    ]) {
      for (const show of ['all', 'completed'] as const) {
        const got = await allPages({ q, show });
        const want = reference(everyone, q, show, 'name', now);
        assert.deepEqual(
          got.rows.map((r) => r.userId),
          want.map((r) => r.userId),
          `search ${q} ${show}`,
        );
        assert.equal(got.matching, want.length);
      }
    }
  });

  it('reads the scores of the learners on the page as the export reads everyone', async () => {
    const page = await services.kpiReports.learnerPage(scope, query({ sort: 'score' }));
    const byId = new Map(everyone.map((r) => [r.userId, r]));
    assert.ok(page.rows.some((r) => r.postPercent !== null));
    // Stalled apart: the export judges it now, the page at the query's moment.
    for (const r of page.rows)
      assert.deepEqual({ ...r, stalled: null }, { ...byId.get(r.userId), stalled: null });
  });
});
