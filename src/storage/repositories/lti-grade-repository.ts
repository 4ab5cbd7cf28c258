import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { GradePassback, NewGradePassback } from '../../lti/model.js';

/** SQL for the grade passback log. */
export function createLtiGradeRepository(db: Kysely<Database>) {
  const select = () =>
    db
      .selectFrom('lti_grade_passback as g')
      .innerJoin('lti_user as u', (j) =>
        j.onRef('u.tenant_id', '=', 'g.tenant_id').onRef('u.id', '=', 'g.user_id'),
      )
      .selectAll('g')
      .select(['u.sub', 'u.name']);
  type Row = Awaited<ReturnType<ReturnType<typeof select>['executeTakeFirstOrThrow']>>;
  const toPassback = (r: Row): GradePassback => ({
    tenantId: r.tenant_id,
    id: r.id,
    platformId: r.platform_id,
    contextId: r.context_id,
    userId: r.user_id,
    userSub: r.sub,
    userName: r.name,
    lineitemUrl: r.lineitem_url,
    scoreGiven: r.score_given,
    scoreMaximum: r.score_maximum,
    activityProgress: r.activity_progress,
    gradingProgress: r.grading_progress,
    scoreTimestamp: r.score_timestamp,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    sentAt: r.sent_at,
    createdAt: r.created_at,
  });
  return {
    /** Stores a score to send; `trx` makes it part of the caller's transaction (the grade outbox). */
    async insert(p: NewGradePassback, trx: Kysely<Database> = db): Promise<string> {
      const row = await trx
        .insertInto('lti_grade_passback')
        .values({
          tenant_id: p.tenantId,
          platform_id: p.platformId,
          context_id: p.contextId,
          user_id: p.userId,
          lineitem_url: p.lineitemUrl,
          score_given: p.scoreGiven,
          score_maximum: p.scoreMaximum,
          activity_progress: p.activityProgress,
          grading_progress: p.gradingProgress,
          score_timestamp: p.scoreTimestamp,
          status: 'queued',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },
    async find(tenantId: string, id: string): Promise<GradePassback | undefined> {
      const r = await select().where('g.tenant_id', '=', tenantId).where('g.id', '=', id).executeTakeFirst();
      return r && toPassback(r);
    },
    async listByContext(tenantId: string, contextId: string, limit = 200): Promise<GradePassback[]> {
      const rows = await select()
        .where('g.tenant_id', '=', tenantId)
        .where('g.context_id', '=', contextId)
        .orderBy('g.created_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toPassback);
    },
    /** Counts an attempt and its outcome (error text null = sent). */
    async recordAttempt(
      tenantId: string,
      id: string,
      error: string | null,
      finalFailure: boolean,
    ): Promise<void> {
      await db
        .updateTable('lti_grade_passback')
        .set((eb) => ({
          attempts: eb('attempts', '+', 1),
          last_error: error,
          status: error === null ? 'sent' : finalFailure ? 'failed' : 'queued',
          sent_at: error === null ? sql<Date>`now()` : null,
          updated_at: sql<Date>`now()`,
        }))
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
    },
    async requeue(tenantId: string, id: string): Promise<void> {
      await db
        .updateTable('lti_grade_passback')
        .set({ status: 'queued', updated_at: sql<Date>`now()` })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
    },
  };
}

export type LtiGradeRepository = ReturnType<typeof createLtiGradeRepository>;
