import type { KpiRules } from '../../cohorts/model.js';

export type { KpiRules } from '../../cohorts/model.js';

/**
 * The KPI reports' model: what a report covers (KpiScope) and the counts, scores and item statistics
 * it is built from, as the KPI repository returns them; and the analyst roles that read the same data.
 */

/**
 * What a KPI report covers. A course report names `courseId`, a program report `programId`; the rest
 * narrow either. Dates bound the statement timestamp (from inclusive, to exclusive).
 */
export interface KpiScope {
  tenantId: string;
  courseId?: string;
  programId?: string;
  moduleId?: string;
  /**
   * Only these modules (with or without `moduleId`): a part of a query split across connections
   * (the question analysis of a date range), not a report filter.
   */
  moduleIds?: readonly string[];
  moduleVersion?: number;
  cohortId?: string;
  from?: Date;
  to?: Date;
  /** One learner's own data (the learner page, the instructor drill-down): lti_user.id. */
  learnerUserId?: string;
  /** Only these learners (lti_user.id): the page of a learner list whose scores are read. */
  learnerUserIds?: readonly string[];
  /**
   * Which learners count and which attempt (docs/kpi-reports.md, "Definitions"); DEFAULT_KPI_RULES when
   * absent. The report service fills it from the program.
   */
  rules?: KpiRules;
}

/** One page of a roster list: `limit` learners after the first `offset`, in display-name order. */
export interface RosterPage {
  limit: number;
  offset: number;
}

export interface ModuleRef {
  id: string;
  title: string;
  /** Published version numbers, ascending (the report's version filter offers these). */
  versions?: number[];
}

export interface ModuleCounts {
  moduleId: string;
  /** Assigned learners with at least one statement of each kind. */
  started: number;
  completed: number;
  /** With a passed or failed statement (a scored post-test). */
  scored: number;
  passed: number;
}

/**
 * Per module, post-test outcomes under the scope's attempt policy: learners with a completed attempt,
 * of them those whose counted attempt passed, and the retakes (reported apart from mastery).
 */
export interface MasteryCounts {
  moduleId: string;
  scored: number;
  passed: number;
  /** Learners with more than one completed attempt. */
  retook: number;
  /** First completed attempt failed, a later one passed. */
  passedOnRetake: number;
  /** First completed attempt passed, a later one failed. */
  failedAfterPass: number;
}

export interface TimeOnTaskRow {
  moduleId: string;
  learners: number;
  /** Per-learner total session time in the module, seconds; percentile_cont = R type 7. */
  medianSeconds: number;
  p90Seconds: number;
  sessions: number;
  estimatedSessions: number;
}

export interface ScorePair {
  moduleId: string;
  userId: string;
  /** Share of answers correct, 0..1: first attempt with a pre-test, latest attempt with a post-test. */
  pre: number | null;
  post: number | null;
}

/**
 * What a module's pre/post change is computed from, over the learners with both scores, in percent:
 * their number, the means of the pre and post scores and of the differences post - pre, the differences'
 * standard deviation (divisor n - 1; null below 2 learners), and the mean Hake gain (post - pre)/(100 -
 * pre) over the `included` learners whose pre score is below 100. KpiRepository.scoreMoments sums them in SQL;
 * reports/kpi/score-change.ts `scoreMoments` from per-learner scores.
 */
export interface ScoreMoments {
  pairs: number;
  preMean: number | null;
  postMean: number | null;
  diffMean: number | null;
  diffSd: number | null;
  included: number;
  meanLearnerGain: number | null;
}

export interface WeekRow {
  /** Monday of the ISO week, YYYY-MM-DD (UTC). */
  week: string;
  started: number;
  completed: number;
  active: number;
  /** Set when fewer than the privacy minimum were active that week (counts then 0; issue #18). */
  suppressed?: boolean;
}

export interface EnrollmentWindow {
  /** Assigned learners who had not started before the window. */
  eligible: number;
  /** Of those, learners whose first launch fell inside the window. */
  started: number;
}

