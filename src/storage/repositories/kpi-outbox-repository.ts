import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { withTransaction } from '../transaction.js';

/** The parts of a tenant's outbox (a statement's registration picks its part; migration 0092). */
export const OUTBOX_PARTS = 4;

/**
 * The KPI capture outbox (migrations 0091, 0092): statements stored or voided whose facts and rollups
 * are not yet up to date.
 */
export function createKpiOutboxRepository(db: Kysely<Database>) {
  return {
    /**
     * Captures the statements of the `most` oldest outbox rows of one part (0 to OUTBOX_PARTS - 1) of
     * the tenant: facts and every rollup, in one transaction (retried after a deadlock); drains of one
     * part take turns, parts drain at once. Returns how many statements it looked at: 0 when nothing
     * committed before the call was left in the part.
     */
    async drain(tenantId: string, part: number, most: number): Promise<number> {
      return withTransaction(db, async (trx) => {
        const { rows } = await sql<{
          n: number;
        }>`SELECT kpi_outbox_drain(${tenantId}::uuid, ${part}::smallint, ${most}) AS n`.execute(trx);
        return rows[0]!.n;
      });
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
