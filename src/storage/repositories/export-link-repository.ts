import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** SQL for the single use of signed download links (export_link_use, migration 0086). */
export function createExportLinkRepository(db: Kysely<Database>) {
  return {
    /**
     * Records the use of a link's nonce; true the first time, false when it was used before. Rows of the
     * tenant's links that have expired are deleted on the way (they can no longer be presented).
     */
    async claim(tenantId: string, nonce: string, expiresAt: Date): Promise<boolean> {
      await db
        .deleteFrom('export_link_use')
        .where('tenant_id', '=', tenantId)
        .where('expires_at', '<', sql<Date>`now() - interval '1 minute'`)
        .execute();
      const row = await db
        .insertInto('export_link_use')
        .values({ tenant_id: tenantId, nonce, expires_at: expiresAt })
        .onConflict((c) => c.columns(['tenant_id', 'nonce']).doNothing())
        .returning('nonce')
        .executeTakeFirst();
      return row !== undefined;
    },
  };
}

export type ExportLinkRepository = ReturnType<typeof createExportLinkRepository>;
