import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, LearningAttemptTable, LearningSessionTable } from '../schema.js';
import type { Attempt, AttemptResults, LearningSession } from '../../learning/model.js';

type Db = Kysely<Database>;

const toAttempt = (r: Selectable<LearningAttemptTable>): Attempt => ({
  tenantId: r.tenant_id,
  id: r.id,
  moduleId: r.module_id,
  version: r.version,
  userId: r.user_id,
  contextId: r.context_id,
  resourceLinkId: r.resource_link_id,
  status: r.status,
  step: r.step,
  results: r.results as AttemptResults,
  startedAt: r.started_at,
  completedAt: r.completed_at,
});

const toSession = (r: Selectable<LearningSessionTable>): LearningSession => ({
  tenantId: r.tenant_id,
  id: r.id,
  attemptId: r.attempt_id,
  ltiSessionId: r.lti_session_id,
  status: r.status,
  startedAt: r.started_at,
  lastSeenAt: r.last_seen_at,
  endedAt: r.ended_at,
  activeSeconds: r.active_seconds,
  estimated: r.estimated,
});

/** SQL for learner attempts, their sessions (time on task) and per learner per module totals. */
export function createLearningRepository(db: Db) {
  return {
    async findOpenAttempt(
      tenantId: string,
      userId: string,
      contextId: string,
      resourceLinkId: string,
      trx: Db = db,
    ): Promise<Attempt | undefined> {
      const row = await trx
        .selectFrom('learning_attempt')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('user_id', '=', userId)
        .where('context_id', '=', contextId)
        .where('resource_link_id', '=', resourceLinkId)
        .where('status', '=', 'open')
        .executeTakeFirst();
      return row && toAttempt(row);
    },

    async findAttempt(tenantId: string, id: string, trx: Db = db): Promise<Attempt | undefined> {
      const row = await trx
        .selectFrom('learning_attempt')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toAttempt(row);
    },

    /** Locks the attempt row until the transaction ends: submissions on one attempt run one at a time. */
    async lockAttempt(trx: Db, tenantId: string, id: string): Promise<Attempt | undefined> {
      const row = await trx
        .selectFrom('learning_attempt')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      return row && toAttempt(row);
    },

    /** A learner's attempts at a module, newest first. */
    async attemptsOf(tenantId: string, userId: string, moduleId: string, trx: Db = db): Promise<Attempt[]> {
      const rows = await trx
        .selectFrom('learning_attempt')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('user_id', '=', userId)
        .where('module_id', '=', moduleId)
        .orderBy('started_at', 'desc')
        .execute();
      return rows.map(toAttempt);
    },

    /** A learner's attempts in a course (every module), newest first; at most `limit`. */
    async attemptsInCourse(
      tenantId: string,
      contextId: string,
      userId: string,
      limit: number,
    ): Promise<Attempt[]> {
      const rows = await db
        .selectFrom('learning_attempt')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('context_id', '=', contextId)
        .where('user_id', '=', userId)
        .orderBy('started_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toAttempt);
    },

    /** Whether the user is an active member of the course (any role). */
    async isEnrolled(tenantId: string, contextId: string, userId: string): Promise<boolean> {
      const row = await db
        .selectFrom('enrollment')
        .select('user_id')
        .where('tenant_id', '=', tenantId)
        .where('context_id', '=', contextId)
        .where('user_id', '=', userId)
        .where('status', '=', 'active')
        .executeTakeFirst();
      return row !== undefined;
    },

    /** Opens an attempt; undefined when another request opened one for this learner and link first. */
    async insertAttempt(
      trx: Db,
      a: Pick<Attempt, 'tenantId' | 'moduleId' | 'version' | 'userId' | 'contextId' | 'resourceLinkId'>,
    ): Promise<Attempt | undefined> {
      const row = await trx
        .insertInto('learning_attempt')
        .values({
          tenant_id: a.tenantId,
          module_id: a.moduleId,
          version: a.version,
          user_id: a.userId,
          context_id: a.contextId,
          resource_link_id: a.resourceLinkId,
        })
        .onConflict((oc) =>
          oc
            .columns(['tenant_id', 'user_id', 'context_id', 'resource_link_id'])
            .where('status', '=', 'open')
            .doNothing(),
        )
        .returningAll()
        .executeTakeFirst();
      return row && toAttempt(row);
    },

    async saveProgress(
      trx: Db,
      tenantId: string,
      id: string,
      p: { step: number; results: AttemptResults; completed: boolean },
    ): Promise<void> {
      await trx
        .updateTable('learning_attempt')
        .set({
          step: p.step,
          results: JSON.stringify(p.results),
          updated_at: new Date(),
          ...(p.completed ? { status: 'completed' as const, completed_at: new Date() } : {}),
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
    },

    /** Notes the AGS passback id of the attempt's post-test score (jsonb merge, nothing else changes). */
    async findSession(tenantId: string, id: string, trx: Db = db): Promise<LearningSession | undefined> {
      const row = await trx
        .selectFrom('learning_session')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toSession(row);
    },

    /** The launch's active session of the attempt, if it has one. */
    async sessionForLaunch(
      tenantId: string,
      attemptId: string,
      ltiSessionId: string,
      trx: Db = db,
    ): Promise<LearningSession | undefined> {
      const row = await trx
        .selectFrom('learning_session')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('attempt_id', '=', attemptId)
        .where('lti_session_id', '=', ltiSessionId)
        .where('status', '=', 'active')
        .executeTakeFirst();
      return row && toSession(row);
    },

    async activeSessions(trx: Db, tenantId: string, attemptId: string): Promise<LearningSession[]> {
      const rows = await trx
        .selectFrom('learning_session')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('attempt_id', '=', attemptId)
        .where('status', '=', 'active')
        .forUpdate()
        .execute();
      return rows.map(toSession);
    },

    async insertSession(
      trx: Db,
      s: { tenantId: string; attemptId: string; ltiSessionId: string; now: Date },
    ): Promise<LearningSession> {
      const row = await trx
        .insertInto('learning_session')
        .values({
          tenant_id: s.tenantId,
          attempt_id: s.attemptId,
          lti_session_id: s.ltiSessionId,
          started_at: s.now,
          last_seen_at: s.now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toSession(row);
    },

    /** Records activity time; only while the session is active. Returns false when it had ended. */
    async touchSession(
      trx: Db,
      s: Pick<LearningSession, 'tenantId' | 'id' | 'activeSeconds' | 'estimated'>,
      now: Date,
      end?: 'terminated' | 'abandoned',
    ): Promise<boolean> {
      const result = await trx
        .updateTable('learning_session')
        .set({
          active_seconds: s.activeSeconds,
          estimated: s.estimated,
          last_seen_at: now,
          ...(end ? { status: end, ended_at: now } : {}),
        })
        .where('tenant_id', '=', s.tenantId)
        .where('id', '=', s.id)
        .where('status', '=', 'active')
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },

    /** Active sessions not seen since `before`, oldest first (the abandon job). */
    async staleSessions(tenantId: string, before: Date, limit: number): Promise<LearningSession[]> {
      const rows = await db
        .selectFrom('learning_session')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('status', '=', 'active')
        .where('last_seen_at', '<', before)
        .orderBy('last_seen_at')
        .limit(limit)
        .execute();
      return rows.map(toSession);
    },

    /** Adds an ended session's time to the learner's total for the module. */
    async addTime(
      trx: Db,
      t: { tenantId: string; userId: string; moduleId: string; seconds: number; estimated: boolean },
    ): Promise<void> {
      await trx
        .insertInto('learning_time_total')
        .values({
          tenant_id: t.tenantId,
          user_id: t.userId,
          module_id: t.moduleId,
          seconds: t.seconds,
          sessions: 1,
          estimated_sessions: t.estimated ? 1 : 0,
        })
        .onConflict((oc) =>
          oc.columns(['tenant_id', 'user_id', 'module_id']).doUpdateSet({
            seconds: sql<number>`learning_time_total.seconds + excluded.seconds`,
            sessions: sql<number>`learning_time_total.sessions + 1`,
            estimated_sessions: sql<number>`learning_time_total.estimated_sessions + excluded.estimated_sessions`,
            updated_at: new Date(),
          }),
        )
        .execute();
    },

    async timeTotal(
      tenantId: string,
      userId: string,
      moduleId: string,
    ): Promise<{ seconds: number; sessions: number; estimatedSessions: number } | undefined> {
      const row = await db
        .selectFrom('learning_time_total')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('user_id', '=', userId)
        .where('module_id', '=', moduleId)
        .executeTakeFirst();
      return (
        row && { seconds: row.seconds, sessions: row.sessions, estimatedSessions: row.estimated_sessions }
      );
    },

    /** Records a submitted observation; false when its one-time id was used already. */
    async insertObservation(
      trx: Db,
      o: {
        tenantId: string;
        id: string;
        moduleId: string;
        observerUserId: string;
        learnerUserId: string;
        contextId: string;
      },
    ): Promise<boolean> {
      const row = await trx
        .insertInto('learning_observation')
        .values({
          tenant_id: o.tenantId,
          id: o.id,
          module_id: o.moduleId,
          observer_user_id: o.observerUserId,
          learner_user_id: o.learnerUserId,
          context_id: o.contextId,
        })
        .onConflict((oc) => oc.columns(['tenant_id', 'id']).doNothing())
        .returning('id')
        .executeTakeFirst();
      return Boolean(row);
    },

    /** The learner's xAPI Agent, as launches recorded it. */
    async agentOf(
      tenantId: string,
      userId: string,
    ): Promise<{ name: string | null; homePage: string; accountName: string } | undefined> {
      const row = await db
        .selectFrom('lti_user')
        .select(['name', 'xapi_home_page', 'xapi_name'])
        .where('tenant_id', '=', tenantId)
        .where('id', '=', userId)
        .executeTakeFirst();
      return row && { name: row.name, homePage: row.xapi_home_page, accountName: row.xapi_name };
    },
  };
}

export type LearningRepository = ReturnType<typeof createLearningRepository>;
