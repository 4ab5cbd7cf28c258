import type { LearnerAttempt } from '../../reports/kpi/kpi-report-service.js';
import {
  LEARNER_FILTERS,
  LEARNER_SORTS,
  STALLED_AFTER_DAYS,
  type LearnerExportRow,
  type LearnerFilter,
  type LearnerPageRows,
  type LearnerSort,
} from '../../reports/kpi/learner-list.js';
import { formatCount, formatDate, formatPercent } from './format.js';
import { pageOf, pagerView } from './pager.js';

export { LEARNER_FILTERS, LEARNER_SORTS, type LearnerFilter, type LearnerSort };

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

const STATUS_LABELS = { 'not started': 'Not started', 'in progress': 'In progress', completed: 'Completed' };

/**
 * The course report's learner table: one page of the learners searched by name, email or LMS id,
 * filtered (`show`) and sorted as `query` asks (read so by KpiReportService.learnerPage), with a pager
 * whose links keep the query (`href`). Each row names the learner with their email (or LMS id) so equal
 * names can be told apart; learners in `samples` (generated demo data) are marked so.
 */
export function learnerList(
  page: LearnerPageRows<LearnerExportRow>,
  query: LearnerListQuery,
  href: (page: number) => string,
  samples: ReadonlySet<string> = new Set(),
) {
  const q = (query.q ?? '').trim();
  const show = query.show ?? 'all';
  const sort = query.sort ?? 'name';
  const { pager } = pageOf(page.matching, query.page, href);
  return {
    q: query.q ?? '',
    total: formatCount(page.total),
    narrowed: Boolean(q) || show !== 'all',
    filters: LEARNER_FILTERS.map((value) => ({
      value,
      label: FILTER_LABELS[value],
      selected: value === show,
    })),
    sorts: LEARNER_SORTS.map((value) => ({ value, label: SORT_LABELS[value], selected: value === sort })),
    pager: pagerView(pager),
    rows: page.rows.map((r) => ({
      userId: r.userId,
      name: r.displayName,
      identity: r.email ?? `LMS id ${r.lmsUserId}`,
      sample: samples.has(r.userId),
      status: r.stalled ? 'Stalled' : STATUS_LABELS[r.status],
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
