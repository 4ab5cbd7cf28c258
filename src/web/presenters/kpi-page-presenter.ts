import { attemptWords, denominatorWords } from '../../reports/kpi/definitions.js';
import type { Freshness, KpiOverview, QualityReport } from '../../reports/kpi/kpi-report-service.js';
import type { ModuleRef } from '../../reports/kpi/model.js';
import { formatCount, formatPercent } from '../../reports/charts/format.js';
import type { KpiTable } from './kpi-tables.js';
import { pageOf, pagerView } from './pager.js';
import type { CourseService } from '../../lti/people/course-service.js';
import { formatDateTime } from './format.js';

/** "Data as of Mar 2, 2026, 2:05 PM UTC: newest statement stored ...; read from the replica 3 s behind." */
export function freshnessLine(f: Freshness): string {
  const stamp = formatDateTime;
  const newest = f.newestStored
    ? `newest statement stored ${stamp(f.newestStored)}`
    : 'no statements stored yet';
  const source =
    f.source === 'replica'
      ? `read from the reporting replica${f.replicaLagSeconds === null ? '' : `, ${Math.round(f.replicaLagSeconds)} s behind the primary`}`
      : f.fallbackReason
        ? `read from the primary database (live) because ${f.fallbackReason}`
        : 'read from the primary database (live)';
  return `Data as of ${stamp(f.generatedAt)}: ${newest}; ${source}.`;
}

interface Option {
  value: string;
  label: string;
  selected: boolean;
}

/**
 * The filter form's fields with the current choice selected. The version list is the chosen module's
 * published versions (empty until a module is chosen: version numbers of different modules mean
 * different things).
 */
export function filterForm(
  f: { program?: string; module?: string; version?: number; cohort?: string; from?: string; to?: string },
  lists: {
    modules: ModuleRef[];
    programs: { id: string; name: string; cohorts: { id: string; name: string }[] }[];
    cohorts?: { id: string; name: string }[];
    campaign?: string;
  },
) {
  const opt = (value: string, label: string, current?: string): Option => ({
    value,
    label,
    selected: value === current,
  });
  const cohorts =
    lists.cohorts ??
    lists.programs.flatMap((p) => p.cohorts.map((c) => ({ id: c.id, name: `${p.name}: ${c.name}` })));
  return {
    programs: lists.programs.map((p) => opt(p.id, p.name, f.program)),
    modules: lists.modules.map((m) => opt(m.id, m.title, f.module)),
    versions: (lists.modules.find((m) => m.id === f.module)?.versions ?? []).map((v) =>
      opt(String(v), `Version ${v}`, f.version === undefined ? undefined : String(f.version)),
    ),
    cohorts: cohorts.map((c) => opt(c.id, c.name, f.cohort)),
    from: f.from ?? '',
    to: f.to ?? '',
    campaign: lists.campaign ?? '',
  };
}

/** One page of a course's enrollments by name, with how many are active. */
export async function rosterPage(
  courses: Pick<CourseService, 'roster' | 'rosterCounts'>,
  tenantId: string,
  contextId: string,
  requested: number | undefined,
  href: (page: number) => string,
) {
  const counts = await courses.rosterCounts(tenantId, contextId);
  const { limit, offset, pager } = pageOf(counts.total, requested, href);
  const rows = await courses.roster(tenantId, contextId, { limit, offset });
  return {
    pager: pagerView(pager),
    rows: rows.map((r) => ({
      name: r.name,
      sub: r.sub,
      email: r.email ?? '',
      role: ROLE_LABELS[r.roleKind] ?? r.roleKind,
      status: r.status === 'active' ? 'Active' : 'Inactive',
      source: SOURCE_LABELS[r.source],
    })),
    active: counts.active,
  };
}

const SOURCE_LABELS = { roster: 'Roster sync', launch: 'Launch', sample: 'Sample (demo data)' } as const;

const ROLE_LABELS: Record<string, string> = {
  learner: 'Learner',
  instructor: 'Instructor',
  admin: 'Administrator',
  other: 'Other',
};

/** When the roster was last synced from the LMS, for people: "Dec 7, 2026, 7:34 PM UTC" or "never". */
export function rosterSyncedLine(at: Date | null): string {
  return at ? formatDateTime(at) : 'never';
}

/** The data-quality checks as a table (page and CSV). */
export function qualityRows(q: QualityReport): KpiTable {
  return {
    id: 'data-quality',
    caption: 'Data-quality checks',
    note: q.countsWithheld
      ? 'The statement counts are not shown: fewer learners sent them than the privacy minimum (docs/privacy.md). Thresholds come from config reports.quality.'
      : `${formatCount(q.counts.statements)} capture statements in scope. Thresholds come from config reports.quality.`,
    headers: ['Check', 'Count', 'Out of', 'Rate', 'Threshold', 'Result', 'What to do'],
    rows: q.checks.map((c) =>
      c.withheld
        ? [c.name, 'not shown (too few actors)', '', '', formatPercent(c.threshold), 'withheld', '']
        : [
            c.name,
            formatCount(c.count),
            formatCount(c.of),
            formatPercent(c.rate),
            formatPercent(c.threshold),
            c.ok ? 'ok' : 'over threshold',
            c.ok ? '' : c.advice,
          ],
    ),
  };
}

/**
 * The one line a report page states about the rules it used (docs/kpi-reports.md, "Definitions"):
 * who the rates divide by and which post-test attempt counts.
 */
export function rulesLine(r: Pick<KpiOverview, 'rules' | 'withdrawn'>): string {
  return `Rules used: learners are ${denominatorWords(r.rules)}, ${formatCount(r.withdrawn)} withdrawn; mastery and post scores count ${attemptWords(r.rules)}, pre scores the first attempt.`;
}
