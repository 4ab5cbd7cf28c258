import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { Cmi5Launch } from '../../learning/model.js';

/** SQL for cmi5 launches of external content (fetch tokens and the LRS secrets they issue). */
export function createCmi5LaunchRepository(db: Kysely<Database>) {
  return {
    async insert(
      l: Omit<Cmi5Launch, 'id' | 'secretHash' | 'fetchedAt'> & { fetchHash: string },
    ): Promise<string> {
      const row = await db
        .insertInto('cmi5_launch')
        .values({
          tenant_id: l.tenantId,
          attempt_id: l.attemptId,
          session_id: l.sessionId,
          activity_id: l.activityId,
          agent_key: l.agentKey,
          fetch_hash: l.fetchHash,
          expires_at: l.expiresAt,
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
      return (
        r && {
          tenantId: r.tenant_id,
          id: r.id,
          attemptId: r.attempt_id,
          sessionId: r.session_id,
          activityId: r.activity_id,
          agentKey: r.agent_key,
          secretHash: r.secret_hash,
          fetchedAt: r.fetched_at,
          expiresAt: r.expires_at,
        }
      );
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
