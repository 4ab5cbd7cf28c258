import type { LearnerAttempt, LearnerExportRow } from '../../reports/kpi/kpi-report-service.js';
import { formatCount, formatDate, formatPercent } from './format.js';
import { pageOf, pagerView } from './pager.js';

/** How the learner table can be sorted (GET parameter `sort`). */
export const LEARNER_SORTS = ['name', 'status', 'score', 'last'] as const;
export type LearnerSort = (typeof LEARNER_SORTS)[number];

/** Which learners the table shows (GET parameter `show`). */
export const LEARNER_FILTERS = [
  'all',
  'not-started',
  'in-progress',
  'stalled',
  'failed',
  'completed',
] as const;
export type LearnerFilter = (typeof LEARNER_FILTERS)[number];

/** A learner in progress with no activity for this many days is stalled. */
export const STALLED_AFTER_DAYS = 14;

const FILTER_LABELS: Record<LearnerFilter, string> = {
  all: 'All learners',
  'not-started': 'Not started',
  'in-progress': 'In progress',
  stalled: `Stalled (no activity in ${STALLED_AFTER_DAYS} days)`,
  failed: 'Failed a post-test',
  completed: 'Completed',
};

const SORT_LABELS: Record<LearnerSort, string> = {
  name: 'Name',
  status: 'Status',
  score: 'Post-test score (highest first)',
  last: 'Last activity (most recent first)',
};

export interface LearnerListQuery {
  q?: string;
  sort?: LearnerSort;
  show?: LearnerFilter;
  page?: number;
}

const STATUS_ORDER = { 'not started': 0, 'in progress': 1, completed: 2 } as const;

function stalled(r: LearnerExportRow, now: Date): boolean {
  return (
    r.status === 'in progress' &&
    (r.lastActivity === null || now.getTime() - r.lastActivity.getTime() > STALLED_AFTER_DAYS * 86400000)
  );
}

function matches(r: LearnerExportRow, show: LearnerFilter, now: Date): boolean {
  switch (show) {
    case 'all':
      return true;
    case 'not-started':
      return r.status === 'not started';
    case 'in-progress':
      return r.status === 'in progress';
    case 'stalled':
      return stalled(r, now);
    case 'failed':
      return r.modulesFailing > 0;
    case 'completed':
      return r.status === 'completed';
  }
}

function compare(sort: LearnerSort): (a: LearnerExportRow, b: LearnerExportRow) => number {
  const byName = (a: LearnerExportRow, b: LearnerExportRow) =>
    a.displayName.localeCompare(b.displayName, 'en') ||
    (a.email ?? a.lmsUserId).localeCompare(b.email ?? b.lmsUserId);
  switch (sort) {
    case 'name':
      return byName;
    case 'status':
      return (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || byName(a, b);
    case 'score':
      // Learners without a score go last.
      return (a, b) => (b.postPercent ?? -1) - (a.postPercent ?? -1) || byName(a, b);
    case 'last':
      // A date withheld for privacy sorts as no date, so the order does not give it away.
      return (a, b) => lastTime(b) - lastTime(a) || byName(a, b);
  }
}

const lastTime = (r: LearnerExportRow) => (r.lastActivityWithheld ? 0 : (r.lastActivity?.getTime() ?? 0));

const STATUS_LABELS = { 'not started': 'Not started', 'in progress': 'In progress', completed: 'Completed' };

/**
 * The course report's learner table: every assigned learner searched by name, email or LMS id
 * (case-insensitive), filtered (`show`), sorted, then one page of it with a pager whose links keep the
 * query (`href`). Each row names the learner with their email (or LMS id) so equal names can be told
 * apart; `now` decides who is stalled; learners in `samples` (generated demo data) are marked so.
 */
export function learnerList(
  rows: LearnerExportRow[],
  query: LearnerListQuery,
  now: Date,
  href: (page: number) => string,
  samples: ReadonlySet<string> = new Set(),
) {
  const q = (query.q ?? '').trim().toLowerCase();
  const show = query.show ?? 'all';
  const sort = query.sort ?? 'name';
  const found = rows
    .filter(
      (r) =>
        !q ||
        r.displayName.toLowerCase().includes(q) ||
        (r.email ?? '').toLowerCase().includes(q) ||
        r.lmsUserId.toLowerCase().includes(q),
    )
    .filter((r) => matches(r, show, now))
    .sort(compare(sort));
  const { limit, offset, pager } = pageOf(found.length, query.page, href);
  return {
    q: query.q ?? '',
    total: formatCount(rows.length),
    narrowed: Boolean(q) || show !== 'all',
    filters: LEARNER_FILTERS.map((value) => ({
      value,
      label: FILTER_LABELS[value],
      selected: value === show,
    })),
    sorts: LEARNER_SORTS.map((value) => ({ value, label: SORT_LABELS[value], selected: value === sort })),
    pager: pagerView(pager),
    rows: found.slice(offset, offset + limit).map((r) => ({
      userId: r.userId,
      name: r.displayName,
      identity: r.email ?? `LMS id ${r.lmsUserId}`,
      sample: samples.has(r.userId),
      status: stalled(r, now) ? 'Stalled' : STATUS_LABELS[r.status],
      failing: r.modulesFailing > 0,
      modules: `${formatCount(r.modulesCompleted)} of ${formatCount(r.modulesInScope)} completed`,
      score: r.postPercent === null ? 'no post-test yet' : formatPercent(r.postPercent),
      last: r.lastActivityWithheld
        ? 'not shown (a week with few active learners)'
        : r.lastActivity
          ? formatDate(r.lastActivity)
          : 'no activity yet',
    })),
  };
}

/**
 * A learner's quiz attempts for the instructor's drill-down, newest first: module, test, date, score
 * (answers correct), verdict, and each answer given with whether it was right.
 */
export function attemptHistory(attempts: LearnerAttempt[]) {
  return [...attempts].reverse().map((a, k) => ({
    id: `attempt-${k + 1}`,
    module: a.module.title,
    test: a.phase === 'pre' ? 'Pre-test' : 'Post-test',
    version: a.moduleVersion === null ? '' : `version ${a.moduleVersion}`,
    date: formatDate(a.startedAt),
    score: a.answered
      ? `${formatCount(a.correct)} of ${formatCount(a.answered)} correct (${formatPercent((100 * a.correct) / a.answered)})`
      : 'no answers',
    verdict: a.verdict === 'passed' ? 'Passed' : a.verdict === 'failed' ? 'Not passed' : '',
    answers: a.answers.map((x, i) => ({
      number: i + 1,
      prompt: x.prompt,
      response: x.response,
      result: x.correct === true ? 'Correct' : x.correct === false ? 'Incorrect' : 'Not scored',
    })),
  }));
}
