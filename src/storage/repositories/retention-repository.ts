import { CompiledQuery, type Kysely } from 'kysely';
import type { RetentionKind, RetentionPolicy, TenantDeletion } from '../../privacy/model.js';
import { rebuildKpiRollupsSql } from '../rollups/index.js';
import type { Database } from '../schema.js';
import { withTransaction } from '../transaction.js';
import { DELETE_ORPHAN_ATTACHMENTS } from './statement-attachment-sql.js';

/** Schemas whose tables Yardstick owns and deletes by `tenant_id`; other schemas are swept by value. */
const APP_SCHEMAS = ['public', 'analytics', 'analytics_private'];

/** The xAPI verb of quiz and survey answers (src/learning/vocabulary.ts, VERBS.answered). */
const ANSWERED = 'http://adlnet.gov/expapi/verbs/answered';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Statements older than the cutoff ($2) matching `filter`, and statements voiding or referring to them. */
function statementsDelete(filter: string): string[] {
  const old = `SELECT id FROM xapi_statement WHERE tenant_id = $1 AND stored < $2 ${filter}`;
  return [
    `DELETE FROM xapi_statement WHERE tenant_id = $1 AND (voiding_target IN (${old}) OR ref_target IN (${old}))
        AND id NOT IN (${old})`,
    `DELETE FROM xapi_statement WHERE tenant_id = $1 AND stored < $2 ${filter}`,
  ];
}

/**
 * What each kind of data is, as deletions of rows older than the cutoff ($1 tenant, $2 cutoff). The
 * outcome tables are dated by the period they describe; statements by when the LRS stored them.
 */
const KIND_DELETES: Record<RetentionKind, string[]> = {
  statements: statementsDelete(''),
  answers: statementsDelete(`AND verb_iri = '${ANSWERED}'`),
  outcome_rows: [
    `DELETE FROM outcome_payroll WHERE tenant_id = $1 AND period < $2::date`,
    `DELETE FROM outcome_plan_participation WHERE tenant_id = $1 AND as_of < $2::date`,
    `DELETE FROM outcome_claim WHERE tenant_id = $1 AND service_date < $2::date`,
    `DELETE FROM outcome_hris WHERE tenant_id = $1 AND period < $2::date`,
  ],
  logs: [`DELETE FROM lti_grade_passback WHERE tenant_id = $1 AND score_timestamp < $2`],
};

/**
 * Retention policies, their sweep, and the deletion of whole tenants (migration 0100). Every sweep
 * runs in one transaction with the guarantees of a person's erasure: rows voiding or referring to a
 * deleted statement go with it, the tenant's KPI rollups are rebuilt from the remaining facts and its
 * chart cache is emptied.
 */
