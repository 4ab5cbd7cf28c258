import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

/**
 * Rendered charts by the hash of their model (migration 0062). Always the primary database: a replica
 * cannot take the writes.
 */
export function createChartCacheRepository(db: Kysely<Database>) {
  return {
    /** The cached renderings among `hashes`, by hash; one query for a whole page. */
    async find(tenantId: string, hashes: string[]): Promise<Map<string, unknown>> {
      if (hashes.length === 0) return new Map();
      const rows = await db
        .selectFrom('chart_render_cache')
        .select(['model_hash', 'rendered'])
        .where('tenant_id', '=', tenantId)
        .where('model_hash', 'in', hashes)
        .execute();
      return new Map(rows.map((r) => [r.model_hash, r.rendered]));
    },

    /**
     * Stores renderings (a concurrent server storing the same hash wins harmlessly: same bytes) and
     * drops this tenant's entries older than `keepDays`, so the table holds only what recent data drew.
     */
    async store(
      tenantId: string,
      entries: { hash: string; rendered: unknown }[],
      keepDays: number,
    ): Promise<void> {
      if (entries.length === 0) return;
      await db
        .insertInto('chart_render_cache')
        .values(
          entries.map((e) => ({
            tenant_id: tenantId,
            model_hash: e.hash,
            rendered: JSON.stringify(e.rendered),
          })),
        )
        .onConflict((oc) => oc.columns(['tenant_id', 'model_hash']).doNothing())
        .execute();
      await sql`DELETE FROM chart_render_cache
                WHERE tenant_id = ${tenantId} AND created_at < now() - make_interval(days => ${keepDays})`.execute(
        db,
      );
    },
  };
}

export type ChartCacheRepository = ReturnType<typeof createChartCacheRepository>;
