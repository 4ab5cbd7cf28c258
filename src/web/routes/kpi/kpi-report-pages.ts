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
import { reportTables } from '../../presenters/kpi-tables.js';
import { reportCharts, withheldNotes } from '../../presenters/kpi-charts.js';
import {
  freshnessLine,
  rulesLine,
  qualityRows,
  rosterPage,
  rosterSyncedLine,
  filterForm,
} from '../../presenters/kpi-page-presenter.js';
import { summaryCards } from '../../presenters/kpi-summary-presenter.js';
import {
  LEARNER_FILTERS,
  LEARNER_SORTS,
  attemptHistory,
  learnerList,
} from '../../presenters/kpi-learner-list.js';
import { questionGroups } from '../../presenters/kpi-questions-presenter.js';
import { formatDate, formatDuration, formatPercent } from '../../presenters/format.js';
import { toCsv, type CsvTable } from '../../presenters/csv.js';
import { learnersCsvTable, qualityCsvTable, reportCsvTables } from '../../presenters/kpi-csv-tables.js';
import type { DownloadLinkService } from '../../../lti/launch/download-link-service.js';
import { sessionOrDownloadLink, signedHref } from '../../middleware/download-link.js';
import { sessionOf } from '../../middleware/lti-session.js';
import { PAGE_SIZE } from '../../presenters/pager.js';
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
  /** The learner table: search (name, email or LMS id), sort and which learners to show. */
  q: z.preprocess(blank, z.string().trim().max(200).optional()),
  sort: z.preprocess(blank, z.enum(LEARNER_SORTS).optional()),
  show: z.preprocess(blank, z.enum(LEARNER_FILTERS).optional()),
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

/** A file name part: lower case letters, digits and dashes. */
const slug = (text: string) =>
  text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || 'report';

/**
 * Sends the tidy CSV table `f.export` names, as an attachment `<name>-<table>-<YYYY-MM-DD>.csv`
 * (docs/kpi-reports.md, "Exports").
 */
function sendExport(res: Response, tables: CsvTable[], f: Filters, name: string): void {
  const table = tables.find((t) => t.id === f.export);
  if (!table)
    throw new NotFoundError(
      `This report has no table "${f.export}"; use one of: ${tables.map((t) => t.id).join(', ')}.`,
    );
  res.set('Content-Type', 'text/csv; charset=utf-8');
  res.set('Cache-Control', 'no-store');
  res.attachment(`${slug(name)}-${table.id}-${new Date().toISOString().slice(0, 10)}.csv`);
  res.send(toCsv(table.headers, table.rows));
}

/** Each table with a signed download link to its CSV (`exportHref`). */
function withExportLinks<T extends { id: string }>(
  links: Pick<DownloadLinkService, 'mint'>,
  s: LtiSession,
  path: string,
  f: Filters,
  tables: T[],
): (T & { exportHref: string })[] {
  return tables.map((t) => {
    const query = new URLSearchParams(pageQuery(f, {}));
    query.set('export', t.id);
    return { ...t, exportHref: signedHref(links, s, path, query) };
  });
}

/** What the KPI report pages use. */
export interface KpiReportPageDeps {
  kpiReports: KpiReportService;
  chartCache: ChartCacheService;
  courses: CourseService;
  programs: ProgramService;
  guard: PageGuard;
  downloadLinks: DownloadLinkService;
}

/**
 * KPI report pages (issue #7): the instructor course report with its drill-down to a learner and its
 * data-quality panel, a learner's own progress, and the admin program report. Instructors see only the
 * course they launched from; learners only themselves; admins their tenant.
 */
