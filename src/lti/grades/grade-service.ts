import type { Kysely } from 'kysely';
import { NotFoundError, PreconditionFailedError, ValidationError } from '../../errors.js';
import type { Database } from '../../storage/schema.js';
import { withTransaction } from '../../storage/transaction.js';
import type { JobQueue } from '../../storage/job-queue.js';
import type { LtiGradeRepository } from '../../storage/repositories/lti-grade-repository.js';
import type { GradePassback, LtiSession } from '../model.js';
import type { AdvantageClient, AgsScore } from '../advantage/advantage-client.js';
import type { PlatformService } from '../platforms/platform-service.js';

export const PASSBACK_QUEUE = 'lti-ags-passback';

export interface ScoreInput {
  scoreGiven?: number;
  scoreMaximum?: number;
  activityProgress: AgsScore['activityProgress'];
  gradingProgress: AgsScore['gradingProgress'];
  /** When the score was produced; defaults to now. */
  timestamp?: Date;
}

export interface GradeService {
  /**
   * Why this launch cannot take a score (no AGS line item, no course), or undefined when it can:
   * callers that must not fail over a grade ask first.
   */
  cannotGrade(session: LtiSession): string | undefined;
  /**
   * The grade outbox: stores the score and its delivery job inside the caller's transaction, so the
   * score exists, and will be sent, exactly when the work that earned it commits. Returns the id.
   */
  queue(trx: Kysely<Database>, session: LtiSession, score: ScoreInput): Promise<string>;
  /** Stores the score and queues its delivery in one transaction of its own; returns the passback id. */
  submit(session: LtiSession, score: ScoreInput): Promise<string>;
  /** The job: sends one stored score; throws (so the queue retries with backoff) when the LMS fails. */
  deliver(job: { tenantId: string; id: string }): Promise<void>;
  log(tenantId: string, contextId: string): Promise<GradePassback[]>;
  /** Queues another delivery of a stored score (an instructor's "retry"). */
  retry(tenantId: string, id: string): Promise<void>;
}

const NO_LINE_ITEM =
  'This launch carries no AGS line item, so there is no gradebook column to send the score to; make the link graded in the LMS.';

const NO_QUEUE =
  'The job queue is not running in this process, so scores cannot be sent; start the Yardstick server.';

function lineItemOf(session: LtiSession): string | undefined {
  const launch = session.launch as { ags?: { lineitem?: string } | null };
  return launch.ags?.lineitem;
}

function validateScore(score: ScoreInput): void {
  const problems: { path: string; message: string }[] = [];
  if (!ACTIVITY.includes(score.activityProgress))
    problems.push({ path: 'activityProgress', message: `use one of ${ACTIVITY.join(', ')}` });
  if (!GRADING.includes(score.gradingProgress))
    problems.push({ path: 'gradingProgress', message: `use one of ${GRADING.join(', ')}` });
  if (score.scoreGiven !== undefined && !(Number.isFinite(score.scoreGiven) && score.scoreGiven >= 0))
    problems.push({ path: 'scoreGiven', message: 'a number >= 0' });
  if (score.scoreGiven !== undefined && !(Number.isFinite(score.scoreMaximum) && score.scoreMaximum! > 0)) {
    problems.push({ path: 'scoreMaximum', message: 'required with scoreGiven, a number > 0 (AGS 3.4.2)' });
  }
  if (problems.length)
    throw new ValidationError(
      `The score is not valid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}.`,
      problems,
    );
}

const ACTIVITY = ['Initialized', 'Started', 'InProgress', 'Submitted', 'Completed'];
const GRADING = ['FullyGraded', 'Pending', 'PendingManual', 'Failed', 'NotReady'];

/**
 * AGS grade passback (AGS 2.0, 3.4): a score is written to lti_grade_passback first, then a pg-boss
 * job delivers it; failures are retried with exponential backoff (retryDelaySeconds, 2x, 4x, ...) up
 * to retryLimit times, each attempt logged on the row.
 */
export function createGradeService(deps: {
  db: Kysely<Database>;
  grades: LtiGradeRepository;
  platforms: PlatformService;
  client: AdvantageClient;
  jobs?: JobQueue;
  retry: { limit: number; delaySeconds: number };
}): GradeService {
  const queue = () => {
    if (!deps.jobs) throw new PreconditionFailedError(NO_QUEUE);
    return deps.jobs;
  };
  const enqueue = (tenantId: string, id: string) =>
    queue().send(
      PASSBACK_QUEUE,
      { tenantId, id },
      { retryLimit: deps.retry.limit, retryDelaySeconds: deps.retry.delaySeconds },
    );

  const queueScore: GradeService['queue'] = async (trx, session, score) => {
    const lineitem = lineItemOf(session);
    if (!lineitem || !session.contextId) throw new PreconditionFailedError(NO_LINE_ITEM);
    validateScore(score);
    const id = await deps.grades.insert(
      {
        tenantId: session.tenantId,
        platformId: session.platformId,
        contextId: session.contextId,
        userId: session.userId,
        lineitemUrl: lineitem,
        scoreGiven: score.scoreGiven ?? null,
        scoreMaximum: score.scoreMaximum ?? null,
        activityProgress: score.activityProgress,
        gradingProgress: score.gradingProgress,
        scoreTimestamp: score.timestamp ?? new Date(),
      },
      trx,
    );
    await queue().sendInTransaction(
      trx,
      PASSBACK_QUEUE,
      { tenantId: session.tenantId, id },
      { retryLimit: deps.retry.limit, retryDelaySeconds: deps.retry.delaySeconds },
    );
    return id;
  };

  return {
    cannotGrade: (session) =>
      !lineItemOf(session) || !session.contextId ? NO_LINE_ITEM : deps.jobs ? undefined : NO_QUEUE,

    queue: queueScore,

    submit(session, score) {
      return withTransaction(deps.db, (trx) => queueScore(trx, session, score));
    },

    async deliver({ tenantId, id }) {
      const row = await deps.grades.find(tenantId, id);
      if (!row || row.status === 'sent') return;
      const platform = await deps.platforms.get(tenantId, row.platformId);
      try {
        await deps.client.submitScore(platform, row.lineitemUrl, {
          userId: row.userSub,
          ...(row.scoreGiven !== null ? { scoreGiven: row.scoreGiven, scoreMaximum: row.scoreMaximum! } : {}),
          activityProgress: row.activityProgress as AgsScore['activityProgress'],
          gradingProgress: row.gradingProgress as AgsScore['gradingProgress'],
          timestamp: row.scoreTimestamp.toISOString(),
        });
        await deps.grades.recordAttempt(tenantId, id, null, false);
      } catch (err) {
        const final = row.attempts + 1 >= deps.retry.limit + 1;
        await deps.grades.recordAttempt(tenantId, id, (err as Error).message, final);
        throw err;
      }
    },

    log: (tenantId, contextId) => deps.grades.listByContext(tenantId, contextId),

    async retry(tenantId, id) {
      const row = await deps.grades.find(tenantId, id);
      if (!row) throw new NotFoundError('There is no such grade passback in this course.');
      if (row.status === 'sent') return;
      await deps.grades.requeue(tenantId, id);
      await enqueue(tenantId, id);
    },
  };
}
