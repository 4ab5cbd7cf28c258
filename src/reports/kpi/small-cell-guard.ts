import type { KpiScope } from './model.js';
import type { KpiReportService } from './kpi-report-service.js';
import type { LearnerExportRow } from './learner-list.js';
import { isSuppressed } from './privacy.js';
import { withholdSmallCells, withholdSmallQuality, type DifferencingFacts } from './small-cells.js';

/** What the guard reads beside a report (src/storage/repositories/small-cell-repository.ts). */
export interface SmallCellFacts {
  activeNextToRange(
    scope: KpiScope,
  ): Promise<{ activeBeforeFrom: number | null; activeFromTo: number | null }>;
  /** Active learners per ISO week (its Monday, YYYY-MM-DD); with `weeks`, of those weeks only. */
  activeWeeks(scope: KpiScope, weeks?: readonly string[]): Promise<Map<string, number>>;
}

/** Monday (UTC) of the ISO week of `d`, YYYY-MM-DD. */
export function isoWeekOf(d: Date): string {
  const day = (d.getUTCDay() + 6) % 7;
  const monday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day));
  return monday.toISOString().slice(0, 10);
}

/**
 * The KPI report service with the small-cell rule applied at every level its pages, charts and CSVs
 * show (issue #18, src/reports/kpi/small-cells.ts): small weeks, cohorts and question groups withheld,
 * whole reports withheld against differencing, data-quality counts over few actors withheld, and a
 * learner's last activity not dated when it falls in a withheld week.
 */
export function guardSmallCells(
  inner: KpiReportService,
  deps: { facts: SmallCellFacts; minimumGroupSize: number },
): KpiReportService {
  const min = deps.minimumGroupSize;

  async function differencingFacts(scope: KpiScope): Promise<DifferencingFacts> {
    const [withoutCohort, next] = await Promise.all([
      scope.cohortId ? inner.learnerCount({ ...scope, cohortId: undefined }) : Promise.resolve(null),
      deps.facts.activeNextToRange(scope),
    ]);
    return { assignedWithoutCohort: withoutCohort, ...next };
  }

  const guarded: KpiReportService = {
    ...inner,
    build(scope, options) {
      return guarded.buildInStages(scope, options).report;
    },
    buildInStages(scope, options) {
      const staged = inner.buildInStages(scope, options);
      const facts = differencingFacts(scope);
      // The report may be awaited alone; a failure of the facts is reported by both.
      facts.catch(() => undefined);
      return {
        overview: Promise.all([staged.overview, facts]).then(([o, f]) => withholdSmallCells(o, f)),
        report: Promise.all([staged.report, facts]).then(([r, f]) => withholdSmallCells(r, f)),
      };
    },
    async quality(scope) {
      return withholdSmallQuality(await inner.quality(scope), min);
    },
    async learnerExport(scope) {
      const [rows, weeks] = await Promise.all([inner.learnerExport(scope), deps.facts.activeWeeks(scope)]);
      return withholdDates(rows, weeks);
    },
    async learnerPage(scope, query) {
      if (query.sort === 'last') {
        // Sorted by date, a withheld date must sort as none: the weeks are read before the page.
        const weeks = await deps.facts.activeWeeks(scope);
        const undatedWeeks = [...weeks].filter(([, n]) => isSuppressed(n, min)).map(([w]) => w);
        const page = await inner.learnerPage(scope, { ...query, undatedWeeks });
        return { ...page, rows: withholdDates(page.rows, weeks) };
      }
      const page = await inner.learnerPage(scope, query);
      // Only the weeks the page's dates fall in are counted.
      const dated = page.rows.flatMap((r) => (r.lastActivity ? [isoWeekOf(r.lastActivity)] : []));
      const weeks = dated.length ? await deps.facts.activeWeeks(scope, [...new Set(dated)]) : new Map();
      return { ...page, rows: withholdDates(page.rows, weeks) };
    },
  };
  return guarded;

  /** Each learner's last activity not dated when it falls in a week with too few active learners. */
  function withholdDates(rows: LearnerExportRow[], weeks: Map<string, number>): LearnerExportRow[] {
    return rows.map((r) =>
      r.lastActivity && isSuppressed(weeks.get(isoWeekOf(r.lastActivity)) ?? 0, min)
        ? { ...r, lastActivityWithheld: true }
        : r,
    );
  }
}