export interface QualityCounts {
  statements: number;
  missingModuleVersion: number;
  missingAssignmentId: number;
  /** Statements of modules that belong to a program but carry no campaign_id. */
  missingCampaignId: number;
  unmatchedActorStatements: number;
  unmatchedActors: number;
  duplicateStatements: number;
  learnersWithEvents: number;
  enrolledLearners: number;
  /** Sessions ended by a `terminated` statement with a duration. */
  endedSessions: number;
  /**
   * Of them, those whose stored duration exceeds the session's span (first statement of the session to
   * its `terminated`) by more than a second: time the capture rules cannot produce.
   */
  overlongSessions: number;
}

export interface LearnerModuleRow {
  moduleId: string;
  started: boolean;
  completed: boolean;
  passed: boolean;
  bestScaled: number | null;
  seconds: number | null;
  sessions: number;
  lastActivity: Date | null;
}

/** One assigned learner's activity over the scope's modules: the per-learner export's row. */
export interface LearnerActivityRow {
  userId: string;
  displayName: string;
  email: string | null;
  /** The LMS user id (LTI `sub`), unique within the platform. */
  lmsUserId: string;
  modulesStarted: number;
  modulesCompleted: number;
  /** Summed session durations (terminated and abandoned statements); null without a session. */
  seconds: number | null;
  /** The learner's last launch or completion in the scope. */
  lastActivity: Date | null;
  /** Modules with a failed post-test verdict and no passed one. */
  modulesFailing: number;
}

/** One quiz answer or verdict of one learner (KpiRepository.learnerAnswers). */
export interface LearnerAnswerRow {
  moduleId: string;
  moduleVersion: number | null;
  /** The attempt (xAPI context registration). */
  registration: string | null;
  phase: string | null;
  /** 'answered', 'passed' or 'failed'. */
  verb: string;
  itemId: string | null;
  response: string | null;
  success: boolean | null;
  scoreScaled: number | null;
  timestamp: Date;
}

export interface ItemRow {
  moduleId: string;
  moduleVersion: number | null;
  itemId: string;
  learners: number;
  difficulty: number;
  pointBiserial: number | null;
  upperLowerIndex: number;
}

export interface OptionRow {
  moduleId: string;
  moduleVersion: number | null;
  itemId: string;
  response: string | null;
  count: number;
  upperCount: number;
  lowerCount: number;
}

export interface AnswerCountRow {
  moduleId: string;
  itemId: string;
  response: string;
  count: number;
}

export interface ItemRespondents {
  moduleId: string;
  itemId: string;
  /** Distinct respondents (survey) or observed learners (observations). */
  respondents: number;
  anonymous: boolean;
  /** Surveys: the oldest and newest module version the answers were given in (null: unknown or none). */
  versions?: VersionRange | null;
}

/** Module versions from `first` to `last`, inclusive. */
export interface VersionRange {
  first: number;
  last: number;
}

export interface AnalystRole {
  roleName: string;
  tenantId: string;
  createdAt: Date;
}

/** How the course report's learner table can be sorted (GET parameter `sort`). */
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

/**
 * A learner's status over the scope's modules: completed = every module completed (and there is one),
 * in progress = some module started or completed, else not started. Classified in SQL
 * (src/storage/repositories/kpi-learner-list-sql.ts), the one place, so the table can filter, sort and
 * page by it without reading every learner.
 */
export type LearnerStatus = 'completed' | 'in progress' | 'not started';

/** A learner row with the status the repository classified. */
export interface ClassifiedLearnerRow extends LearnerActivityRow {
  status: LearnerStatus;
  /** In progress with no launch or completion in the last STALLED_AFTER_DAYS days before `now`. */
  stalled: boolean;
}

/** One page of the learner table as the repository reads it. */
export interface LearnerPageQuery {
  /** Search in names, emails and LMS ids, ignoring case (trimmed; empty: everyone). */
  q?: string;
  show: LearnerFilter;
  sort: LearnerSort;
  /** 1-based; a page past the end gives the last one. */
  page: number;
  size: number;
  /** Who is stalled is decided against this moment. */
  now: Date;
  /**
   * ISO weeks (their Monday, YYYY-MM-DD) whose dates are withheld for privacy: a last activity in one
   * sorts as none under `sort: 'last'`, so the order does not give the date away.
   */
  undatedWeeks?: readonly string[];
}

/** The rows of one page, how many learners the search and filter leave, and how many there are. */
export interface LearnerPageRows<Row> {
  total: number;
  matching: number;
  rows: Row[];
}