export function createRetentionRepository(db: Kysely<Database>) {
  const run = async <R>(q: Kysely<Database>, text: string, params: unknown[] = []) =>
    (await q.executeQuery<R>(CompiledQuery.raw(text, params))).rows;
  const affected = async (q: Kysely<Database>, text: string, params: unknown[]) =>
    Number((await q.executeQuery(CompiledQuery.raw(text, params))).numAffectedRows ?? 0);

  return {
    async policies(tenantId: string): Promise<RetentionPolicy[]> {
      return run<RetentionPolicy>(
        db,
        `SELECT kind, days, set_by AS "setBy", set_at AS "setAt", last_swept_at AS "lastSweptAt"
           FROM retention_policy WHERE tenant_id = $1 ORDER BY kind`,
        [tenantId],
      );
    },

    /** Sets (days) or removes (null) the period of one kind of data. */
    async setPolicy(tenantId: string, kind: RetentionKind, days: number | null, by: string): Promise<void> {
      if (days === null) {
        await run(db, `DELETE FROM retention_policy WHERE tenant_id = $1 AND kind = $2`, [tenantId, kind]);
        return;
      }
      await run(
        db,
        `INSERT INTO retention_policy (tenant_id, kind, days, set_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, kind) DO UPDATE SET days = EXCLUDED.days, set_by = EXCLUDED.set_by, set_at = now()`,
        [tenantId, kind, days, by],
      );
    },

    /** Every tenant with a policy, and its policies. */
    async tenantsWithPolicies(): Promise<{ tenantId: string; kind: RetentionKind; days: number }[]> {
      return run(
        db,
        `SELECT tenant_id AS "tenantId", kind, days FROM retention_policy ORDER BY tenant_id, kind`,
      );
    },

    /**
     * Erases the tenant's rows of `kind` older than `cutoff` in one transaction; returns how many rows
     * went (statements: with those voiding or referring to them).
     */
    async sweep(tenantId: string, kind: RetentionKind, cutoff: Date, now: Date): Promise<number> {
      return withTransaction(db, async (trx) => {
        let n = 0;
        for (const text of KIND_DELETES[kind]) n += await affected(trx, text, [tenantId, cutoff]);
        if (n > 0 && (kind === 'statements' || kind === 'answers')) {
          // Attachments are shared by hash: those no remaining statement declares go with the statements.
          await affected(trx, DELETE_ORPHAN_ATTACHMENTS, [tenantId]);
          await run(trx, rebuildKpiRollupsSql(), [tenantId]);
          await run(trx, `DELETE FROM chart_render_cache WHERE tenant_id = $1`, [tenantId]);
        }
        await run(trx, `UPDATE retention_policy SET last_swept_at = $3 WHERE tenant_id = $1 AND kind = $2`, [
          tenantId,
          kind,
          now,
        ]);
        return n;
      });
    },

    async requestTenantDeletion(tenantId: string, by: string, purgeAfter: Date): Promise<TenantDeletion> {
      const [row] = await run<TenantDeletion>(
        db,
        `INSERT INTO tenant_deletion (tenant_id, requested_by, purge_after) VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id) DO UPDATE SET requested_by = EXCLUDED.requested_by, purge_after = EXCLUDED.purge_after
         RETURNING tenant_id AS "tenantId", requested_by AS "requestedBy", requested_at AS "requestedAt",
                   purge_after AS "purgeAfter"`,
        [tenantId, by, purgeAfter],
      );
      return row!;
    },

    async cancelTenantDeletion(tenantId: string): Promise<boolean> {
      return (await affected(db, `DELETE FROM tenant_deletion WHERE tenant_id = $1`, [tenantId])) > 0;
    },

    async tenantDeletion(tenantId: string): Promise<TenantDeletion | null> {
      const [row] = await run<TenantDeletion>(
        db,
        `SELECT tenant_id AS "tenantId", requested_by AS "requestedBy", requested_at AS "requestedAt",
                purge_after AS "purgeAfter" FROM tenant_deletion WHERE tenant_id = $1`,
        [tenantId],
      );
      return row ?? null;
    },

    /** Tenants whose deletion grace period has passed at `now`. */
    async tenantsDue(now: Date): Promise<string[]> {
      const rows = await run<{ id: string }>(
        db,
        `SELECT tenant_id AS id FROM tenant_deletion WHERE purge_after <= $1 ORDER BY purge_after`,
        [now],
      );
      return rows.map((r) => r.id);
    },

    /**
     * Deletes every row of the tenant in one transaction: each table of Yardstick's schemas with a
     * `tenant_id` column (children first: a table whose rows other rows still reference is retried
     * after them), every row of other schemas (pg-boss jobs, ltijs) whose JSON names the tenant or one
     * of its platforms, then the tenant. Returns rows deleted per table.
     */
    async purgeTenant(tenantId: string): Promise<{ table: string; count: number }[]> {
      return withTransaction(db, async (trx) => {
        const platforms = await run<{ id: string }>(
          trx,
          `SELECT id::text FROM lti_platform WHERE tenant_id = $1`,
          [tenantId],
        );
        const values = [tenantId, ...platforms.map((p) => p.id)];
        const counts = new Map<string, number>();
        const foreign = await run<{ schema: string; name: string }>(
          trx,
          `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
            WHERE table_type = 'BASE TABLE' AND table_schema <> ALL($1)
              AND table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg\\_%'`,
          [APP_SCHEMAS],
        );
        for (const t of foreign) {
          const name = `${t.schema}.${t.name}`;
          const n = await affected(
            trx,
            `DELETE FROM ${quote(t.schema)}.${quote(t.name)} t WHERE EXISTS (
               SELECT 1 FROM jsonb_path_query(to_jsonb(t), 'strict $.**') v
                WHERE jsonb_typeof(v) = 'string' AND (v #>> '{}') = ANY($1))`,
            [values],
          );
          if (n) counts.set(name, n);
        }
        const tables = await run<{ schema: string; name: string }>(
          trx,
          `SELECT c.table_schema AS schema, c.table_name AS name
             FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
            WHERE t.table_type = 'BASE TABLE' AND c.column_name = 'tenant_id' AND c.table_schema = ANY($1)
            ORDER BY 1, 2`,
          [APP_SCHEMAS],
        );
        // Foreign keys decide the order: each round deletes what no remaining row references. Triggers
        // may write rollup rows while facts go, so passes repeat until one deletes nothing.
        for (let pass = 0, deleted = 1; deleted > 0; pass++) {
          if (pass === 5) throw new Error('tenant purge: rows keep appearing after 5 passes');
          deleted = 0;
          let pending = tables;
          while (pending.length) {
            const blocked: typeof pending = [];
            for (const t of pending) {
              await run(trx, 'SAVEPOINT purge_table');
              try {
                const n = await affected(
                  trx,
                  `DELETE FROM ${quote(t.schema)}.${quote(t.name)} WHERE tenant_id = $1`,
                  [tenantId],
                );
                await run(trx, 'RELEASE SAVEPOINT purge_table');
                const name = `${t.schema}.${t.name}`;
                if (n) counts.set(name, (counts.get(name) ?? 0) + n);
                deleted += n;
              } catch (err) {
                if ((err as { code?: string }).code !== '23503') throw err;
                await run(trx, 'ROLLBACK TO SAVEPOINT purge_table');
                blocked.push(t);
              }
            }
            if (blocked.length === pending.length)
              throw new Error(`tenant purge is stuck on ${blocked.map((t) => t.name).join(', ')}`);
            pending = blocked;
          }
        }
        counts.set('tenant', await affected(trx, `DELETE FROM tenant WHERE id = $1`, [tenantId]));
        return [...counts].map(([table, count]) => ({ table, count }));
      });
    },
  };
}

export type RetentionRepository = ReturnType<typeof createRetentionRepository>;
