import type { ClassifiedLearnerRow, LearnerStatus, ScorePair } from './model.js';

// The learner table's vocabulary lives in model.ts (the repository reads by it); named here too.
export {
  LEARNER_FILTERS,
  LEARNER_SORTS,
  STALLED_AFTER_DAYS,
  type ClassifiedLearnerRow,
  type LearnerFilter,
  type LearnerPageQuery,
  type LearnerPageRows,
  type LearnerSort,
  type LearnerStatus,
} from './model.js';

/** One row of the per-learner export and of the learner table (KpiReportService.learnerExport). */
export interface LearnerExportRow {
  userId: string;
  displayName: string;
  email: string | null;
  lmsUserId: string;
  status: LearnerStatus;
  /** In progress with no launch or completion in the last STALLED_AFTER_DAYS days. */
  stalled: boolean;
  modulesInScope: number;
  modulesStarted: number;
  modulesCompleted: number;
  /** Mean over the learner's modules with a pre (post) score, as a share correct on 0-100. */
  prePercent: number | null;
  postPercent: number | null;
  minutes: number | null;
  lastActivity: Date | null;
  /** Modules with a failed post-test verdict and no passed one. */
  modulesFailing: number;
  /** Set when the last activity fell in a week withheld for privacy: show no date (issue #18). */
  lastActivityWithheld?: boolean;
}

const meanPercent = (xs: (number | null)[]) => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? (v.reduce((a, b) => a + b, 0) / v.length) * 100 : null;
};

/**
 * The export row of each classified learner, given the scope's module count and the learners' score
 * pairs (pre and post each the mean over the learner's modules with that score, in percent).
 */
export function exportRow(
  modulesInScope: number,
  pairs: ScorePair[],
): (r: ClassifiedLearnerRow) => LearnerExportRow {
  const byLearner = new Map<string, ScorePair[]>();
  for (const p of pairs) byLearner.set(p.userId, [...(byLearner.get(p.userId) ?? []), p]);
  return (r) => {
    const own = byLearner.get(r.userId) ?? [];
    return {
      userId: r.userId,
      displayName: r.displayName,
      email: r.email,
      lmsUserId: r.lmsUserId,
      status: r.status,
      stalled: r.stalled,
      modulesInScope,
      modulesStarted: r.modulesStarted,
      modulesCompleted: r.modulesCompleted,
      prePercent: meanPercent(own.map((p) => p.pre)),
      postPercent: meanPercent(own.map((p) => p.post)),
      minutes: r.seconds === null ? null : r.seconds / 60,
      lastActivity: r.lastActivity,
      modulesFailing: r.modulesFailing,
    };
  };
}
