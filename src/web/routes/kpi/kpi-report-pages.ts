import { Router, type Response } from 'express';
import { z } from 'zod';
import { parseInput } from '../../../validation.js';
import { route } from '../../async-route.js';
import { ForbiddenError, NotFoundError } from '../../../errors.js';
import type { KpiReportService } from '../../../reports/kpi/kpi-report-service.js';
import type { ChartCacheService } from '../../../reports/charts/chart-cache.js';
import type { CourseService } from '../../../lti/people/course-service.js';
import type { ProgramService } from '../../../cohorts/program-service.js';
import type { KpiScope } from '../../../reports/kpi/model.js';
import type { LtiSession } from '../../../lti/model.js';
import type { BuildOptions } from '../../../reports/kpi/kpi-report-service.js';
import { reportTables, type KpiTable } from '../../presenters/kpi-tables.js';
import { reportCharts } from '../../presenters/kpi-charts.js';
import {
  freshnessLine,
  learnerPage,
  qualityRows,
  rosterPage,
  filterForm,
} from '../../presenters/kpi-page-presenter.js';
import { toCsv } from '../../presenters/csv.js';
import { sessionOf } from '../../middleware/lti-session.js';
import type { PageGuard } from '../../middleware/page-access.js';

const blank = (v: unknown) => (v === '' ? undefined : v);
const day = z.preprocess(
  blank,
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD')
    .optional(),
);
/** The report filters, from the query string of every report page. */
const filters = z.object({
  program: z.preprocess(blank, z.string().uuid('not a program id').optional()),
  module: z.preprocess(blank, z.string().uuid('not a module id').optional()),
  version: z.preprocess(blank, z.coerce.number().int().min(1).max(10000).optional()),
  cohort: z.preprocess(blank, z.string().uuid('not a cohort id').optional()),
  from: day,
  to: day,
  campaign: day,
  export: z.preprocess(
    blank,
    z
      .string()
      .regex(/^[a-z-]{1,40}$/, 'not a table name')
      .optional(),
  ),
  /** Pages of the learner list and of the roster (1-based). */
  page: z.preprocess(blank, z.coerce.number().int().min(1).max(1_000_000).optional()),
  roster_page: z.preprocess(blank, z.coerce.number().int().min(1).max(1_000_000).optional()),
});
type Filters = z.infer<typeof filters>;

const courseParams = z.object({ contextId: z.string().uuid('not a course id') });
const learnerParams = courseParams.extend({ userId: z.string().uuid('not a learner id') });
const programParams = z.object({ programId: z.string().uuid('not a program id') });

const toDate = (d?: string, addDays = 0) =>
  d ? new Date(Date.parse(`${d}T00:00:00Z`) + addDays * 86400000) : undefined;

function scopeOf(tenantId: string, f: Filters, base: Partial<KpiScope>): KpiScope {
  return {
    tenantId,
    ...base,
    ...(f.program && !base.programId ? { programId: f.program } : {}),
    moduleId: f.module,
    moduleVersion: f.version,
    cohortId: f.cohort,
    from: toDate(f.from),
    // The "to" day is included: the bound is the next midnight.
    to: toDate(f.to, 1),
  };
}

/** The filters as a query string without export or list pages, `changes` (a list's page) applied. */
function pageQuery(f: Filters, changes: Record<string, number>): string {
  const kept = Object.entries(f).filter(
    ([k, v]) => v !== undefined && !['export', 'page', 'roster_page'].includes(k),
  );
  return new URLSearchParams([
    ...kept.map(([k, v]) => [k, String(v)]),
    ...Object.entries(changes).map(([k, v]) => [k, String(v)]),
  ]).toString();
}

/** Sends one table as CSV when ?export= names it; true when it did. */
function sendExport(res: Response, tables: KpiTable[], f: Filters, name: string): boolean {
  if (!f.export) return false;
  const table = tables.find((t) => t.id === f.export);
  if (!table)
    throw new NotFoundError(
      `This report has no table "${f.export}"; use one of: ${tables.map((t) => t.id).join(', ')}.`,
    );
  res.type('text/csv; charset=utf-8');
  res.attachment(`${name}-${table.id}.csv`);
  res.send(toCsv(table.headers, table.rows));
  return true;
}