export function kpiReportPages(deps: KpiReportPageDeps): Router {
  const router = Router();
  const { courses } = deps;
  const links = deps.downloadLinks;
  // Pages with exports also admit their own signed download links (no cookie inside an LMS iframe).
  const guard = sessionOrDownloadLink({ guard: deps.guard, links });
  const kpis = deps.kpiReports;

  /**
   * A report and its charts, drawn as soon as the numbers they show are in, while the question analysis
   * (the slowest query, shown only in a table) still runs.
   */
  function reportWithCharts(scope: KpiScope, options: BuildOptions) {
    const { overview, report } = kpis.buildInStages(scope, options);
    return Promise.all([
      report,
      overview.then(async (o) => {
        const notes = withheldNotes(o);
        const rendered = await deps.chartCache.renderAll(scope.tenantId, reportCharts(o));
        return rendered.map((c) => ({ ...c, footnotes: notes[c.id] ?? [] }));
      }),
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
      const courseName = course.title ?? course.contextId;
      const learnerScope = { ...scope, moduleId: undefined };
      if (f.export === 'learners') {
        sendExport(res, [learnersCsvTable(await kpis.learnerExport(learnerScope))], f, courseName);
        return;
      }
      if (f.export) {
        sendExport(res, reportCsvTables(await kpis.build(scope, options)), f, courseName);
        return;
      }
      const path = `/courses/${contextId}/report`;
      // The page's lists need no report: they are read beside it.
      const here = (changes: Record<string, number>) =>
        `/courses/${contextId}/report?${pageQuery(f, changes)}`;
      const learnerQuery = { q: f.q, sort: f.sort, show: f.show, page: f.page };
      const [[report, charts], roster, learners, samples] = await Promise.all([
        reportWithCharts(scope, options),
        rosterPage(courses, s.tenantId, contextId, f.roster_page, (p) => here({ roster_page: p })),
        // One page of the learner table, searched, filtered and sorted by the database.
        kpis.learnerPage(learnerScope, {
          q: f.q,
          show: f.show ?? 'all',
          sort: f.sort ?? 'name',
          page: f.page ?? 1,
          size: PAGE_SIZE,
          now: new Date(),
        }),
        courses.sampleUserIds(s.tenantId, contextId),
      ]);
      const learnerRows = learnerList(learners, learnerQuery, (p) => here({ page: p }), samples);
      // The learner form sends the report's filters along, so searching keeps the report's scope.
      const hidden = [
        ...new URLSearchParams(pageQuery({ ...f, q: undefined, sort: undefined, show: undefined }, {})),
      ].map(([name, value]) => ({ name, value }));
      const allTables = withExportLinks(links, s, path, f, reportTables(report));
      const isQuestion = (t: { id: string }) => t.id === 'questions' || t.id === 'answer-choices';
      const tables = allTables.filter((t) => !isQuestion(t));
      const questionTables = allTables.filter(isQuestion);
      const [learnersCsv] = withExportLinks(links, s, path, f, [{ id: 'learners' }]);
      res.render('pages/kpi/course-report', {
        title: `Course report: ${course.title ?? course.contextId}`,
        context: course.title,
        course,
        freshness: freshnessLine(report.freshness),
        rules: rulesLine(report),
        summary: summaryCards(report),
        rosterSynced: rosterSyncedLine(course.rosterSyncedAt),
        filters: filterForm(f, { modules, programs, campaign }),
        query: pageQuery(f, {}),
        charts,
        tables,
        questionTables,
        questions: questionGroups(report),
        minimum: report.minimumGroupSize,
        withheldReason: report.withheldReason,
        learners: { ...learnerRows, hidden, exportHref: learnersCsv!.exportHref },
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
        identity: `LMS id ${learner.name}`,
        back: `/courses/${contextId}/report#learners`,
        waivers: `/courses/${contextId}/learners/${userId}/waivers`,
        ...learnerView(report),
        // A flag of its own: Handlebars treats an empty list as false, which would hide "no attempts yet".
        showAttempts: true,
        attempts: attemptHistory(report.attempts),
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
      if (f.export) {
        sendExport(res, [qualityCsvTable(quality)], f, course.title ?? course.contextId);
        return;
      }
      const [table] = withExportLinks(links, s, `/courses/${contextId}/report/quality`, f, [
        qualityRows(quality),
      ]);
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
        sendExport(res, reportCsvTables(await kpis.build(scope, options)), f, program.name);
        return;
      }
      const [report, charts] = await reportWithCharts(scope, options);
      const tables = withExportLinks(links, s, `/admin/programs/${programId}/kpis`, f, reportTables(report));
      res.render('pages/kpi/program-report', {
        title: `${program.name}: KPIs`,
        context: program.name,
        program,
        freshness: freshnessLine(report.freshness),
        rules: rulesLine(report),
        filters: filterForm(f, { modules, programs: [], cohorts: programs[0]?.cohorts ?? [], campaign }),
        query: pageQuery(f, {}),
        charts,
        tables,
        minimum: report.minimumGroupSize,
        withheldReason: report.withheldReason,
      });
    }),
  );

  return router;
}

function learnerView(report: Awaited<ReturnType<KpiReportService['learner']>>) {
  const pct = (x: number | null) => (x === null ? '' : formatPercent(x));
  return {
    freshness: freshnessLine(report.freshness),
    modules: report.modules.map((m) => ({
      title: m.module.title,
      status: m.completed ? 'Completed' : m.started ? 'In progress' : 'Not started',
      passed: m.passed ? 'Passed' : m.bestPercent === null ? '' : 'Not yet passed',
      best: pct(m.bestPercent),
      pre: pct(m.prePercent),
      post: pct(m.postPercent),
      minutes: m.minutes === null ? '' : formatDuration(m.minutes),
      sessions: m.sessions,
      last: m.lastActivity ? formatDate(m.lastActivity) : '',
    })),
  };
}
