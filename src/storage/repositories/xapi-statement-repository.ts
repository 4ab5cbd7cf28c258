import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../schema.js';
import {
  VOIDED_VERB,
  type StatementFilter,
  type StatementInsert,
  type StatementPageRow,
} from '../../xapi/model.js';

/** Most StatementRef hops followed when matching filters through references. */
const MAX_REF_DEPTH = 10;

type Db = Kysely<Database> | Transaction<Database>;

const AGENT_DIRECT_USAGES = ['actor', 'object'];

/** SQL for the statement store. Every statement names its tenant first. */
export function createXapiStatementRepository(db: Kysely<Database>) {
  /** Conditions on a statement row `alias` for the agent/verb/activity/registration filters. */
  function direct(tenantId: string, f: StatementFilter, alias: string): RawBuilder<unknown>[] {
    const a = sql.raw(alias);
    const out: RawBuilder<unknown>[] = [];
    if (f.verb !== undefined) out.push(sql`${a}.verb_iri = ${f.verb}`);
    if (f.registration !== undefined) out.push(sql`${a}.registration = ${f.registration}::uuid`);
    if (f.agentKey !== undefined) {
      const usage = f.relatedAgents ? sql`` : sql`AND usage IN (${sql.join(AGENT_DIRECT_USAGES)})`;
      out.push(
        sql`${a}.seq IN (SELECT seq FROM xapi_statement_agent WHERE tenant_id = ${tenantId} AND agent_key = ${f.agentKey} ${usage})`,
      );
    }
    if (f.activity !== undefined) {
      const usage = f.relatedActivities ? sql`` : sql`AND usage = 'object'`;
      out.push(
        sql`${a}.seq IN (SELECT seq FROM xapi_statement_activity WHERE tenant_id = ${tenantId} AND activity_iri = ${f.activity} ${usage})`,
      );
    }
    return out;
  }

  /** Conditions every returned statement meets: tenant, not voided, time window, keyset, snapshot. */
  function base(tenantId: string, f: StatementFilter): RawBuilder<unknown>[] {
    const out: RawBuilder<unknown>[] = [sql`s.tenant_id = ${tenantId}`, sql`NOT s.voided`];
    if (f.since !== undefined) out.push(sql`s.stored > ${f.since}::timestamptz`);
    if (f.until !== undefined) out.push(sql`s.stored <= ${f.until}::timestamptz`);
    if (f.credentialId !== undefined) out.push(sql`s.credential_id = ${f.credentialId}`);
    if (f.afterSeq !== undefined)
      out.push(f.ascending ? sql`s.seq > ${f.afterSeq}` : sql`s.seq < ${f.afterSeq}`);
    if (f.snapshot !== undefined)
      out.push(sql`pg_visible_in_snapshot(s.xact_id, ${f.snapshot}::pg_snapshot)`);
    return out;
  }

  /** The SQL of queryPage: one page (limit + 1 rows) and the snapshot it was read in. */
  function pageQuery(
    tenantId: string,
    f: StatementFilter,
  ): RawBuilder<StatementPageRow & { snap: string; db_now: Date }> {
    const order = f.ascending ? sql`ASC` : sql`DESC`;
    const where = (conds: RawBuilder<unknown>[]) => sql.join(conds, sql` AND `);
    const directConds = direct(tenantId, f, 's');
    const snap = sql`(SELECT pg_current_snapshot()::text) AS snap, now() AS db_now`;
    if (directConds.length === 0) {
      return sql`SELECT s.seq, s.statement, s.stored, ${snap} FROM xapi_statement s
        WHERE ${where(base(tenantId, f))} ORDER BY s.seq ${order} LIMIT ${f.limit + 1}`;
    } else {
      const targetConds = direct(tenantId, f, 't');
      return sql`
        WITH RECURSIVE refs(start_seq, target, depth) AS (
          SELECT s.seq, s.ref_target, 1 FROM xapi_statement s
          WHERE ${where(base(tenantId, f))} AND s.ref_target IS NOT NULL
          UNION ALL
          SELECT r.start_seq, t.ref_target, r.depth + 1 FROM refs r
          JOIN xapi_statement t ON t.tenant_id = ${tenantId} AND t.id = r.target
          WHERE t.ref_target IS NOT NULL AND r.depth < ${MAX_REF_DEPTH}
        ),
        ref_matches AS (
          SELECT DISTINCT r.start_seq AS seq FROM refs r
          JOIN xapi_statement t ON t.tenant_id = ${tenantId} AND t.id = r.target
          WHERE ${where(targetConds)}
        )
        SELECT u.seq, u.statement, u.stored, ${snap} FROM (
          (SELECT s.seq, s.statement, s.stored FROM xapi_statement s
           WHERE ${where([...base(tenantId, f), ...directConds])}
           ORDER BY s.seq ${order} LIMIT ${f.limit + 1})
          UNION
          (SELECT s.seq, s.statement, s.stored FROM xapi_statement s
           WHERE s.tenant_id = ${tenantId} AND s.seq IN (SELECT seq FROM ref_matches)
           ORDER BY s.seq ${order} LIMIT ${f.limit + 1})
        ) u ORDER BY u.seq ${order} LIMIT ${f.limit + 1}`;
    }
  }

  return {
    /** EXPLAIN (FORMAT JSON) of a page query, for tests that check which indexes serve each filter. */
    async explainPage(tenantId: string, f: StatementFilter): Promise<unknown> {
      const { rows } = await sql<{
        'QUERY PLAN': unknown;
      }>`EXPLAIN (FORMAT JSON) ${pageQuery(tenantId, f)}`.execute(db);
      return rows[0]!['QUERY PLAN'];
    },

    /**
     * Inserts statements whose id is new; returns the ids inserted. Ids already stored are left for
     * the caller to compare (same content: no-op; different: conflict).
     */
    async insertStatements(
      trx: Db,
      tenantId: string,
      credentialId: string | null,
      rows: StatementInsert[],
    ): Promise<Set<string>> {
      if (rows.length === 0) return new Set();
      // One statement for the batch and its association rows, each column passed as one array
      // (unnest): one round trip, and a dozen parameters instead of a dozen per statement.
      const agents = rows.flatMap((r) => r.agents.map((a) => [r.id, a.key, a.usage] as const));
      const activities = rows.flatMap((r) => r.activities.map((a) => [r.id, a.iri, a.usage] as const));
      const col = <T>(pick: (r: StatementInsert) => T) => rows.map(pick);
      const { rows: inserted } = await sql<{ id: string; seq: string }>`
        WITH s AS (
          INSERT INTO xapi_statement (tenant_id, id, stored, "timestamp", verb_iri, registration, voiding_target,
                                      ref_target, credential_id, version, statement, voided)
          SELECT ${tenantId}, u.id, u.stored, u.ts, u.verb, u.reg, u.vt, u.rt, ${credentialId}, u.version, u.statement,
                 -- Voided at once if a voiding statement stored earlier targets it (Data 2.3.2).
                 u.verb <> ${VOIDED_VERB} AND EXISTS (
                   SELECT 1 FROM xapi_statement v
                   WHERE v.tenant_id = ${tenantId} AND v.ref_target = u.id AND v.verb_iri = ${VOIDED_VERB})
          FROM unnest(${col((r) => r.id)}::uuid[], ${col((r) => r.stored)}::timestamptz[],
                      ${col((r) => r.timestamp)}::timestamptz[], ${col((r) => r.verb)}::text[],
                      ${col((r) => r.registration)}::uuid[], ${col((r) => r.voidedTarget)}::uuid[],
                      ${col((r) => r.refTarget)}::uuid[], ${col((r) => r.version)}::text[], ${col((r) => r.text)}::text[])
               AS u(id, stored, ts, verb, reg, vt, rt, version, statement)
          ON CONFLICT (tenant_id, id) DO NOTHING
          RETURNING id, seq
        ),
        ag AS (
          INSERT INTO xapi_statement_agent (tenant_id, agent_key, usage, seq, statement_id)
          SELECT ${tenantId}, a.key, a.usage, s.seq, s.id
          FROM unnest(${agents.map((a) => a[0])}::uuid[], ${agents.map((a) => a[1])}::text[], ${agents.map((a) => a[2])}::text[])
               AS a(id, key, usage)
          JOIN s ON s.id = a.id
          ON CONFLICT DO NOTHING
        ),
        ac AS (
          INSERT INTO xapi_statement_activity (tenant_id, activity_iri, usage, seq, statement_id)
          SELECT ${tenantId}, a.iri, a.usage, s.seq, s.id
          FROM unnest(${activities.map((a) => a[0])}::uuid[], ${activities.map((a) => a[1])}::text[], ${activities.map((a) => a[2])}::text[])
               AS a(id, iri, usage)
          JOIN s ON s.id = a.id
          ON CONFLICT DO NOTHING
        )
        SELECT id, seq FROM s`.execute(trx);
      return new Set(inserted.map((r) => r.id));
    },

    async findByIds(
      trx: Db,
      tenantId: string,
      ids: string[],
    ): Promise<{ id: string; statement: string; verb_iri: string; voided: boolean }[]> {
      if (ids.length === 0) return [];
      return trx
        .selectFrom('xapi_statement')
        .select(['id', 'statement', 'verb_iri', 'voided'])
        .where('tenant_id', '=', tenantId)
        .where('id', 'in', ids)
        .execute();
    },

    /**
     * Marks the targets of new voiding statements voided (xAPI Data 2.3.2), including targets in
     * the same batch; voiding statements are never voided. (Statements arriving after their voiding
     * statement are voided on insert.)
     */
    async applyVoiding(trx: Db, tenantId: string, voidedTargets: string[]): Promise<void> {
      if (voidedTargets.length) {
        await trx
          .updateTable('xapi_statement')
          .set({ voided: true })
          .where('tenant_id', '=', tenantId)
          .where('id', 'in', voidedTargets)
          .where('verb_iri', '<>', VOIDED_VERB)
          .execute();
      }
    },

    async findOne(
      tenantId: string,
      id: string,
      credentialId?: string,
    ): Promise<{ statement: string; voided: boolean; stored: Date; now: Date } | undefined> {
      let q = db
        .selectFrom('xapi_statement')
        .select(['statement', 'voided', 'stored', sql<Date>`now()`.as('now')])
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id);
      if (credentialId) q = q.where('credential_id', '=', credentialId);
      return q.executeTakeFirst();
    },

    /**
     * One page of a statement query (xAPI Communication 2.1.3), `limit + 1` rows so the caller knows
     * whether there is more. Filters match a statement directly or through StatementRefs that
     * target a matching statement (Data 2.3.2 / Communication 2.1.3 "Filter Conditions for
     * StatementRefs"). Returns the snapshot the page was read in, for the `more` link.
     */
    async queryPage(
      tenantId: string,
      f: StatementFilter,
    ): Promise<{ rows: StatementPageRow[]; snapshot: string; now: Date }> {
      const { rows } = await pageQuery(tenantId, f).execute(db);
      const meta =
        rows[0] ??
        (
          await sql<{
            snap: string;
            db_now: Date;
          }>`SELECT pg_current_snapshot()::text AS snap, now() AS db_now`.execute(db)
        ).rows[0]!;
      return {
        rows: rows.map((r) => ({ seq: String(r.seq), statement: r.statement, stored: r.stored })),
        snapshot: meta.snap,
        now: meta.db_now,
      };
    },

    async insertAttachments(
      trx: Db,
      tenantId: string,
      parts: { sha2: string; contentType: string; content: Buffer }[],
    ): Promise<void> {
      if (parts.length === 0) return;
      await trx
        .insertInto('xapi_attachment')
        .values(
          parts.map((p) => ({
            tenant_id: tenantId,
            sha2: p.sha2,
            content_type: p.contentType,
            content: p.content,
          })),
        )
        .onConflict((oc) => oc.columns(['tenant_id', 'sha2']).doNothing())
        .execute();
    },

    async findAttachments(
      tenantId: string,
      sha2s: string[],
    ): Promise<{ sha2: string; content_type: string; content: Buffer }[]> {
      if (sha2s.length === 0) return [];
      return db
        .selectFrom('xapi_attachment')
        .select(['sha2', 'content_type', 'content'])
        .where('tenant_id', '=', tenantId)
        .where('sha2', 'in', sha2s)
        .execute();
    },

    /** Writes canonical Activity definitions (already merged by the caller), in key order to avoid deadlocks. */
    async upsertActivities(trx: Db, tenantId: string, definitions: Map<string, string>): Promise<void> {
      if (definitions.size === 0) return;
      const values = [...definitions]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([iri, definition]) => ({ tenant_id: tenantId, iri, definition }));
      await trx
        .insertInto('xapi_activity')
        .values(values)
        .onConflict((oc) =>
          oc
            .columns(['tenant_id', 'iri'])
            .doUpdateSet((eb) => ({ definition: eb.ref('excluded.definition'), updated: sql`now()` }))
            .where(sql<boolean>`xapi_activity.definition IS DISTINCT FROM excluded.definition`),
        )
        .execute();
    },

    async findActivities(tenantId: string, iris: string[], trx: Db = db): Promise<Map<string, string>> {
      if (iris.length === 0) return new Map();
      const rows = await trx
        .selectFrom('xapi_activity')
        .select(['iri', 'definition'])
        .where('tenant_id', '=', tenantId)
        .where('iri', 'in', iris)
        .execute();
      return new Map(rows.map((r) => [r.iri, r.definition]));
    },

    /** The database's clock, for X-Experience-API-Consistent-Through. */
    async now(): Promise<Date> {
      const { rows } = await sql<{ now: Date }>`SELECT now() AS now`.execute(db);
      return rows[0]!.now;
    },
  };
}

export type XapiStatementRepository = ReturnType<typeof createXapiStatementRepository>;