/** What the KPI report pages use. */
export interface KpiReportPageDeps {
  kpiReports: KpiReportService;
  chartCache: ChartCacheService;
  courses: CourseService;
  programs: ProgramService;
  guard: PageGuard;
}

/**
 * KPI report pages (issue #7): the instructor course report with its drill-down to a learner and its
 * data-quality panel, a learner's own progress, and the admin program report. Instructors see only the
 * course they launched from; learners only themselves; admins their tenant.
 */
export function kpiReportPages(deps: KpiReportPageDeps): Router {
  const router = Router();
  const { guard, courses } = deps;
  const kpis = deps.kpiReports;

  /**
   * A report and its charts, drawn as soon as the numbers they show are in, while the question analysis
   * (the slowest query, shown only in a table) still runs.
   */
  function reportWithCharts(scope: KpiScope, options: BuildOptions) {
    const { overview, report } = kpis.buildInStages(scope, options);
    return Promise.all([
      report,
      overview.then((o) => deps.chartCache.renderAll(scope.tenantId, reportCharts(o))),
    ]);
  }

  async function courseFor(s: LtiSession, contextId: string) {
    if (s.roleKind !== 'admin' && s.contextId !== contextId) {
      throw new ForbiddenError('This report belongs to another course; open it from that course in the LMS.');
    }
    return courses.get(s.tenantId, contextId);
  }

  router.get(
    '/courses/:contextId/report',
    guard('instructor', 'admin'),
    route(async (req, res) => {
      const s = sessionOf(res);
      const { contextId } = parseInput(courseParams, req.params, 'address');
      const f = parseInput(filters, req.query, 'filters');
      const course = await courseFor(s, contextId);
      const scope = scopeOf(s.tenantId, f, { courseId: contextId });
      const [programs, modules] = await Promise.all([
        kpis.programs(scope),
        kpis.modules({ ...scope, moduleId: undefined }),
      ]);
      const campaign = f.campaign ?? programs.find((p) => p.campaignDate)?.campaignDate ?? undefined;
      const options = { campaignDate: toDate(campaign) };
      if (f.export) {
        sendExport(res, reportTables(await kpis.build(scope, options)), f, 'course-report');
        return;
      }
      // The page's lists need no report: they are read beside it.
      const here = (changes: Record<string, number>) =>
        `/courses/${contextId}/report?${pageQuery(f, changes)}`;
      const [[report, charts], roster, learners] = await Promise.all([
        reportWithCharts(scope, options),
        rosterPage(courses, s.tenantId, contextId, f.roster_page, (p) => here({ roster_page: p })),
        learnerPage(kpis, { ...scope, moduleId: undefined }, f.page, (p) => here({ page: p })),
      ]);
      const tables = reportTables(report);
      res.render('pages/kpi/course-report', {
        title: `Course report: ${course.title ?? course.contextId}`,
        context: course.title,
        course,
        freshness: freshnessLine(report.freshness),
        filters: filterForm(f, { modules, programs, campaign }),
        query: pageQuery(f, {}),
        charts,
        tables,
        minimum: report.minimumGroupSize,
        learners,
        roster,
        linkUrl: s.resourceLinkId ? `/learn/${encodeURIComponent(s.resourceLinkId)}` : undefined,
      });
    }),
  );

  router.get(
    '/courses/:contextId/report/learners/:userId',
    guard('instructor', 'admin'),
    route(async (req, res) => {
      const s = sessionOf(res);
      const { contextId, userId } = parseInput(learnerParams, req.params, 'address');
      const course = await courseFor(s, contextId);
      const [learner] = await kpis.roster({
        tenantId: s.tenantId,
        courseId: contextId,
        learnerUserId: userId,
      });
      if (!learner)
        throw new NotFoundError(
          'That learner is not enrolled in this course; pick one from the course report.',
        );
      const report = await kpis.learner({ tenantId: s.tenantId, courseId: contextId, learnerUserId: userId });
      res.render('pages/kpi/learner-progress', {
        title: `${learner.displayName}: progress`,
        context: course.title,
        heading: `${learner.displayName} in ${course.title ?? course.contextId}`,
        back: `/courses/${contextId}/report`,
        ...learnerView(report),
      });
    }),
  );

  router.get(
    '/courses/:contextId/progress',
    guard('learner', 'instructor', 'admin'),
    route(async (req, res) => {
      const s = sessionOf(res);
      const { contextId } = parseInput(courseParams, req.params, 'address');
      if (s.contextId !== contextId) {
        throw new ForbiddenError(
          'You can see your progress in the course you launched from; open it from that course.',
        );
      }
      const course = await courses.get(s.tenantId, contextId);
      const report = await kpis.learner({
        tenantId: s.tenantId,
        courseId: contextId,
        learnerUserId: s.userId,
      });
      res.render('pages/kpi/learner-progress', {
        title: 'My progress',
        context: course.title,
        heading: `My progress in ${course.title ?? course.contextId}`,
        ...learnerView(report),
      });
    }),
  );

  router.get(
    '/courses/:contextId/report/quality',
    guard('instructor', 'admin'),
    route(async (req, res) => {
      const s = sessionOf(res);
      const { contextId } = parseInput(courseParams, req.params, 'address');
      const f = parseInput(filters, req.query, 'filters');
      const course = await courseFor(s, contextId);
      const quality = await kpis.quality(scopeOf(s.tenantId, f, { courseId: contextId }));
      const table = qualityRows(quality);
      if (sendExport(res, [table], f, 'data-quality')) return;
      res.render('pages/kpi/quality', {
        title: `Data quality: ${course.title ?? course.contextId}`,
        context: course.title,
        back: `/courses/${contextId}/report`,
        freshness: freshnessLine(quality.freshness),
        table,
        checks: quality.checks,
      });
    }),
  );

  router.get(
    '/admin/programs/:programId/kpis',
    guard('admin'),
    route(async (req, res) => {
      const s = sessionOf(res);
      const { programId } = parseInput(programParams, req.params, 'address');
      const f = parseInput(filters, req.query, 'filters');
      const program = await deps.programs.get(s.tenantId, programId);
      const scope = scopeOf(s.tenantId, { ...f, program: undefined }, { programId });
      const [programs, modules] = await Promise.all([
        kpis.programs(scope),
        kpis.modules({ ...scope, moduleId: undefined }),
      ]);
      const campaign = f.campaign ?? programs[0]?.campaignDate ?? undefined;
      const options = {
        campaignDate: toDate(campaign),
        cohorts: f.cohort ? [] : (programs[0]?.cohorts ?? []),
      };
      if (f.export) {
        sendExport(res, reportTables(await kpis.build(scope, options)), f, 'program-report');
        return;
      }
      const [report, charts] = await reportWithCharts(scope, options);
      const tables = reportTables(report);
      res.render('pages/kpi/program-report', {
        title: `${program.name}: KPIs`,
        context: program.name,
        program,
        freshness: freshnessLine(report.freshness),
        filters: filterForm(f, { modules, programs: [], cohorts: programs[0]?.cohorts ?? [], campaign }),
        query: pageQuery(f, {}),
        charts,
        tables,
        minimum: report.minimumGroupSize,
      });
    }),
  );

  return router;
}

function learnerView(report: Awaited<ReturnType<KpiReportService['learner']>>) {
  const pct = (x: number | null) => (x === null ? '' : `${x.toFixed(1)}%`);
  return {
    freshness: freshnessLine(report.freshness),
    modules: report.modules.map((m) => ({
      title: m.module.title,
      status: m.completed ? 'Completed' : m.started ? 'In progress' : 'Not started',
      passed: m.passed ? 'Passed' : m.bestPercent === null ? '' : 'Not yet passed',
      best: pct(m.bestPercent),
      pre: pct(m.prePercent),
      post: pct(m.postPercent),
      minutes: m.minutes === null ? '' : `${m.minutes.toFixed(1)} min`,
      sessions: m.sessions,
      last: m.lastActivity ? m.lastActivity.toISOString().slice(0, 10) : '',
    })),
  };
}
