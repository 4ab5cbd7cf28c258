import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** Server-level queries (no tenant data). */
export function createHealthRepository(db: Kysely<Database>) {
  return {
    async serverVersion(): Promise<string> {
      const { rows } = await sql<{ server_version: string }>`SHOW server_version`.execute(db);
      return rows[0]!.server_version;
    },

    /**
     * Statements stored but not yet captured as KPI facts (the capture outbox, migration 0091), over
     * all tenants; reads at most `mostRows` outbox rows (one per storing INSERT), so a far-behind
     * outbox costs a probe no more than that.
     */
    async kpiCaptureBehind(mostRows: number): Promise<number> {
      const { rows } = await sql<{ n: string }>`
        SELECT coalesce(sum(cardinality(o.seqs)), 0) AS n
          FROM (SELECT seqs FROM xapi_statement_outbox LIMIT ${mostRows}) o`.execute(db);
      return Number(rows[0]!.n);
    },
  };
}

export type HealthRepository = ReturnType<typeof createHealthRepository>;
