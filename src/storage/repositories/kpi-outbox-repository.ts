import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

/**
 * The KPI capture outbox (migration 0091): statements stored or voided whose facts and rollups are not
 * yet up to date. Each call runs in its own transaction.
 */
export function createKpiOutboxRepository(db: Kysely<Database>) {
  return {
    /**
     * Captures the statements of the tenant's `most` oldest outbox rows (facts and every rollup, in
     * one transaction; drains of one tenant take turns). Returns how many statements it looked at: 0
     * when nothing committed before the call was left.
     */
    async drain(tenantId: string, most: number): Promise<number> {
      const { rows } = await sql<{
        n: number;
      }>`SELECT kpi_outbox_drain(${tenantId}::uuid, ${most}) AS n`.execute(db);
      return rows[0]!.n;
    },

    /** Tenants with statements waiting in the outbox (at most `limit`). */
    async pendingTenants(limit: number): Promise<string[]> {
      const { rows } = await sql<{ tenant_id: string }>`
        SELECT DISTINCT tenant_id FROM xapi_statement_outbox LIMIT ${limit}`.execute(db);
      return rows.map((r) => r.tenant_id);
    },

    /** Statements waiting in the outbox, all tenants (for benchmarks and health). */
    async pendingStatements(): Promise<number> {
      const { rows } = await sql<{ n: string }>`
        SELECT coalesce(sum(cardinality(seqs)), 0) AS n FROM xapi_statement_outbox`.execute(db);
      return Number(rows[0]!.n);
    },
  };
}

export type KpiOutboxRepository = ReturnType<typeof createKpiOutboxRepository>;
