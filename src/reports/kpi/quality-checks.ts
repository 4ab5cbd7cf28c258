import type { QualityCounts } from './model.js';

export interface QualityThresholds {
  /** Largest acceptable share (0..1) of statements missing a metadata field. */
  maxNullRate: number;
  /** Largest acceptable relative gap between learners with events and enrolled learners (0..1). */
  learnerTolerance: number;
}

export interface QualityCheck {
  name: string;
  /** What was counted, e.g. "12 of 4,210 statements". */
  count: number;
  of: number;
  rate: number;
  threshold: number;
  ok: boolean;
  advice: string;
  /** Set when the count covers fewer actors than the privacy minimum (small-cells.ts). */
  withheld?: boolean;
}

/**
 * The data-quality checks of the customer's checklist: null rates of module_version, assignment_id
 * and campaign_id against a threshold, actors matched to no known learner, duplicate statements, sessions
 * whose stored duration is longer than the session itself (none is acceptable), and distinct learners
 * with events against enrolled learners within a tolerance. A rate over zero
 * statements is 0 (nothing to be wrong about).
 */
export function qualityChecks(q: QualityCounts, t: QualityThresholds): QualityCheck[] {
  const share = (n: number, of: number) => (of === 0 ? 0 : n / of);
  const nullCheck = (name: string, n: number, advice: string): QualityCheck => ({
    name,
    count: n,
    of: q.statements,
    rate: share(n, q.statements),
    threshold: t.maxNullRate,
    ok: share(n, q.statements) <= t.maxNullRate,
    advice,
  });
  // The row counts what its name says, so count / of = rate: the enrolled learners without events, or
  // (events from more learners than are enrolled) the extra learners.
  const missing = q.learnersWithEvents <= q.enrolledLearners;
  const apart = Math.abs(q.enrolledLearners - q.learnersWithEvents);
  const gap = share(apart, q.enrolledLearners);
  return [
    nullCheck(
      'Statements without module_version',
      q.missingModuleVersion,
      'Check the module player sends the module_version context extension.',
    ),
    nullCheck(
      'Statements without assignment_id',
      q.missingAssignmentId,
      'Launch modules from an LMS link so the assignment (resource link) is known.',
    ),
    nullCheck(
      'Program statements without campaign_id',
      q.missingCampaignId,
      'Modules in a program must send the campaign_id extension (the program id).',
    ),
    nullCheck(
      'Statements from actors matched to no learner',
      q.unmatchedActorStatements,
      `${q.unmatchedActors} unknown actor account(s): launch through the LMS or sync the roster.`,
    ),
    nullCheck(
      'Duplicate statements (same actor, verb, object, attempt and time)',
      q.duplicateStatements,
      'A client may be resending statements with new ids; check its retry logic.',
    ),
    {
      name: 'Sessions whose stored duration is longer than the session',
      count: q.overlongSessions,
      of: q.endedSessions,
      rate: share(q.overlongSessions, q.endedSessions),
      threshold: 0,
      ok: q.overlongSessions === 0,
      advice:
        "A terminated statement reports more time than passed between the session's first statement and its end, which the capture rules cannot produce: check the client that sends result.duration. Time on task counts such a session as its span.",
    },
    {
      name: missing
        ? 'Enrolled learners without events'
        : 'Learners with events beyond the enrolled learners',
      count: apart,
      of: q.enrolledLearners,
      rate: gap,
      threshold: t.learnerTolerance,
      ok: gap <= t.learnerTolerance,
      advice:
        'A large gap means learners have not started, or statements are not reaching Yardstick; sync the roster and check the LRS credentials.',
    },
  ];
}
