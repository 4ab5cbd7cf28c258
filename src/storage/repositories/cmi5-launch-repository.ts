import { sql, type Kysely, type Selectable } from 'kysely';
import type { Cmi5LaunchTable, Database } from '../schema.js';
import type { Cmi5Launch } from '../../learning/model.js';

const toLaunch = (r: Selectable<Cmi5LaunchTable>): Cmi5Launch => ({
  tenantId: r.tenant_id,
  id: r.id,
  attemptId: r.attempt_id,
  sessionId: r.session_id,
  activityId: r.activity_id,
  agentKey: r.agent_key,
  secretHash: r.secret_hash,
  fetchedAt: r.fetched_at,
  expiresAt: r.expires_at,
  auId: r.au_id,
  status: r.status,
  createdAt: r.created_at,
  lastStatementAt: r.last_statement_at,
});

/** SQL for cmi5 launches of external content (fetch tokens and the LRS secrets they issue). */
export function createCmi5LaunchRepository(db: Kysely<Database>) {
  return {
    async insert(
      l: Omit<
        Cmi5Launch,
        'id' | 'secretHash' | 'fetchedAt' | 'auId' | 'status' | 'createdAt' | 'lastStatementAt'
      > & {
        fetchHash: string;
        auId?: string;
      },
      trx: Kysely<Database> = db,
    ): Promise<string> {
      const row = await trx
        .insertInto('cmi5_launch')
        .values({
          tenant_id: l.tenantId,
          attempt_id: l.attemptId,
          session_id: l.sessionId,
          activity_id: l.activityId,
          agent_key: l.agentKey,
          fetch_hash: l.fetchHash,
          expires_at: l.expiresAt,
          au_id: l.auId ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    /**
     * Uses the fetch token once: stores the secret's hash when the token matches, was never used and has
     * not expired. Returns 'issued', 'used' (fetched before or expired) or 'unknown'.
     */
    async takeFetch(
      tenantId: string,
      id: string,
      fetchHash: string,
      secretHash: string,
    ): Promise<'issued' | 'used' | 'unknown'> {
      const updated = await db
        .updateTable('cmi5_launch')
        .set({ secret_hash: secretHash, fetched_at: sql<Date>`now()` })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('fetch_hash', '=', fetchHash)
        .where('fetched_at', 'is', null)
        .where('expires_at', '>', sql<Date>`now()`)
        .executeTakeFirst();
      if (updated.numUpdatedRows === 1n) return 'issued';
      const row = await db
        .selectFrom('cmi5_launch')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('fetch_hash', '=', fetchHash)
        .executeTakeFirst();
      return row ? 'used' : 'unknown';
    },

    async find(tenantId: string, id: string): Promise<Cmi5Launch | undefined> {
      const r = await db
        .selectFrom('cmi5_launch')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return r && toLaunch(r);
    },

    /** The launch, locked until the transaction ends: an AU session's statements are judged one request at a time. */
    async lock(trx: Kysely<Database>, tenantId: string, id: string): Promise<Cmi5Launch | undefined> {
      const r = await trx
        .selectFrom('cmi5_launch')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      return r && toLaunch(r);
    },

    /** AU sessions of the registration that neither terminated nor were abandoned, oldest first, locked. */
    async openAuSessions(trx: Kysely<Database>, tenantId: string, attemptId: string): Promise<Cmi5Launch[]> {
      const rows = await trx
        .selectFrom('cmi5_launch')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('attempt_id', '=', attemptId)
        .where('au_id', 'is not', null)
        .where('status', 'in', ['launched', 'initialized'])
        .orderBy('created_at')
        .forUpdate()
        .execute();
      return rows.map(toLaunch);
    },

    /**
     * AU sessions of the tenant still open (launched or initialized) and not heard from (no statement,
     * else no launch) since `before`, longest idle first, at most `limit` (cmi5_launch_open_idle).
     */
    async idleAuSessions(tenantId: string, before: Date, limit: number): Promise<Cmi5Launch[]> {
      const rows = await db
        .selectFrom('cmi5_launch')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('au_id', 'is not', null)
        .where('status', 'in', ['launched', 'initialized'])
        .where(sql<Date>`coalesce(last_statement_at, created_at)`, '<', before)
        .orderBy(sql`coalesce(last_statement_at, created_at)`)
        .limit(limit)
        .execute();
      return rows.map(toLaunch);
    },

    async setStatus(
      trx: Kysely<Database>,
      tenantId: string,
      id: string,
      status: Cmi5Launch['status'],
      lastStatementAt?: Date,
    ): Promise<void> {
      await trx
        .updateTable('cmi5_launch')
        .set({ status, ...(lastStatementAt ? { last_statement_at: lastStatementAt } : {}) })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
    },

    /**
     * Verbs of the cmi5 defined statements (those with the cmi5 category, `category`) the AU's launches of
     * this registration stored about `activityId`; with `launchId`, only that session's.
     */
    async definedVerbs(
      trx: Kysely<Database>,
      q: { tenantId: string; attemptId: string; activityId: string; category: string; launchId?: string },
    ): Promise<string[]> {
      const { rows } = await sql<{ verb_iri: string }>`
        SELECT DISTINCT s.verb_iri
        FROM xapi_statement s
        JOIN xapi_statement_activity a
          ON a.tenant_id = s.tenant_id AND a.statement_id = s.id AND a.usage = 'object' AND a.activity_iri = ${q.activityId}
        WHERE s.tenant_id = ${q.tenantId} AND s.registration = ${q.attemptId} AND NOT s.voided
          AND position(${q.category} in s.statement) > 0
          AND s.credential_id IN (SELECT id FROM cmi5_launch WHERE tenant_id = ${q.tenantId} AND attempt_id = ${q.attemptId}
            ${q.launchId ? sql`AND id = ${q.launchId}` : sql``})`.execute(trx);
      return rows.map((r) => r.verb_iri);
    },

    /**
     * Objects of the statements with `verb` Yardstick itself stored in this registration (no credential:
     * its own capture), e.g. the blocks and course already satisfied, the AUs already waived.
     */
    async lmsObjects(
      trx: Kysely<Database>,
      tenantId: string,
      attemptId: string,
      verb: string,
    ): Promise<string[]> {
      const { rows } = await sql<{ activity_iri: string }>`
        SELECT DISTINCT a.activity_iri
        FROM xapi_statement s
        JOIN xapi_statement_activity a
          ON a.tenant_id = s.tenant_id AND a.statement_id = s.id AND a.usage = 'object'
        WHERE s.tenant_id = ${tenantId} AND s.registration = ${attemptId} AND NOT s.voided
          AND s.verb_iri = ${verb} AND s.credential_id IS NULL`.execute(trx);
      return rows.map((r) => r.activity_iri);
    },

    /**
     * Scaled scores of the passed and failed statements the AU launches of this registration stored,
     * the latest per activity.
     */
    async latestScores(
      trx: Kysely<Database>,
      tenantId: string,
      attemptId: string,
    ): Promise<Map<string, number>> {
      const { rows } = await sql<{ activity_iri: string; scaled: number | null }>`
        SELECT DISTINCT ON (a.activity_iri) a.activity_iri,
          CASE WHEN jsonb_typeof(s.statement::jsonb #> '{result,score,scaled}') = 'number'
            THEN (s.statement::jsonb #>> '{result,score,scaled}')::double precision END AS scaled
        FROM xapi_statement s
        JOIN xapi_statement_activity a
          ON a.tenant_id = s.tenant_id AND a.statement_id = s.id AND a.usage = 'object'
        WHERE s.tenant_id = ${tenantId} AND s.registration = ${attemptId} AND NOT s.voided
          AND s.verb_iri IN ('http://adlnet.gov/expapi/verbs/passed', 'http://adlnet.gov/expapi/verbs/failed')
          AND s.credential_id IN (SELECT id FROM cmi5_launch WHERE tenant_id = ${tenantId} AND attempt_id = ${attemptId})
        ORDER BY a.activity_iri, s.seq DESC`.execute(trx);
      return new Map(rows.filter((r) => r.scaled !== null).map((r) => [r.activity_iri, Number(r.scaled)]));
    },

    /**
     * Verbs the content itself reported about its activity in this registration (statements stored with
     * one of the attempt's launch tokens, object = the activity, not voided): what moveOn is judged on.
     */
    async reportedVerbs(
      trx: Kysely<Database>,
      tenantId: string,
      attemptId: string,
      activityId: string,
    ): Promise<string[]> {
      const { rows } = await sql<{ verb_iri: string }>`
        SELECT DISTINCT s.verb_iri
        FROM xapi_statement s
        JOIN xapi_statement_activity a
          ON a.tenant_id = s.tenant_id AND a.statement_id = s.id AND a.usage = 'object' AND a.activity_iri = ${activityId}
        WHERE s.tenant_id = ${tenantId} AND s.registration = ${attemptId} AND NOT s.voided
          AND s.credential_id IN (SELECT id FROM cmi5_launch WHERE tenant_id = ${tenantId} AND attempt_id = ${attemptId})`.execute(
        trx,
      );
      return rows.map((r) => r.verb_iri);
    },
  };
}

export type Cmi5LaunchRepository = ReturnType<typeof createCmi5LaunchRepository>;
